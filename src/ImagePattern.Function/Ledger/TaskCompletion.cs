namespace ImagePattern.Function.Ledger;

/// <summary>
/// What a COMPLETED record carries: the objects a consumer wrote (<c>outputs</c>) and, for the image-metadata
/// consumer, the facts it found (<c>metadata</c>). Both are attributes of the one fenced update that completes the
/// task, so a record is never COMPLETED without them.
/// </summary>
/// <param name="Outputs">Objects written (thumbnails); empty for consumers that write none.</param>
/// <param name="Metadata">Image facts, or null for consumers that record none.</param>
public sealed record TaskCompletion(IReadOnlyList<TaskOutput> Outputs, ImageMetadata? Metadata = null)
{
    /// <summary>A completion that wrote <paramref name="outputs"/> and records nothing else.</summary>
    public static TaskCompletion Of(IReadOnlyList<TaskOutput> outputs) => new(outputs);
}

/// <summary>
/// The image facts the metadata consumer records, stored as the map attribute <c>metadata</c> of the task record
/// (names in snake case, absent values left out). Never the GPS coordinates: only whether there are any.
/// </summary>
/// <param name="Format">Encoded format, e.g. <c>jpeg</c> (<c>format</c>).</param>
/// <param name="Width">Displayed width in pixels, after EXIF orientation (<c>width</c>).</param>
/// <param name="Height">Displayed height in pixels, after EXIF orientation (<c>height</c>).</param>
/// <param name="Orientation">EXIF orientation 1–8 from IFD0; 1 when absent (<c>orientation</c>).</param>
/// <param name="CapturedAt">EXIF DateTimeOriginal as ISO 8601, with the offset when the file has one (<c>captured_at</c>).</param>
/// <param name="CameraMake">EXIF Make (<c>camera_make</c>).</param>
/// <param name="CameraModel">EXIF Model (<c>camera_model</c>).</param>
/// <param name="HasGps">Whether the file carries GPS data (<c>has_gps</c>, a DynamoDB BOOL).</param>
/// <param name="Bytes">Source size in bytes (<c>bytes</c>).</param>
/// <param name="Sha256">SHA-256 of the source bytes, lower-case hex (<c>sha256</c>).</param>
/// <param name="DominantColor"><c>#rrggbb</c> (<c>dominant_color</c>).</param>
/// <param name="BlurHash">Placeholder string (<c>blurhash</c>).</param>
public sealed record ImageMetadata(
    string Format,
    int Width,
    int Height,
    int Orientation,
    string? CapturedAt,
    string? CameraMake,
    string? CameraModel,
    bool HasGps,
    long Bytes,
    string Sha256,
    string DominantColor,
    string BlurHash);
