using System.Collections.Concurrent;
using ImagePattern.Function.Events;
using ImagePattern.Function.Observability;
using Microsoft.Extensions.Logging;

namespace ImagePattern.Function.Pipeline;

/// <summary>
/// One SQS batch in, the partial-batch response out. Messages run in parallel; one bad message never fails the
/// batch: only messages that need another delivery are listed in <c>batchItemFailures</c>. Each object's task id is
/// computed here, once (<see cref="TaskIdentity"/> with the consumer's recipe), and handed to the <see cref="TaskProcessor"/>.
/// </summary>
public sealed partial class BatchProcessor(
    NotificationParser parser,
    ImageKeyFilter filter,
    TaskProcessor processor,
    string recipe,
    int maxParallelMessages,
    ILogger<BatchProcessor> logger)
{
    /// <summary>Processes <paramref name="batch"/>; work is not started past <see cref="InvocationDeadline.StartBy"/>.</summary>
    public async Task<SqsBatchResponse> ProcessAsync(SqsEvent batch, InvocationDeadline deadline, InvocationMetrics metrics, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var failures = new ConcurrentBag<string>();
        var invocation = new Invocation(deadline, metrics, new());

        await Parallel.ForEachAsync(
            batch.Records ?? [],
            new ParallelOptions { MaxDegreeOfParallelism = maxParallelMessages, CancellationToken = cancellationToken },
            async (message, ct) =>
            {
                if (await ProcessMessageAsync(message, invocation, ct) && message.MessageId is { } id)
                {
                    failures.Add(id);
                }
            });

        return new SqsBatchResponse { BatchItemFailures = failures.Order(StringComparer.Ordinal).Select(id => new BatchItemFailure(id)).ToList() };
    }

    /// <returns>True when the message must be delivered again.</returns>
    private async Task<bool> ProcessMessageAsync(SqsMessage message, Invocation invocation, CancellationToken cancellationToken)
    {
        var metrics = invocation.Metrics;
        // receive_count on every line of the message: on a retry it tells operators how near the DLQ it is.
        using var scope = logger.BeginScope(new Dictionary<string, object?> { ["message_id"] = message.MessageId, ["receive_count"] = message.ReceiveCount });
        if (message.MessageId is null)
        {
            // Without an id the message cannot be named in batchItemFailures; SQS would redeliver the whole batch.
            LogNoMessageId();
            metrics.Count(InvocationMetrics.Names.Ignored);
            return false;
        }

        switch (parser.Parse(message.Body))
        {
            case MessageContent.TestEvent:
                LogTestEvent();
                metrics.Count(InvocationMetrics.Names.Ignored);
                return false;
            case MessageContent.Unreadable unreadable:
                // Kept, not acknowledged: after maxReceiveCount receives it rests in the DLQ for a person to read.
                LogUnreadable(message.MessageId, unreadable.Reason, message.Body?.Length ?? 0);
                metrics.Count(InvocationMetrics.Names.Unreadable);
                return true;
            case MessageContent.Objects objects:
                foreach (var reason in objects.Ignored)
                {
                    LogIgnored(reason);
                    metrics.Count(InvocationMetrics.Names.Ignored);
                }

                var retry = false;
                foreach (var item in objects.Items)
                {
                    if (filter.ReasonToIgnore(item) is { } reason)
                    {
                        LogIgnoredObject(item.Key, reason);
                        metrics.Count(InvocationMetrics.Names.Ignored);
                        continue;
                    }

                    var outcome = await RunOnceAsync(item, invocation, cancellationToken);
                    retry |= outcome == TaskOutcome.Retry;
                }

                // The readable records were handled (a redelivery finds them done); the rest needs a person.
                foreach (var reason in objects.UnreadableRecords)
                {
                    LogUnreadable(message.MessageId, reason, message.Body?.Length ?? 0);
                    metrics.Count(InvocationMetrics.Names.Unreadable);
                    retry = true;
                }

                return retry;
            default:
                throw new InvalidOperationException("unreachable: unknown message content");
        }
    }

    private async Task<TaskOutcome> RunOnceAsync(SourceObject item, Invocation invocation, CancellationToken cancellationToken)
    {
        var taskId = TaskIdentity.For(item, recipe);
        var mine = new Lazy<Task<TaskOutcome>>(() => processor.ProcessAsync(item, taskId, invocation.Deadline, invocation.Metrics, cancellationToken));
        var shared = invocation.InFlight.GetOrAdd(taskId, mine);
        var outcome = await shared.Value;
        if (!ReferenceEquals(shared, mine))
        {
            // Another message of this batch did the work: this delivery is a duplicate unless that one must retry.
            outcome = outcome == TaskOutcome.Retry ? TaskOutcome.Retry : TaskOutcome.Duplicate;
        }

        invocation.Metrics.Count(outcome switch
        {
            TaskOutcome.Completed => InvocationMetrics.Names.Processed,
            TaskOutcome.Duplicate => InvocationMetrics.Names.Duplicates,
            TaskOutcome.PermanentlyFailed => InvocationMetrics.Names.PermanentFailures,
            _ => InvocationMetrics.Names.Retries,
        });
        return outcome;
    }

    // What every message of one batch shares. InFlight holds the batch's tasks by id: the same task twice in one batch
    // (duplicate notifications) runs once, and the other deliveries share its outcome.
    private sealed record Invocation(InvocationDeadline Deadline, InvocationMetrics Metrics, ConcurrentDictionary<string, Lazy<Task<TaskOutcome>>> InFlight);

    [LoggerMessage(Level = LogLevel.Information, Message = "s3:TestEvent acknowledged")]
    private partial void LogTestEvent();

    [LoggerMessage(Level = LogLevel.Error, Message = "Unreadable message {MessageId} kept for the DLQ: {Reason} (body {BodyLength} chars)")]
    private partial void LogUnreadable(string messageId, string reason, int bodyLength);

    [LoggerMessage(Level = LogLevel.Information, Message = "Record ignored: {Reason}")]
    private partial void LogIgnored(string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Object {Key} ignored: {Reason}")]
    private partial void LogIgnoredObject(string key, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Message without messageId acknowledged without work")]
    private partial void LogNoMessageId();
}
