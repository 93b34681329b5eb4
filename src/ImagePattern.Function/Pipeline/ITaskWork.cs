using ImagePattern.Function.Events;
using ImagePattern.Function.Ledger;

namespace ImagePattern.Function.Pipeline;

/// <summary>
/// The one part of a task that differs between consumers (thumbnails, image metadata, yours): what is made from a
/// claimed object's bytes and where it is kept. <see cref="TaskProcessor"/> runs everything around it — claim, read,
/// fenced completion, FAILED for permanent problems, a released lease for transient ones — the same for every consumer.
/// </summary>
public interface ITaskWork
{
    /// <summary>
    /// Fingerprint of what shapes this consumer's result; part of the task id
    /// (<c>&lt;bucket&gt;/&lt;key&gt;@&lt;revision&gt;#&lt;recipe&gt;</c>), so consumers sharing a table never share tasks.
    /// </summary>
    string Recipe { get; }

    /// <summary>Largest source object read, in bytes; a larger one is a permanent failure before any download.</summary>
    long MaxSourceBytes { get; }

    /// <summary>
    /// Step 3, CPU-bound: runs while holding one of the image slots, and the source bytes are handed back as soon as
    /// it returns. Returns <see cref="WorkResult.Failed"/> for a permanent problem with these bytes (not an image,
    /// corrupt, too large), otherwise a <see cref="WorkResult.Made"/> for <see cref="StoreAsync"/>. Throws only for
    /// transient problems.
    /// </summary>
    WorkResult Make(SourceObject source, ReadOnlyMemory<byte> data);

    /// <summary>
    /// Step 4: keeps what <see cref="Make"/> produced (writes must be idempotent: deterministic keys, same bytes, since a
    /// crash before the completion repeats them) and returns <see cref="WorkResult.Completed"/> with what the COMPLETED
    /// record carries, or <see cref="WorkResult.Failed"/>. Exceptions are transient failures.
    /// </summary>
    Task<WorkResult> StoreAsync(SourceObject source, WorkResult.Made made, CancellationToken cancellationToken);
}

/// <summary>What a step of <see cref="ITaskWork"/> ended with.</summary>
public abstract record WorkResult
{
    private protected WorkResult()
    {
    }

    /// <summary>A permanent failure: the task is recorded FAILED with <paramref name="Reason"/> and never retried.</summary>
    public sealed record Failed(string Reason) : WorkResult;

    /// <summary>Something made and not yet stored; each consumer derives its own.</summary>
    public abstract record Made : WorkResult;

    /// <summary>Everything stored; <paramref name="Completion"/> goes into the fenced COMPLETED update.</summary>
    public sealed record Completed(TaskCompletion Completion) : WorkResult;
}
