using System.Globalization;
using Amazon.SQS.Model;

namespace ImagePattern.Tool.Operations;

/// <summary>A backfill request.</summary>
/// <param name="Filter">Which objects.</param>
/// <param name="QueueUrl">The notification queue.</param>
/// <param name="Region">Region written into the records.</param>
/// <param name="DryRun">List and report only; send nothing.</param>
/// <param name="Parallelism">Batches in flight at once.</param>
internal sealed record BackfillRequest(ListingFilter Filter, string QueueUrl, string Region, bool DryRun = false, int Parallelism = 4);

/// <summary>One object that could not be enqueued.</summary>
internal sealed record BackfillFailure(string Key, string Code, string? Message);

/// <summary>The outcome of a backfill.</summary>
/// <param name="Scanned">Objects listed under the prefix.</param>
/// <param name="Matched">Objects that passed the filters.</param>
/// <param name="Enqueued">Messages the queue accepted (0 on a dry run).</param>
/// <param name="Batches">SendMessageBatch calls that completed.</param>
/// <param name="Retries">Batch calls repeated after throttling, server faults or partial failures.</param>
/// <param name="Failed">Objects still not enqueued after every retry.</param>
/// <param name="Versioned">The bucket is versioned (records carry version ids).</param>
internal sealed record BackfillResult(long Scanned, long Matched, long Enqueued, long Batches, long Retries, IReadOnlyList<BackfillFailure> Failed, bool Versioned);

/// <summary>
/// Re-announces existing objects to the pipeline: lists them, builds the notification S3 would have sent for each,
/// and sends those in batches of 10. Safe to repeat — the task table turns every object already processed under
/// the current thumbnail recipe into an acknowledged duplicate, while a changed recipe yields new tasks.
/// </summary>
internal sealed class Backfill(ObjectLister lister, IQueueOperations sqs, SqsRetry retry, TimeProvider time)
{
    private long sequence;

    /// <param name="request">What to backfill.</param>
    /// <param name="onObject">Called for every matching object with the body it gets (the dry run prints these).</param>
    /// <param name="cancellationToken">Stops listing and sending; what was sent stays sent.</param>
    public async Task<BackfillResult> RunAsync(BackfillRequest request, Action<ListedObject, string>? onObject, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var retrier = new BatchRetrier(retry, time);
        var failures = new List<BackfillFailure>();
        long matched = 0, enqueued = 0, batches = 0, retries = 0;

        await foreach (var page in lister.ListAsync(request.Filter, cancellationToken))
        {
            var now = time.GetUtcNow();
            var messages = page
                .Select(o => (Object: o, Body: SyntheticNotification.Create(request.Filter.Bucket, o, request.Region, now, Interlocked.Increment(ref sequence))))
                .ToList();
            matched += messages.Count;
            foreach (var (item, body) in messages)
            {
                onObject?.Invoke(item, body);
            }

            if (request.DryRun)
            {
                continue;
            }

            await Parallel.ForEachAsync(
                messages.Chunk(BatchRetrier.MaxEntries),
                new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, request.Parallelism), CancellationToken = cancellationToken },
                async (chunk, ct) =>
                {
                    var entries = chunk.Select((m, i) => new SendMessageBatchRequestEntry(i.ToString(CultureInfo.InvariantCulture), m.Body)).ToList();
                    var outcome = await retrier.RunAsync(entries, e => e.Id, (pending, c) => sqs.SendBatchAsync(request.QueueUrl, pending, c), ct);
                    lock (failures)
                    {
                        batches++;
                        retries += outcome.Retries;
                        enqueued += outcome.Succeeded.Count;
                        failures.AddRange(outcome.Failed.Select(f =>
                            new BackfillFailure(chunk[int.Parse(f.Entry.Id, CultureInfo.InvariantCulture)].Object.Key, f.Code, f.Message)));
                    }
                });
        }

        return new BackfillResult(lister.Scanned, matched, enqueued, batches, retries, failures, lister.Versioned);
    }
}
