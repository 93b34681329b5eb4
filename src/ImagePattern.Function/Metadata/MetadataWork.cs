using System.Security.Cryptography;
using System.Text;
using ImagePattern.Function.Events;
using ImagePattern.Function.Ledger;
using ImagePattern.Function.Pipeline;
using ImagePattern.Imaging;
using ImagePattern.Imaging.Inspection;

namespace ImagePattern.Function.Metadata;

/// <summary>
/// The image-metadata consumer's work: inspect the bytes (header, EXIF, one small decode) and record the facts as
/// the <c>result</c> map of the COMPLETED task record (<see cref="ImageMetadata.ToResult"/>). Nothing is written anywhere else, so the fenced
/// completion is the only write and there is nothing to repeat after a crash.
/// </summary>
public sealed class MetadataWork(IImageInspector inspector, ImageLimits limits) : ITaskWork
{
    /// <summary>
    /// What shapes the recorded facts, in words; change it (v2, …) when the inspection changes so every object is
    /// described again. Thumbnail recipes are bare hex, so the <c>metadata-</c> prefix keeps the two apart for good.
    /// </summary>
    public const string RecipeDefinition = "metadata;v1;exif-ifd0+exif-subifd+gps-presence;blurhash-4x3-grid32;dominant-hist512;sha256";

    /// <summary><c>metadata-</c> and the first 8 hex digits of SHA-256 of <see cref="RecipeDefinition"/>.</summary>
    public static string MetadataRecipe { get; } =
        "metadata-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(RecipeDefinition)).AsSpan(0, 4));

    /// <inheritdoc />
    public string Recipe => MetadataRecipe;

    /// <inheritdoc />
    public long MaxSourceBytes => limits.MaxBytes;

    /// <inheritdoc />
    public WorkResult Make(SourceObject source, ReadOnlyMemory<byte> data)
    {
        var inspected = inspector.Inspect(data, limits);
        if (!inspected.Succeeded)
        {
            return new WorkResult.Failed($"{inspected.Failure!.Kind}: {inspected.Failure.Message}");
        }

        var i = inspected.Value!;
        return new Inspected(new ImageMetadata(
            i.Format,
            i.Width,
            i.Height,
            i.Orientation,
            i.CapturedAt?.ToString(),
            i.CameraMake,
            i.CameraModel,
            i.HasGps,
            i.Bytes,
            i.Sha256,
            i.DominantColor,
            i.BlurHash));
    }

    /// <inheritdoc />
    public Task<WorkResult> StoreAsync(SourceObject source, WorkResult.Made made, CancellationToken cancellationToken) =>
        // Image-recognition labels would be fetched here (an idempotent call keyed by the task), and stored beside
        // the metadata; see docs/add-a-consumer.md.
        Task.FromResult<WorkResult>(new WorkResult.Completed(TaskCompletion.Recording(((Inspected)made).Metadata.ToResult())));

    private sealed record Inspected(ImageMetadata Metadata) : WorkResult.Made;
}
