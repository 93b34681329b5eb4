namespace ImagePattern.Imaging.Inspection;

/// <summary>
/// Describes an encoded image from its header, its EXIF block and a small decode, without what a thumbnail costs
/// (no full-size pixel buffer, no resampling, no encoding). Knows images and bytes only, like <see cref="IThumbnailer"/>.
/// </summary>
public interface IImageInspector
{
    /// <summary>
    /// Inspects <paramref name="source"/>. Bad input never throws: it comes back as an <see cref="ImageFailure"/> of
    /// kind <see cref="ImageFailureKind.TooManyBytes"/> (over <see cref="ImageLimits.MaxBytes"/>),
    /// <see cref="ImageFailureKind.UnsupportedFormat"/> (not an image the engine can read),
    /// <see cref="ImageFailureKind.TooManyPixels"/> (stored width × height over <see cref="ImageLimits.MaxPixels"/>) or
    /// <see cref="ImageFailureKind.Corrupt"/> (the pixels cannot be decoded to the end). A broken EXIF block is not a
    /// failure: the EXIF facts are then absent.
    /// </summary>
    ImageResult<ImageInspection> Inspect(ReadOnlyMemory<byte> source, ImageLimits limits);
}

/// <summary>What <see cref="IImageInspector"/> found.</summary>
/// <param name="Format">Encoded format, lower case: <c>jpeg</c>, <c>png</c>, <c>webp</c>, <c>gif</c>, <c>bmp</c>, <c>heif</c>, <c>avif</c>, …</param>
/// <param name="Width">Displayed width in pixels: the stored width, or the stored height when the EXIF orientation is 5–8.</param>
/// <param name="Height">Displayed height in pixels, likewise.</param>
/// <param name="Orientation">EXIF orientation 1–8 from IFD0 (the main image, not the embedded thumbnail's IFD1); 1 when absent or out of range.</param>
/// <param name="CapturedAt">EXIF <c>DateTimeOriginal</c> with <c>OffsetTimeOriginal</c> when present; null when absent or unreadable.</param>
/// <param name="CameraMake">EXIF <c>Make</c> (IFD0), trimmed; null when absent or blank.</param>
/// <param name="CameraModel">EXIF <c>Model</c> (IFD0), trimmed; null when absent or blank.</param>
/// <param name="HasGps">True when the EXIF GPS IFD holds any tag besides <c>GPSVersionID</c>. The coordinates themselves are never read out: privacy by default.</param>
/// <param name="Bytes">Encoded size in bytes.</param>
/// <param name="Sha256">SHA-256 of the encoded bytes, 64 lower-case hex digits.</param>
/// <param name="DominantColor">The most common colour, <c>#rrggbb</c> in sRGB: the mean of the fullest bin of a 512-bin (3 bits per channel) histogram over the small decode, opaque pixels only when there are any.</param>
/// <param name="BlurHash">A BlurHash placeholder of the upright picture (4×3 components, 3×4 for portrait pictures).</param>
public sealed record ImageInspection(
    string Format,
    int Width,
    int Height,
    int Orientation,
    CaptureTime? CapturedAt,
    string? CameraMake,
    string? CameraModel,
    bool HasGps,
    long Bytes,
    string Sha256,
    string DominantColor,
    string BlurHash);

/// <summary>
/// When a picture was taken, as the camera recorded it: a wall-clock time, and its UTC offset when the camera wrote
/// one (EXIF 2.31's <c>OffsetTimeOriginal</c>). Without an offset the moment itself is unknown, so none is invented.
/// </summary>
/// <param name="LocalTime">The camera's wall-clock time (<see cref="DateTimeKind.Unspecified"/>), whole seconds.</param>
/// <param name="Offset">Offset from UTC, or null when the file does not say.</param>
public readonly record struct CaptureTime(DateTime LocalTime, TimeSpan? Offset)
{
    /// <summary>ISO 8601: <c>2024-05-01T10:20:30+02:00</c>, or <c>2024-05-01T10:20:30</c> without an offset.</summary>
    public override string ToString() =>
        Offset is { } offset
            ? new DateTimeOffset(LocalTime, offset).ToString("yyyy-MM-dd'T'HH:mm:sszzz", System.Globalization.CultureInfo.InvariantCulture)
            : LocalTime.ToString("yyyy-MM-dd'T'HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture);
}
