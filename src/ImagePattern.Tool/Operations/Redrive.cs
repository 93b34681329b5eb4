using System.Globalization;
using Amazon.Runtime;
using Amazon.SQS.Model;
using Polly;

namespace ImagePattern.Tool.Operations;

/// <summary>A redrive request.</summary>
/// <param name="DeadLetterQueueUrl">The DLQ to empty.</param>
/// <param name="DestinationQueueUrl">
/// Where the messages go. Null lets SQS's move task return each message to the queue it came from; the manual
/// fallback needs it.
/// </param>
/// <param name="ForceManual">Skip <c>StartMessageMoveTask</c> even where the endpoint has it.</param>
internal sealed record RedriveRequest(string DeadLetterQueueUrl, string? DestinationQueueUrl, bool ForceManual = false);

/// <summary>How many messages the DLQ holds.</summary>
/// <param name="Visible">Messages that can be moved now.</param>
/// <param name="InFlight">Messages someone has received and not yet deleted (moved later, or by a second run).</param>
internal sealed record DeadLetterCount(long Visible, long InFlight);

/// <summary>The outcome of a redrive.</summary>
/// <param name="Method"><c>move-task</c>, <c>receive-send-delete</c>, or <c>none</c> (nothing to do or not confirmed).</param>
/// <param name="Found">Visible messages counted before starting.</param>
/// <param name="Moved">Messages sent to the destination and deleted from the DLQ (manual method).</param>
/// <param name="NotSent">Messages whose send failed; they stay in the DLQ and reappear after the receive's visibility timeout.</param>
/// <param name="SentNotDeleted">
/// Messages sent whose delete failed: they stay in the DLQ too, so a second redrive sends them again — a duplicate the
/// task table absorbs.
/// </param>
/// <param name="MoveTaskHandle">Handle of the SQS move task, when that method ran.</param>
internal sealed record RedriveResult(string Method, long Found, long Moved, long NotSent, long SentNotDeleted, string? MoveTaskHandle);

/// <summary>
/// Moves dead-lettered messages back to the source queue. Where the endpoint has <c>StartMessageMoveTask</c>, SQS does
/// the move; otherwise messages are received, sent to the destination, and deleted from the DLQ only once the send
/// succeeded. The order means a crash can leave a message in both queues (a duplicate, absorbed by the task table)
/// but never in neither.
/// </summary>
internal sealed class Redrive(IQueueOperations sqs, SqsRetry retry, TimeProvider time)
{
    private readonly ResiliencePipeline calls = retry.Calls(time);

    // Long enough to send and delete a batch with retries before the message could be handed out again.
    private const int ReceiveVisibilitySeconds = 120;

    // Empty receives in a row before the DLQ counts as drained (a receive may miss messages on another server).
    private const int EmptyReceivesToFinish = 2;

