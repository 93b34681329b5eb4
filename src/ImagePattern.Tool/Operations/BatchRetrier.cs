using ImagePattern.Tool.Sqs;

namespace ImagePattern.Tool.Operations;

/// <summary>An entry that still failed after every retry, or failed for a reason retrying cannot fix.</summary>
internal sealed record EntryFailure<T>(T Entry, string Code, string? Message);

/// <summary>What became of one batch: the entries that succeeded, those that did not, and how many retries it took.</summary>
internal sealed record BatchOutcome<T>(IReadOnlyList<T> Succeeded, IReadOnlyList<EntryFailure<T>> Failed, int Retries);

/// <summary>
/// Runs one SQS batch call (at most 10 entries) to completion: the whole call is retried with backoff when it is
/// throttled or hits a server fault, and after a partial failure only the entries that failed on the server's side
/// are sent again. Entries the server rejects as the sender's fault fail at once.
/// </summary>
internal sealed class BatchRetrier(Backoff backoff)
{
    /// <summary>The most entries SQS accepts in one batch call.</summary>
    public const int MaxEntries = 10;

    public async Task<BatchOutcome<T>> RunAsync<T>(
        IReadOnlyList<T> entries,
        Func<T, string> idOf,
        Func<IReadOnlyList<T>, CancellationToken, Task<SqsBatchResult>> call,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entries);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(entries.Count, MaxEntries);
        var succeeded = new List<T>(entries.Count);
        var failed = new List<EntryFailure<T>>();
        var pending = entries.ToList();
        var retries = 0;
        for (var attempt = 1; pending.Count > 0; attempt++)
        {
            SqsBatchResult result;
            try
            {
                result = await call(pending, cancellationToken);
            }
            catch (Exception ex) when (Backoff.IsTransient(ex, cancellationToken))
            {
                if (attempt >= backoff.MaxAttempts)
                {
                    var code = ex is SqsException sqs ? sqs.Code : ex.GetType().Name;
                    failed.AddRange(pending.Select(e => new EntryFailure<T>(e, code, ex.Message)));
                    break;
                }

                retries++;
                await backoff.WaitAsync(attempt, cancellationToken);
                continue;
            }

            var byId = pending.ToDictionary(idOf, StringComparer.Ordinal);
            succeeded.AddRange(result.Successful.Where(byId.ContainsKey).Select(id => byId[id]));
            var again = new List<T>();
            foreach (var error in result.Failed)
            {
                if (!byId.TryGetValue(error.Id, out var entry))
                {
                    continue;
                }

                if (IsRetryable(error) && attempt < backoff.MaxAttempts)
                {
                    again.Add(entry);
                }
                else
                {
                    failed.Add(new EntryFailure<T>(entry, error.Code, error.Message));
                }
            }

            // An entry named neither successful nor failed is an unknown outcome: sending it again is safe for
            // notifications (dedup absorbs a duplicate), losing it is not.
            var answered = result.Successful.Concat(result.Failed.Select(f => f.Id)).ToHashSet(StringComparer.Ordinal);
            again.AddRange(pending.Where(e => !answered.Contains(idOf(e))));

            pending = again;
            if (pending.Count > 0)
            {
                if (attempt >= backoff.MaxAttempts)
                {
                    failed.AddRange(pending.Select(e => new EntryFailure<T>(e, "NoAnswer", "the batch response named neither success nor failure")));
                    break;
                }

                retries++;
                await backoff.WaitAsync(attempt, cancellationToken);
            }
        }

        return new BatchOutcome<T>(succeeded, failed, retries);
    }

    private static bool IsRetryable(SqsBatchError error) =>
        !error.SenderFault || error.Code is "ThrottlingException" or "RequestThrottled" or "ServiceUnavailable" or "InternalError";
}
