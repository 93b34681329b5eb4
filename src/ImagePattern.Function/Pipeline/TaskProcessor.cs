using ImagePattern.Function.Configuration;
using ImagePattern.Function.Events;
using ImagePattern.Function.Observability;
using ImagePattern.Function.Storage;
using ImagePattern.Function.Ledger;
using ImagePattern.Imaging;
using Microsoft.Extensions.Logging;

namespace ImagePattern.Function.Pipeline;

/// <summary>
/// The dedup state machine for one source object, top to bottom:
/// claim → read → thumbnail → write → complete, with FAILED for permanent problems and a released lease for
/// transient ones. Thumbnail keys are deterministic, so a crash between the writes and the completion is repaired
/// by the next delivery rewriting the same objects.
/// </summary>
public sealed partial class TaskProcessor(
    FunctionSettings settings,
    ITaskLedger ledger,
    IObjectStore store,
    IThumbnailer thumbnailer,
    SemaphoreSlim imageSlots,
    TimeProvider time,
    ILogger<TaskProcessor> logger)
{
    /// <summary>Processes one object for this delivery.</summary>
    public async Task<TaskOutcome> ProcessAsync(SourceObject source, InvocationDeadline deadline, InvocationMetrics metrics, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(metrics);
        var taskId = TaskIdentity.For(source, settings.Recipe);
        using var scope = logger.BeginScope(new Dictionary<string, object?> { ["task_id"] = taskId });

        var started = time.GetUtcNow();
        if (started >= deadline.StartBy)
        {
            LogNoTime(taskId);
            return TaskOutcome.Retry;
        }

        // 1. Claim: the lease lasts as long as this invocation can.
        ClaimResult claim;
        try
        {
            claim = await ledger.ClaimAsync(taskId, source, deadline.At, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogTransient(ex);
            return TaskOutcome.Retry;
        }

        switch (claim)
        {
            case ClaimResult.Finished finished:
                LogDuplicate(finished.Status);
                return TaskOutcome.Duplicate;
            case ClaimResult.HeldByAnother held:
                LogHeld(held.LeaseExpiresAt);
                return TaskOutcome.Retry;
        }

        var lease = ((ClaimResult.Claimed)claim).LeaseToken;
        if (source.EventTime is { } eventTime && ((ClaimResult.Claimed)claim).Attempts == 1)
        {
            // Clocks of S3 and of the function differ a little; a negative latency is skew, not news.
            metrics.Sample(InvocationMetrics.Names.NotificationLatency, Math.Max(0, (started - eventTime).TotalMilliseconds));
        }

        try
        {
            // 2. Read the exact revision the notification names.
            var read = await store.ReadAsync(source, settings.Limits.MaxBytes, cancellationToken);
            if (read is SourceRead.Unavailable unavailable)
            {
                return await FailAsync(taskId, lease, unavailable.Reason, cancellationToken);
            }

            var found = (SourceRead.Found)read;
            metrics.Sample(InvocationMetrics.Names.SourceBytes, found.Data.Length);

            // 3. Thumbnail: CPU-bound, one libvips thread per image, as many images as the vCPUs allow.
            ImageResult<IReadOnlyList<Thumbnail>> made;
            try
            {
                await imageSlots.WaitAsync(cancellationToken);
                try
                {
                    made = thumbnailer.CreateThumbnails(found.Data, settings.Sizes, settings.Encode, settings.Limits);
                }
                finally
                {
                    imageSlots.Release();
                }
            }
            finally
            {
                found.Release?.Invoke();
            }

            if (!made.Succeeded)
            {
                return await FailAsync(taskId, lease, $"{made.Failure!.Kind}: {made.Failure.Message}", cancellationToken);
            }

            // 4. Write every thumbnail to its deterministic key. S3 refuses keys over 1,024 bytes, so a source key
            // near that limit can never get thumbnails: a permanent failure, not a retry loop into the DLQ.
            var outputs = OutputsFor(source, made.Value!);
            if (outputs.FirstOrDefault(o => !OutputKeys.FitsS3(o.Key)) is { } tooLong)
            {
                var length = System.Text.Encoding.UTF8.GetByteCount(tooLong.Key);
                return await FailAsync(taskId, lease, $"OutputKeyTooLong: thumbnail key would be {length} bytes, over S3's limit of {OutputKeys.MaxKeyBytes}", cancellationToken);
            }

            await WriteAsync(source, made.Value!, outputs, cancellationToken);

            // 5. Complete, fenced by the lease token.
            if (!await ledger.CompleteAsync(taskId, lease, outputs, cancellationToken))
            {
                LogLeaseLost();
                return TaskOutcome.Duplicate;
            }

            metrics.Sample(InvocationMetrics.Names.ProcessingTime, (time.GetUtcNow() - started).TotalMilliseconds);
            LogCompleted(outputs.Count);
            return TaskOutcome.Completed;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The invocation is being cut short; the lease runs out by itself at the deadline.
            throw;
        }
        catch (Exception ex)
        {
            LogTransient(ex);
            await ReleaseQuietlyAsync(taskId, lease, ex);
            return TaskOutcome.Retry;
        }
    }

    private async Task<TaskOutcome> FailAsync(string taskId, string lease, string reason, CancellationToken cancellationToken)
    {
        if (!await ledger.FailAsync(taskId, lease, reason, cancellationToken))
        {
            LogLeaseLost();
            return TaskOutcome.Duplicate;
        }

        LogPermanent(reason);
        return TaskOutcome.PermanentlyFailed;
    }

    private List<TaskOutput> OutputsFor(SourceObject source, IReadOnlyList<Thumbnail> thumbnails)
    {
        var stem = OutputKeys.Stem(source.Key);
        return thumbnails
            .Select(t => new TaskOutput(OutputKeys.For(settings.OutputPrefix, t.Box.Label, stem, t.Extension), t.Box.Label, t.Width, t.Height, t.Data.Length, t.Extension))
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

    private async Task ReleaseQuietlyAsync(string taskId, string lease, Exception cause)
    {
        try
        {
            // Not the invocation's token: the release matters most when things are going wrong.
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await ledger.ReleaseAsync(taskId, lease, $"{cause.GetType().Name}: {cause.Message}", timeout.Token);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // The lease then simply expires at the deadline; the retry still happens.
            LogReleaseFailed(ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Task completed with {OutputCount} thumbnails")]
    private partial void LogCompleted(int outputCount);

    [LoggerMessage(Level = LogLevel.Information, Message = "Duplicate delivery: task already {Status}")]
    private partial void LogDuplicate(TaskState status);

    [LoggerMessage(Level = LogLevel.Information, Message = "Task held by another worker until {LeaseExpiresAt:o}; retrying later")]
    private partial void LogHeld(DateTimeOffset leaseExpiresAt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Task failed permanently: {Reason}")]
    private partial void LogPermanent(string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Lease lost to another worker; leaving the task to it")]
    private partial void LogLeaseLost();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Transient failure; task released for retry")]
    private partial void LogTransient(Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not release the lease; it will expire at the invocation deadline")]
    private partial void LogReleaseFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Not starting {TaskId}: too little time left in this invocation")]
    private partial void LogNoTime(string taskId);
}
