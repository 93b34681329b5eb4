using System.Globalization;

namespace ImagePattern.Function.Metadata;

/// <summary>
/// The image facts the metadata consumer records, stored as the <c>result</c> map of the task record
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
    string BlurHash)
{
    /// <summary>These facts as the task record's <c>result</c> map (absent facts left out).</summary>
    public IReadOnlyDictionary<string, object?> ToResult() => new Dictionary<string, object?>
    {
        ["format"] = Format,
        ["width"] = Width,
        ["height"] = Height,
        ["orientation"] = Orientation,
        ["captured_at"] = string.IsNullOrEmpty(CapturedAt) ? null : CapturedAt,
        ["camera_make"] = string.IsNullOrEmpty(CameraMake) ? null : CameraMake,
        ["camera_model"] = string.IsNullOrEmpty(CameraModel) ? null : CameraModel,
        ["has_gps"] = HasGps,
        ["bytes"] = Bytes,
        ["sha256"] = Sha256,
        ["dominant_color"] = DominantColor,
        ["blurhash"] = BlurHash,
    };

    /// <summary>The facts of a <c>result</c> map read back from a record; null when there is none.</summary>
    public static ImageMetadata? FromResult(IReadOnlyDictionary<string, object?>? result) =>
        result is null || result.Count == 0
            ? null
            : new ImageMetadata(
                (string)result["format"]!,
                (int)Number(result, "width"),
                (int)Number(result, "height"),
                (int)Number(result, "orientation"),
                result.GetValueOrDefault("captured_at") as string,
                result.GetValueOrDefault("camera_make") as string,
                result.GetValueOrDefault("camera_model") as string,
                result.GetValueOrDefault("has_gps") is true,
                Number(result, "bytes"),
                (string)result["sha256"]!,
                (string)result["dominant_color"]!,
                (string)result["blurhash"]!);

    private static long Number(IReadOnlyDictionary<string, object?> result, string name) =>
        Convert.ToInt64(result.GetValueOrDefault(name) ?? 0, CultureInfo.InvariantCulture);
}
