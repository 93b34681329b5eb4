using ImagePattern.Function.Events;
using ImagePattern.Function.Ledger;

namespace ImagePattern.Function.Tests.Support;

/// <summary>
/// The real ledger, except that the process "dies" at completion: the completion never reaches the table and,
/// as after a real crash, nothing releases the lease.
/// </summary>
internal sealed class CrashingLedger(ITaskLedger inner) : ITaskLedger
{
    public Task<ClaimResult> ClaimAsync(string taskId, SourceObject source, DateTimeOffset leaseExpiresAt, CancellationToken cancellationToken) =>
        inner.ClaimAsync(taskId, source, leaseExpiresAt, cancellationToken);

    public Task<bool> CompleteAsync(string taskId, string leaseToken, TaskCompletion completion, CancellationToken cancellationToken) =>
        throw new InvalidOperationException("simulated crash between the thumbnail writes and the completion");

    public Task<bool> FailAsync(string taskId, string leaseToken, string reason, CancellationToken cancellationToken) =>
        inner.FailAsync(taskId, leaseToken, reason, cancellationToken);

    public Task ReleaseAsync(string taskId, string leaseToken, string reason, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task<TaskRecord?> GetAsync(string taskId, CancellationToken cancellationToken) => inner.GetAsync(taskId, cancellationToken);
}
