using System.Collections.Concurrent;
using ImagePattern.Function.Events;
using ImagePattern.Function.Observability;
using Microsoft.Extensions.Logging;

namespace ImagePattern.Function.Pipeline;

/// <summary>
/// One SQS batch in, the partial-batch response out. Messages run in parallel; one bad message never fails the
/// batch: only messages that need another delivery are listed in <c>batchItemFailures</c>.
/// </summary>
public sealed partial class BatchProcessor(
    NotificationParser parser,
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
        // The same task twice in one batch (duplicate notifications) runs once; the others share its outcome.
        var inFlight = new ConcurrentDictionary<string, Lazy<Task<TaskOutcome>>>();

        await Parallel.ForEachAsync(
            batch.Records ?? [],
            new ParallelOptions { MaxDegreeOfParallelism = maxParallelMessages, CancellationToken = cancellationToken },
            async (message, ct) =>
            {
                if (await ProcessMessageAsync(message, deadline, metrics, inFlight, ct) && message.MessageId is { } id)
                {
                    failures.Add(id);
                }
            });

        return new SqsBatchResponse { BatchItemFailures = failures.Order(StringComparer.Ordinal).Select(id => new BatchItemFailure(id)).ToList() };
    }

    /// <returns>True when the message must be delivered again.</returns>
    private async Task<bool> ProcessMessageAsync(
        SqsMessage message,
        InvocationDeadline deadline,
        InvocationMetrics metrics,
        ConcurrentDictionary<string, Lazy<Task<TaskOutcome>>> inFlight,
        CancellationToken cancellationToken)
    {
        using var scope = logger.BeginScope(new Dictionary<string, object?> { ["message_id"] = message.MessageId });
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
                return false;
            case MessageContent.Malformed malformed:
                LogMalformed(malformed.Reason, message.Body?.Length ?? 0);
                metrics.Count(InvocationMetrics.Names.Ignored);
                return false;
            case MessageContent.Objects objects:
                foreach (var reason in objects.Skipped)
                {
                    LogSkipped(reason);
                    metrics.Count(InvocationMetrics.Names.Ignored);
                }

                var retry = false;
                foreach (var item in objects.Items)
                {
                    var outcome = await RunOnceAsync(item, deadline, metrics, inFlight, cancellationToken);
                    retry |= outcome == TaskOutcome.Retry;
                }

                return retry;
            default:
                throw new InvalidOperationException("unreachable: unknown message content");
        }
    }

    private async Task<TaskOutcome> RunOnceAsync(
        SourceObject item,
        InvocationDeadline deadline,
        InvocationMetrics metrics,
        ConcurrentDictionary<string, Lazy<Task<TaskOutcome>>> inFlight,
        CancellationToken cancellationToken)
    {
        var mine = new Lazy<Task<TaskOutcome>>(() => processor.ProcessAsync(item, deadline, metrics, cancellationToken));
        var shared = inFlight.GetOrAdd(TaskIdentity.For(item, recipe), mine);
        var outcome = await shared.Value;
        if (!ReferenceEquals(shared, mine))
        {
            // Another message of this batch did the work: this delivery is a duplicate unless that one must retry.
            outcome = outcome == TaskOutcome.Retry ? TaskOutcome.Retry : TaskOutcome.Duplicate;
        }

        metrics.Count(outcome switch
        {
            TaskOutcome.Completed => InvocationMetrics.Names.Processed,
            TaskOutcome.Duplicate => InvocationMetrics.Names.Duplicates,
            TaskOutcome.PermanentlyFailed => InvocationMetrics.Names.PermanentFailures,
            _ => InvocationMetrics.Names.Retries,
        });
        return outcome;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "s3:TestEvent acknowledged")]
    private partial void LogTestEvent();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Malformed message acknowledged without work: {Reason} (body {BodyLength} chars)")]
    private partial void LogMalformed(string reason, int bodyLength);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Record skipped: {Reason}")]
    private partial void LogSkipped(string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Message without messageId acknowledged without work")]
    private partial void LogNoMessageId();
}
