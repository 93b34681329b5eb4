using ImagePattern.Function.Events;
using ImagePattern.Function.Observability;
using ImagePattern.Function.Storage;
using ImagePattern.Function.Ledger;
using Microsoft.Extensions.Logging;

namespace ImagePattern.Function.Pipeline;

/// <summary>
/// The dedup state machine for one source object, top to bottom:
/// claim → read → make → store → complete, with FAILED for permanent problems and a released lease for
/// transient ones. What is made and stored is the consumer's <see cref="ITaskWork"/>, whichever consumer it is;
/// its writes are idempotent, so a crash between them and the completion is repaired by the next delivery.
/// </summary>
public sealed partial class TaskProcessor(
    ITaskWork work,
    ITaskLedger ledger,
    IObjectStore store,
    SemaphoreSlim imageSlots,
    TimeProvider time,
    ILogger<TaskProcessor> logger)
{
    /// <summary>
    /// Processes one object for this delivery as the task <paramref name="taskId"/> (the caller's
    /// <see cref="TaskIdentity"/> of it with <see cref="ITaskWork.Recipe"/>).
    /// </summary>
    public async Task<TaskOutcome> ProcessAsync(SourceObject source, string taskId, InvocationDeadline deadline, InvocationMetrics metrics, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(taskId);
        ArgumentNullException.ThrowIfNull(metrics);
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
            var read = await store.ReadAsync(source, work.MaxSourceBytes, cancellationToken);
            if (read is SourceRead.Unavailable unavailable)
            {
                return await FailAsync(taskId, lease, unavailable.Reason, cancellationToken);
            }

            var found = (SourceRead.Found)read;
            metrics.Sample(InvocationMetrics.Names.SourceBytes, found.Data.Length);

            // 3. Make: CPU-bound, one decode thread per image, as many images as the vCPUs allow.
            WorkResult made;
            try
            {
                await imageSlots.WaitAsync(cancellationToken);
                try
                {
                    made = work.Make(source, found.Data);
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

            // 4. Store what was made (idempotent writes: deterministic keys, same bytes).
            var stored = made is WorkResult.Made product ? await work.StoreAsync(source, product, cancellationToken) : made;
            if (stored is WorkResult.Failed failed)
            {
                return await FailAsync(taskId, lease, failed.Reason, cancellationToken);
            }

            // A work that neither completes nor fails is a bug: retried, then left in the DLQ for a person.
            var completed = stored as WorkResult.Completed
                ?? throw new InvalidOperationException($"{work.GetType().Name} ended with {stored.GetType().Name}, not Completed or Failed");

            // 5. Complete, fenced by the lease token.
            if (!await ledger.CompleteAsync(taskId, lease, completed.Completion, cancellationToken))
            {
                LogLeaseLost();
                return TaskOutcome.Duplicate;
            }

            metrics.Sample(InvocationMetrics.Names.ProcessingTime, (time.GetUtcNow() - started).TotalMilliseconds);
            LogCompleted(completed.Completion.Outputs.Count);
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

    private async Task ReleaseQuietlyAsync(string taskId, string lease, Exception cause)
    {
        try
        {
            // Not the invocation's token: the release matters most when things are going wrong.
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5), time);
            await ledger.ReleaseAsync(taskId, lease, $"{cause.GetType().Name}: {cause.Message}", timeout.Token);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // The lease then simply expires at the deadline; the retry still happens.
            LogReleaseFailed(ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Task completed with {OutputCount} outputs")]
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
