namespace ImagePattern.Imaging.Tooling;

/// <summary>Encodings <see cref="SampleImages"/> can write.</summary>
public enum SampleFormat
{
    /// <summary>JPEG (baseline, or progressive with <see cref="SampleImageOptions.Progressive"/>).</summary>
    Jpeg,
    /// <summary>PNG (8- or 16-bit, optionally Adam7-interlaced).</summary>
    Png,
    /// <summary>Lossy WebP, optionally animated.</summary>
    Webp,
    /// <summary>GIF, optionally animated.</summary>
    Gif,
    /// <summary>AVIF (AV1 in HEIF).</summary>
    Avif,
    /// <summary>TIFF (8- or 16-bit, RGB or CMYK).</summary>
    Tiff,
}
