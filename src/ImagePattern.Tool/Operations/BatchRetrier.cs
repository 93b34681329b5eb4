using Amazon.Runtime;
using Amazon.SQS.Model;

namespace ImagePattern.Tool.Operations;

/// <summary>An entry that still failed after every retry, or failed for a reason retrying cannot fix.</summary>
internal sealed record EntryFailure<T>(T Entry, string Code, string? Message);

/// <summary>What became of one batch: the entries that succeeded, those that did not, and how many retries it took.</summary>
internal sealed record BatchOutcome<T>(IReadOnlyList<T> Succeeded, IReadOnlyList<EntryFailure<T>> Failed, int Retries);

/// <summary>What one SQS batch call answered: the ids it accepted and the entries it refused.</summary>
internal sealed record BatchAnswer(IReadOnlyList<string> Successful, IReadOnlyList<BatchResultErrorEntry> Failed)
{
    public static BatchAnswer Of(SendMessageBatchResponse response) =>
        new((response.Successful ?? []).Select(e => e.Id).ToList(), response.Failed ?? []);

    public static BatchAnswer Of(DeleteMessageBatchResponse response) =>
        new((response.Successful ?? []).Select(e => e.Id).ToList(), response.Failed ?? []);
}

/// <summary>
/// Runs one SQS batch call (at most 10 entries) to completion under <see cref="SqsRetry"/>: the whole call is
/// repeated when it is throttled or hits a server fault, and after a partial failure only the entries that failed
/// on the server's side are sent again. Entries the server rejects as the sender's fault fail at once.
/// </summary>
internal sealed class BatchRetrier(SqsRetry retry, TimeProvider time)
{
    /// <summary>The most entries SQS accepts in one batch call.</summary>
    public const int MaxEntries = 10;

    public async Task<BatchOutcome<T>> RunAsync<T>(
        IReadOnlyList<T> entries,
        Func<T, string> idOf,
        Func<IReadOnlyList<T>, CancellationToken, Task<BatchAnswer>> call,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entries);
        ArgumentNullException.ThrowIfNull(idOf);
        ArgumentNullException.ThrowIfNull(call);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(entries.Count, MaxEntries);
        var batch = new PendingBatch<T>(entries, idOf);
        var retries = 0;
        var pipeline = retry.BatchSteps(time, () => retries++);
        try
        {
            // True while entries are left to send: the pipeline repeats the step until none are, or attempts run out.
            await pipeline.ExecuteAsync(async ct => batch.Record(await call(batch.Pending, ct)), cancellationToken);
        }
        catch (Exception ex) when (SqsRetry.IsTransient(ex, cancellationToken))
        {
            batch.FailPending(ex is AmazonServiceException { ErrorCode: { } code } ? code : ex.GetType().Name, ex.Message, lastRefusal: false);
        }

        batch.FailPending("NoAnswer", "the batch response named neither success nor failure");
        return new BatchOutcome<T>(batch.Succeeded, batch.Failed, retries);
    }

    private static bool IsRetryable(BatchResultErrorEntry error) =>
        error.SenderFault != true || SqsRetry.IsThrottling(error.Code);

    /// <summary>The entries of one batch across attempts.</summary>
    private sealed class PendingBatch<T>(IReadOnlyList<T> entries, Func<T, string> idOf)
    {
        // An entry's last retryable refusal, reported if it never gets through.
        private readonly Dictionary<string, BatchResultErrorEntry> lastError = new(StringComparer.Ordinal);

        public List<T> Pending { get; private set; } = [.. entries];

        public List<T> Succeeded { get; } = [];

        public List<EntryFailure<T>> Failed { get; } = [];

        /// <summary>Takes in one answer; true when entries remain to be sent again.</summary>
        public bool Record(BatchAnswer answer)
        {
            var successful = answer.Successful.ToHashSet(StringComparer.Ordinal);
            var refused = answer.Failed.Where(f => f.Id is not null).ToDictionary(f => f.Id, StringComparer.Ordinal);
            var again = new List<T>();
            foreach (var entry in Pending)
            {
                var id = idOf(entry);
                if (successful.Contains(id))
                {
                    Succeeded.Add(entry);
                }
                else if (refused.TryGetValue(id, out var error) && !IsRetryable(error))
                {
                    Failed.Add(new EntryFailure<T>(entry, error.Code ?? "Unknown", error.Message));
                }
                else
                {
                    // Refused for a retryable reason, or named neither successful nor failed (an unknown outcome:
                    // sending a notification again is safe, since dedup absorbs a duplicate; losing it is not).
                    if (error is not null)
                    {
                        lastError[id] = error;
                    }

                    again.Add(entry);
                }
            }

            Pending = again;
            return again.Count > 0;
        }

        /// <summary>Gives up on what is left, naming each entry's last refusal unless <paramref name="lastRefusal"/> is false.</summary>
        public void FailPending(string code, string? message, bool lastRefusal = true)
        {
            foreach (var entry in Pending)
            {
                Failed.Add(lastRefusal && lastError.TryGetValue(idOf(entry), out var error)
                    ? new EntryFailure<T>(entry, error.Code ?? code, error.Message)
                    : new EntryFailure<T>(entry, code, message));
            }

            Pending = [];
        }
    }
}
