using ImagePattern.Function.Events;

namespace ImagePattern.Function.Ledger;

/// <summary>Lifecycle of a task record.</summary>
public enum TaskState
{
    /// <summary>Claimed by a worker whose lease may still be live.</summary>
    InProgress,
    /// <summary>Thumbnails written; any later delivery is a duplicate.</summary>
    Completed,
    /// <summary>Permanent failure recorded; any later delivery is a duplicate.</summary>
    Failed,
}

/// <summary>What a claim attempt found.</summary>
public abstract record ClaimResult
{
    private ClaimResult()
    {
    }

    /// <summary>This worker owns the task until the lease expires; <paramref name="LeaseToken"/> fences later writes.</summary>
    public sealed record Claimed(string LeaseToken, int Attempts) : ClaimResult;

    /// <summary>The task already ended (completed or failed): the delivery is a duplicate.</summary>
    public sealed record Finished(TaskState Status) : ClaimResult;

    /// <summary>Another worker holds a live lease: try again after the visibility timeout.</summary>
    public sealed record HeldByAnother(DateTimeOffset LeaseExpiresAt) : ClaimResult;
}

/// <summary>A thumbnail written for a task.</summary>
/// <param name="Key">Output object key.</param>
/// <param name="Label">Size label, e.g. <c>512x512</c>.</param>
/// <param name="Width">Pixel width.</param>
/// <param name="Height">Pixel height.</param>
/// <param name="Bytes">Encoded size.</param>
/// <param name="Format">Encoded format, e.g. <c>webp</c>.</param>
public sealed record TaskOutput(string Key, string Label, int Width, int Height, long Bytes, string Format);

/// <summary>
/// A task record as stored; <paramref name="Result"/> is the <c>result</c> map of a completed record whose consumer
/// records one (see <see cref="TaskCompletion.Result"/>), null otherwise.
/// </summary>
public sealed record TaskRecord(
    string TaskId,
    TaskState Status,
    int Attempts,
    string? LeaseToken,
    DateTimeOffset? LeaseExpiresAt,
    IReadOnlyList<TaskOutput> Outputs,
    string? Error,
    IReadOnlyDictionary<string, object?>? Result = null);

/// <summary>
/// The task table port: the conditional writes that make processing exactly-once on top of at-least-once delivery.
/// Every write after the claim is fenced by the lease token, so a worker whose lease was taken over cannot
/// overwrite the new owner's record.
/// </summary>
public interface ITaskLedger
{
    /// <summary>Claims <paramref name="taskId"/> if it is new or its owner's lease has expired.</summary>
    Task<ClaimResult> ClaimAsync(string taskId, SourceObject source, DateTimeOffset leaseExpiresAt, CancellationToken cancellationToken);

    /// <summary>Marks the task completed with what the work produced; false when the lease was lost to another worker.</summary>
    Task<bool> CompleteAsync(string taskId, string leaseToken, TaskCompletion completion, CancellationToken cancellationToken);

    /// <summary>Records a permanent failure; false when the lease was lost to another worker.</summary>
    Task<bool> FailAsync(string taskId, string leaseToken, string reason, CancellationToken cancellationToken);

    /// <summary>Gives the task up after a transient failure so the next delivery can claim it at once.</summary>
    Task ReleaseAsync(string taskId, string leaseToken, string reason, CancellationToken cancellationToken);

    /// <summary>Reads a record with strong consistency; null when absent.</summary>
    Task<TaskRecord?> GetAsync(string taskId, CancellationToken cancellationToken);
}
