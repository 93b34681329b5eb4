using ImagePattern.Function.Configuration;
using ImagePattern.Function.Events;
using ImagePattern.Function.Ledger;
using ImagePattern.Function.Storage;
using ImagePattern.Imaging;

namespace ImagePattern.Function.Pipeline;

/// <summary>The thumbnailer's work: thumbnails from the source bytes, written to deterministic keys in the output bucket.</summary>
public sealed class ThumbnailWork(FunctionSettings settings, IObjectStore store, IThumbnailer thumbnailer) : ITaskWork
{
    /// <summary>
    /// The thumbnailer composed from its variables (<see cref="SettingsReader"/>: every name in
    /// <see cref="EnvironmentVariables.All"/>) with the engine <c>IMAGE_ENGINE</c> names.
    /// </summary>
    /// <exception cref="SettingsException">The configuration is invalid.</exception>
    public static ComposedWork Compose(ConsumerContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return Compose(SettingsReader.Read(context.Variables), context);
    }

    /// <summary>The thumbnailer with <paramref name="settings"/> already read.</summary>
    public static ComposedWork Compose(FunctionSettings settings, ConsumerContext context)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(context);
        return new ComposedWork(settings.Pipeline, new ThumbnailWork(settings, context.Store, context.Thumbnailer(settings.Engine)));
    }

    /// <inheritdoc />
    public string Recipe => settings.Recipe;

    /// <inheritdoc />
    public long MaxSourceBytes => settings.Pipeline.Limits.MaxBytes;

    /// <inheritdoc />
    public WorkResult Make(SourceObject source, ReadOnlyMemory<byte> data)
    {
        var made = thumbnailer.CreateThumbnails(data, settings.Sizes, settings.Encode, settings.Pipeline.Limits);
        return made.Succeeded
            ? new Thumbnails(made.Value!)
            : new WorkResult.Failed($"{made.Failure!.Kind}: {made.Failure.Message}");
    }

    /// <inheritdoc />
    public async Task<WorkResult> StoreAsync(SourceObject source, WorkResult.Made made, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        var thumbnails = ((Thumbnails)made).Items;

        // Long source keys are shortened with a hash to fit S3's 1,024 bytes; only an OUTPUT_PREFIX that leaves no
        // room fails, for good rather than into the DLQ.
        var outputs = OutputsFor(source, thumbnails);
        if (outputs.FirstOrDefault(o => !OutputKeys.FitsS3(o.Key)) is { } tooLong)
        {
            var length = System.Text.Encoding.UTF8.GetByteCount(tooLong.Key);
            return new WorkResult.Failed($"OutputKeyTooLong: thumbnail key would be {length} bytes, over S3's limit of {OutputKeys.MaxKeyBytes}");
        }

        await WriteAsync(source, thumbnails, outputs, cancellationToken);
        return new WorkResult.Completed(TaskCompletion.Of(outputs));
    }

    private List<TaskOutput> OutputsFor(SourceObject source, IReadOnlyList<Thumbnail> thumbnails)
    {
        return thumbnails
            .Select(t => new TaskOutput(OutputKeys.For(settings.OutputPrefix, t.Box.Label, source.Key, t.Extension), t.Box.Label, t.Width, t.Height, t.Data.Length, t.Extension))
            .ToList();
    }

    private async Task WriteAsync(SourceObject source, IReadOnlyList<Thumbnail> thumbnails, List<TaskOutput> outputs, CancellationToken cancellationToken)
    {
        var metadata = new Dictionary<string, string>
        {
            ["source-etag"] = source.ETag,
            ["recipe"] = settings.Recipe,
        };

        // S3 metadata travels in HTTP headers: ASCII only, so the key is percent-encoded. S3 also caps user metadata at
        // 2 KB; a long non-ASCII key can exceed that once encoded, and is then left out (the output key names it anyway).
        var encodedKey = Uri.EscapeDataString(source.Key);
        if (OutputKeys.MetadataFitsS3(metadata, "source-key", encodedKey))
        {
            metadata["source-key"] = encodedKey;
        }

        await Task.WhenAll(thumbnails.Select((t, i) =>
            store.WriteAsync(new StoredObject(settings.OutputBucket, outputs[i].Key, t.Data, t.ContentType, metadata), cancellationToken)));
    }

    private sealed record Thumbnails(IReadOnlyList<Thumbnail> Items) : WorkResult.Made;
}