    public async Task<DeadLetterCount> CountAsync(string deadLetterQueueUrl, CancellationToken cancellationToken)
    {
        var attributes = await sqs.GetAttributesAsync(deadLetterQueueUrl, ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"], cancellationToken);
        return new DeadLetterCount(Number(attributes, "ApproximateNumberOfMessages"), Number(attributes, "ApproximateNumberOfMessagesNotVisible"));
    }

    /// <param name="request">Which queues.</param>
    /// <param name="confirm">Asked with the count before anything moves; false stops the redrive.</param>
    /// <param name="cancellationToken">Stops between batches; a batch in progress is finished first.</param>
    public async Task<RedriveResult> RunAsync(RedriveRequest request, Func<DeadLetterCount, bool> confirm, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(confirm);
        var count = await CountAsync(request.DeadLetterQueueUrl, cancellationToken);
        if (count.Visible == 0 || !confirm(count))
        {
            return new RedriveResult("none", count.Visible, 0, 0, 0, null);
        }

        if (!request.ForceManual)
        {
            var handle = await TryMoveTaskAsync(request, cancellationToken);
            if (handle is not null)
            {
                return new RedriveResult("move-task", count.Visible, 0, 0, 0, handle);
            }
        }

        if (request.DestinationQueueUrl is null)
        {
            throw new UserErrorException("This endpoint has no StartMessageMoveTask: name the destination queue (--queue-url) for the receive/send/delete method.");
        }

        return await MoveManuallyAsync(request.DeadLetterQueueUrl, request.DestinationQueueUrl, count.Visible, cancellationToken);
    }

    private async Task<string?> TryMoveTaskAsync(RedriveRequest request, CancellationToken cancellationToken)
    {
        var dlqArn = await ArnOfAsync(request.DeadLetterQueueUrl, cancellationToken);
        var destinationArn = request.DestinationQueueUrl is null ? null : await ArnOfAsync(request.DestinationQueueUrl, cancellationToken);
        try
        {
            return await sqs.StartMessageMoveTaskAsync(dlqArn, destinationArn, cancellationToken) ?? "";
        }
        catch (AmazonServiceException ex) when (IsUnsupported(ex))
        {
            return null;
        }
    }

    private async Task<RedriveResult> MoveManuallyAsync(string dlqUrl, string destinationUrl, long found, CancellationToken cancellationToken)
    {
        var retrier = new BatchRetrier(retry, time);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        long moved = 0, notSent = 0, sentNotDeleted = 0;
        for (var empty = 0; empty < EmptyReceivesToFinish;)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var received = await ReceiveAsync(dlqUrl, cancellationToken);
            // A message seen before is one whose send or delete failed in this run; it is left for the next run.
            var fresh = received.Where(m => seen.Add(m.MessageId)).ToList();
            if (fresh.Count == 0)
            {
                empty++;
                continue;
            }

            empty = 0;
            var entries = fresh.Select((m, i) => (Entry: new SendMessageBatchRequestEntry(i.ToString(CultureInfo.InvariantCulture), m.Body), Message: m)).ToList();
            var sent = await retrier.RunAsync(
                entries.Select(e => e.Entry).ToList(), e => e.Id, (pending, ct) => sqs.SendBatchAsync(destinationUrl, pending, ct), CancellationToken.None);
            notSent += sent.Failed.Count;

            // Only what the destination accepted is deleted; the rest reappears in the DLQ after the visibility timeout.
            var sentIds = sent.Succeeded.Select(e => e.Id).ToHashSet(StringComparer.Ordinal);
            var deletes = entries.Where(e => sentIds.Contains(e.Entry.Id)).Select(e => new DeleteMessageBatchRequestEntry(e.Entry.Id, e.Message.ReceiptHandle)).ToList();
            if (deletes.Count == 0)
            {
                continue;
            }

            var deleted = await retrier.RunAsync(deletes, d => d.Id, (pending, ct) => sqs.DeleteBatchAsync(dlqUrl, pending, ct), CancellationToken.None);
            moved += deleted.Succeeded.Count;
            sentNotDeleted += deleted.Failed.Count;
        }

        return new RedriveResult("receive-send-delete", found, moved, notSent, sentNotDeleted, null);
    }

    private Task<IReadOnlyList<Message>> ReceiveAsync(string dlqUrl, CancellationToken cancellationToken) =>
        calls.ExecuteAsync(
            async ct => await sqs.ReceiveAsync(dlqUrl, BatchRetrier.MaxEntries, 1, ReceiveVisibilitySeconds, ct),
            cancellationToken).AsTask();

    private async Task<string> ArnOfAsync(string queueUrl, CancellationToken cancellationToken) =>
        (await sqs.GetAttributesAsync(queueUrl, ["QueueArn"], cancellationToken)).TryGetValue("QueueArn", out var arn)
            ? arn
            : throw new InvalidOperationException($"{queueUrl} reported no QueueArn.");

    // An endpoint without the action (local emulators) answers one of these; SQS itself has it.
    private static bool IsUnsupported(AmazonServiceException ex) =>
        ex.ErrorCode is "InvalidAction" or "UnknownOperation" or "UnknownOperationException" or "NotImplemented" or "UnsupportedOperation"
        || ex.StatusCode == System.Net.HttpStatusCode.NotImplemented;

    private static long Number(IReadOnlyDictionary<string, string> attributes, string name) =>
        attributes.TryGetValue(name, out var raw) && long.TryParse(raw, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : 0;
}
