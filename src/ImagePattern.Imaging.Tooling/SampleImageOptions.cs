namespace ImagePattern.Imaging.Tooling;

/// <summary>How <see cref="SampleImages.Create"/> encodes a generated picture. Defaults give an 8-bit sRGB image.</summary>
public sealed record SampleImageOptions
{
    /// <summary>Encoder quality 1–100 for JPEG, WebP and AVIF.</summary>
    public int Quality { get; init; } = 90;

    /// <summary>Progressive JPEG or Adam7-interlaced PNG.</summary>
    public bool Progressive { get; init; }

    /// <summary>
    /// EXIF orientation 1–8 to write, or null for none. The pixels are stored transformed so that a
    /// reader honouring the tag shows the same upright picture for every value; for 5–8 the stored
    /// width and height are swapped.
    /// </summary>
    public int? Orientation { get; init; }

    /// <summary>Adds a varying alpha band (fully transparent and fully opaque areas included).</summary>
    public bool Alpha { get; init; }

    /// <summary>16 bits per sample (PNG and TIFF).</summary>
    public bool SixteenBit { get; init; }

    /// <summary>CMYK with an embedded CMYK profile (JPEG and TIFF).</summary>
    public bool Cmyk { get; init; }

    /// <summary>Colours stored in Display P3 with the profile embedded, like recent phone photos.</summary>
    public bool DisplayP3 { get; init; }

    /// <summary>One grey band instead of three colour bands.</summary>
    public bool Grayscale { get; init; }

    /// <summary>Number of animation frames (GIF and WebP); each frame is <c>height</c> pixels tall.</summary>
    public int Frames { get; init; } = 1;

    /// <summary>Seed for the noise generators: the same seed and options give the same bytes.</summary>
    public int Seed { get; init; } = 1;
}
