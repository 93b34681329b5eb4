using System.Collections.Concurrent;
using ImagePattern.Function.Events;
using ImagePattern.Function.Storage;
using ImagePattern.Function.Ledger;
using ImagePattern.Imaging;

namespace ImagePattern.Bench.Pipeline;

/// <summary>
/// Start and end of every call the function makes through its ports during one invocation, so a record's time can
/// be split into claim, S3 read, thumbnails, S3 writes and completion; the rest is the handler's own code.
/// </summary>
internal sealed class StageClock
{
    private readonly ConcurrentQueue<(string Stage, double Start, double End)> spans = new();

    public async Task<T> TimeAsync<T>(string stage, Func<Task<T>> call)
    {
        var start = Measured.UnixMs();
        try
        {
            return await call();
        }
        finally
        {
            spans.Enqueue((stage, start, Measured.UnixMs()));
        }
    }

    public T Time<T>(string stage, Func<T> call)
    {
        var start = Measured.UnixMs();
        try
        {
            return call();
        }
        finally
        {
            spans.Enqueue((stage, start, Measured.UnixMs()));
        }
    }

    public void Clear() => spans.Clear();

    /// <summary>Wall time covered by a stage's calls (first start to last end: parallel writes count once).</summary>
    public double Covered(string stage)
    {
        var mine = spans.Where(s => s.Stage == stage).ToList();
        return mine.Count == 0 ? 0 : mine.Max(s => s.End) - mine.Min(s => s.Start);
    }
}

/// <summary>The task ledger, timed.</summary>
internal sealed class TimedLedger(ITaskLedger inner, StageClock clock) : ITaskLedger
{
    public Task<ClaimResult> ClaimAsync(string taskId, SourceObject source, DateTimeOffset leaseExpiresAt, CancellationToken cancellationToken) =>
        clock.TimeAsync("claim", () => inner.ClaimAsync(taskId, source, leaseExpiresAt, cancellationToken));

    public Task<bool> CompleteAsync(string taskId, string leaseToken, TaskCompletion completion, CancellationToken cancellationToken) =>
        clock.TimeAsync("complete", () => inner.CompleteAsync(taskId, leaseToken, completion, cancellationToken));

    public Task<bool> FailAsync(string taskId, string leaseToken, string reason, CancellationToken cancellationToken) =>
        inner.FailAsync(taskId, leaseToken, reason, cancellationToken);

    public Task ReleaseAsync(string taskId, string leaseToken, string reason, CancellationToken cancellationToken) =>
        inner.ReleaseAsync(taskId, leaseToken, reason, cancellationToken);

    public Task<TaskRecord?> GetAsync(string taskId, CancellationToken cancellationToken) => inner.GetAsync(taskId, cancellationToken);
}

/// <summary>The object store, timed.</summary>
internal sealed class TimedStore(IObjectStore inner, StageClock clock) : IObjectStore
{
    public Task<SourceRead> ReadAsync(SourceObject source, long maxBytes, CancellationToken cancellationToken) =>
        clock.TimeAsync("read", () => inner.ReadAsync(source, maxBytes, cancellationToken));

    public Task WriteAsync(StoredObject item, CancellationToken cancellationToken) =>
        clock.TimeAsync("write", async () =>
        {
            await inner.WriteAsync(item, cancellationToken);
            return true;
        });
}

/// <summary>The engine, timed.</summary>
internal sealed class TimedThumbnailer(IThumbnailer inner, StageClock clock) : IThumbnailer
{
    public ImageResult<ImageInfo> Probe(ReadOnlyMemory<byte> source) => inner.Probe(source);

    public ImageResult<IReadOnlyList<Thumbnail>> CreateThumbnails(ReadOnlyMemory<byte> source, IReadOnlyList<ThumbnailBox> boxes, EncodeOptions encode, ImageLimits limits) =>
        clock.Time("thumbnails", () => inner.CreateThumbnails(source, boxes, encode, limits));
}
