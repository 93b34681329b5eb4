namespace ImagePattern.Imaging;

/// <summary>Encoded output formats. <see cref="Source"/> keeps the source format where it can be written.</summary>
public enum OutputFormat
{
    /// <summary>WebP (alpha kept).</summary>
    Webp,
    /// <summary>Baseline JPEG (alpha flattened onto white).</summary>
    Jpeg,
    /// <summary>PNG (alpha kept).</summary>
    Png,
    /// <summary>AVIF (alpha kept).</summary>
    Avif,
    /// <summary>Same as the source where the engine can write it, otherwise JPEG or PNG (alpha decides).</summary>
    Source,
}

/// <summary>Why an image could not be made into thumbnails. Every kind is permanent for the same bytes.</summary>
public enum ImageFailureKind
{
    /// <summary>Not an image, or a format whose loader is not allowed.</summary>
    UnsupportedFormat,
    /// <summary>Corrupt or truncated data.</summary>
    Corrupt,
    /// <summary>Width × height over the pixel budget (header probe, before decoding).</summary>
    TooManyPixels,
    /// <summary>More encoded bytes than allowed.</summary>
    TooManyBytes,
}

/// <summary>A typed failure carrying libvips' own message.</summary>
public sealed record ImageFailure(ImageFailureKind Kind, string Message);

/// <summary>Either a value or an <see cref="ImageFailure"/>; the engine never throws for bad input.</summary>
public readonly record struct ImageResult<T>
{
    internal ImageResult(T? value, ImageFailure? failure)
    {
        Value = value;
        Failure = failure;
    }

    /// <summary>The value when <see cref="Succeeded"/>.</summary>
    public T? Value { get; }

    /// <summary>The failure when not <see cref="Succeeded"/>.</summary>
    public ImageFailure? Failure { get; }

    /// <summary>True when there is a value.</summary>
    public bool Succeeded => Failure is null;
}

/// <summary>Factory for <see cref="ImageResult{T}"/>.</summary>
public static class ImageResult
{
    /// <summary>A successful result.</summary>
    public static ImageResult<T> Success<T>(T value) => new(value, null);

    /// <summary>A failed result.</summary>
    public static ImageResult<T> Fail<T>(ImageFailureKind kind, string message) => new(default, new ImageFailure(kind, message));
}

/// <summary>What the header says about an image.</summary>
/// <param name="Format">libvips loader family, e.g. <c>jpeg</c>, <c>png</c>, <c>webp</c>, <c>gif</c>, <c>heif</c>, <c>tiff</c>.</param>
/// <param name="Width">Stored width in pixels (before EXIF rotation).</param>
/// <param name="Height">Stored height in pixels (before EXIF rotation).</param>
/// <param name="Orientation">EXIF orientation 1–8 (1 when absent).</param>
/// <param name="Interlaced">Progressive JPEG or interlaced PNG/GIF: libvips must decode these whole.</param>
/// <param name="Bands">Number of bands, alpha included.</param>
/// <param name="HasAlpha">True when the image has an alpha band.</param>
public sealed record ImageInfo(string Format, int Width, int Height, int Orientation, bool Interlaced, int Bands, bool HasAlpha);

/// <summary>A box a thumbnail must fit inside. <paramref name="Label"/> names it in output keys (e.g. <c>512x512</c>).</summary>
public sealed record ThumbnailBox(int Width, int Height, string Label);

/// <summary>Output encoding: format and quality 1–100 (ignored by PNG).</summary>
public sealed record EncodeOptions(OutputFormat Format, int Quality);

/// <summary>Guard rails applied before decoding.</summary>
/// <param name="MaxBytes">Largest encoded input accepted.</param>
/// <param name="MaxPixels">Largest width × height accepted.</param>
/// <param name="MaxInterlacedPixels">Lower budget for interlaced images, which cannot be shrunk on load.</param>
public sealed record ImageLimits(long MaxBytes, long MaxPixels, long MaxInterlacedPixels);

/// <summary>One encoded thumbnail.</summary>
/// <param name="Box">The box it was made for.</param>
/// <param name="Data">Encoded bytes.</param>
/// <param name="Width">Output width after orientation.</param>
/// <param name="Height">Output height after orientation.</param>
/// <param name="Format">Concrete format written (never <see cref="OutputFormat.Source"/>).</param>
public sealed record Thumbnail(ThumbnailBox Box, byte[] Data, int Width, int Height, OutputFormat Format)
{
    /// <summary>MIME type for <see cref="Format"/>.</summary>
    public string ContentType => Format switch
    {
        OutputFormat.Webp => "image/webp",
        OutputFormat.Jpeg => "image/jpeg",
        OutputFormat.Png => "image/png",
        OutputFormat.Avif => "image/avif",
        _ => "application/octet-stream",
    };

    /// <summary>File extension for <see cref="Format"/>, without the dot.</summary>
    public string Extension => Format switch
    {
        OutputFormat.Webp => "webp",
        OutputFormat.Jpeg => "jpg",
        OutputFormat.Png => "png",
        OutputFormat.Avif => "avif",
        _ => "bin",
    };
}
