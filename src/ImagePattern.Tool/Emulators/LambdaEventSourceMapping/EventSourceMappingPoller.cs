using Amazon.Runtime;
using Amazon.SQS;
using Amazon.SQS.Model;
using ImagePattern.Function.Events;
using ImagePattern.Tool.Operations;
using Microsoft.Extensions.Logging;

namespace ImagePattern.Tool.Emulators.LambdaEventSourceMapping;

/// <summary>The settings of an SQS event source mapping, as Terraform sets them on the real one.</summary>
/// <param name="QueueUrl">Queue to poll.</param>
/// <param name="QueueArn">Its ARN (the <c>eventSourceARN</c> of each record).</param>
/// <param name="Region">Its region.</param>
/// <param name="BatchSize">Most messages per invocation (1–10 here).</param>
/// <param name="BatchingWindow">How long to gather messages before invoking.</param>
/// <param name="FunctionTimeout">An invocation running longer is cancelled and its whole batch retried.</param>
/// <param name="MaximumConcurrency">Most invocations at once.</param>
public sealed record PollerOptions(
    string QueueUrl,
    string QueueArn,
    string Region,
    int BatchSize,
    TimeSpan BatchingWindow,
    TimeSpan FunctionTimeout,
    int MaximumConcurrency);

/// <summary>The function as the poller calls it.</summary>
public delegate Task<SqsBatchResponse> BatchHandler(SqsEvent batch, DateTimeOffset deadline, CancellationToken cancellationToken);

/// <summary>Counts of what the poller did.</summary>
public sealed class PollerStats
{
    private long invocations;
    private long received;
    private long deleted;
    private long retried;
    private long failedInvocations;

    /// <summary>Handler invocations.</summary>
    public long Invocations => Interlocked.Read(ref invocations);

    /// <summary>Messages received (a redelivery counts again).</summary>
    public long Received => Interlocked.Read(ref received);

    /// <summary>Messages deleted after success.</summary>
    public long Deleted => Interlocked.Read(ref deleted);

    /// <summary>Messages left to reappear after the visibility timeout.</summary>
    public long Retried => Interlocked.Read(ref retried);

    /// <summary>Invocations that threw or timed out (whole batch retried).</summary>
    public long FailedInvocations => Interlocked.Read(ref failedInvocations);

    internal void Invoked(int count)
    {
        Interlocked.Increment(ref invocations);
        Interlocked.Add(ref received, count);
    }

    internal void Finished(int deletedCount, int retriedCount, bool failed)
    {
        Interlocked.Add(ref deleted, deletedCount);
        Interlocked.Add(ref retried, retriedCount);
        if (failed)
        {
            Interlocked.Increment(ref failedInvocations);
        }
    }
}

/// <summary>
/// A local stand-in for Lambda's SQS event source mapping with the same semantics: long polling, batch size and
/// batching window, a function timeout that cancels the invocation, partial-batch responses (delete what succeeded,
/// leave what failed to reappear after the visibility timeout), maximum concurrency; the DLQ is left to the queue's
/// redrive policy, exactly as in AWS.
/// </summary>
public sealed partial class EventSourceMappingPoller(IAmazonSQS sqs, PollerOptions options, BatchHandler handler, TimeProvider time, ILogger<EventSourceMappingPoller> logger)
{
    private const int LongPollSeconds = 20;

    private readonly SqsQueueOperations queue = new(sqs);

    /// <summary>What the poller has done so far.</summary>
    public PollerStats Stats { get; } = new();

    /// <summary>Polls with <see cref="PollerOptions.MaximumConcurrency"/> workers until <paramref name="stoppingToken"/> fires.</summary>
    public Task RunAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(Enumerable.Range(0, options.MaximumConcurrency).Select(_ => Task.Run(() => WorkerAsync(stoppingToken), CancellationToken.None)));

    private async Task WorkerAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var batch = await GatherAsync(stoppingToken);
                if (batch.Count > 0)
                {
                    await InvokeAsync(batch, stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is AmazonServiceException or AmazonClientException or HttpRequestException or IOException or TaskCanceledException)
            {
                LogPollError(ex);
                await Task.Delay(TimeSpan.FromSeconds(1), time, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    private async Task<List<Message>> GatherAsync(CancellationToken stoppingToken)
    {
        var batch = new List<Message>(options.BatchSize);
        batch.AddRange(await ReceiveAsync(options.BatchSize, LongPollSeconds, stoppingToken));
        if (batch.Count == 0)
        {
            return batch;
        }

        // Like the real mapping, keep gathering until the batch is full or the window closes.
        var windowEnd = time.GetUtcNow() + options.BatchingWindow;
        while (batch.Count < options.BatchSize && time.GetUtcNow() < windowEnd)
        {
            var wait = (int)Math.Ceiling((windowEnd - time.GetUtcNow()).TotalSeconds);
            batch.AddRange(await ReceiveAsync(options.BatchSize - batch.Count, Math.Clamp(wait, 0, LongPollSeconds), stoppingToken));
        }

        return batch;
    }

    // All system attributes, as the real mapping delivers them (ApproximateReceiveCount, SentTimestamp, ...).
    private async Task<IReadOnlyList<Message>> ReceiveAsync(int maxMessages, int waitSeconds, CancellationToken stoppingToken) =>
        await queue.ReceiveAsync(options.QueueUrl, maxMessages, waitSeconds, null, stoppingToken);

    private async Task InvokeAsync(List<Message> batch, CancellationToken stoppingToken)
    {
        Stats.Invoked(batch.Count);
        var sqsEvent = new SqsEvent { Records = batch.Select(m => ToSqsMessage(m, options.QueueArn, options.Region)).ToList() };
        var deadline = time.GetUtcNow() + options.FunctionTimeout;
        using var functionTimeout = new CancellationTokenSource(options.FunctionTimeout, time);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, functionTimeout.Token);

        HashSet<string> retry;
        var failed = false;
        try
        {
            var response = await handler(sqsEvent, deadline, timeout.Token).WaitAsync(timeout.Token);
            retry = response.BatchItemFailures.Select(f => f.ItemIdentifier).ToHashSet(StringComparer.Ordinal);
            if (!retry.IsSubsetOf(batch.Select(m => m.MessageId)))
            {
                // Lambda treats an unknown itemIdentifier as a failure of the whole batch.
                LogUnknownIdentifier();
                retry = batch.Select(m => m.MessageId).ToHashSet(StringComparer.Ordinal);
                failed = true;
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
        {
            LogInvocationFailed(ex, batch.Count);
            retry = batch.Select(m => m.MessageId).ToHashSet(StringComparer.Ordinal);
            failed = true;
        }

        var done = batch.Where(m => !retry.Contains(m.MessageId)).ToList();
        foreach (var chunk in done.Chunk(10))
        {
            var result = await queue.DeleteBatchAsync(
                options.QueueUrl,
                chunk.Select((m, i) => new DeleteMessageBatchRequestEntry(i.ToString(System.Globalization.CultureInfo.InvariantCulture), m.ReceiptHandle)).ToList(),
                CancellationToken.None);
            foreach (var error in result.Failed)
            {
                LogDeleteFailed(error.Code, error.Message);
            }
        }

        Stats.Finished(done.Count, retry.Count, failed);
    }

    /// <summary>A received message in the record shape Lambda's SQS event source mapping delivers.</summary>
    public static SqsMessage ToSqsMessage(Message message, string queueArn, string region)
    {
        ArgumentNullException.ThrowIfNull(message);
        return new SqsMessage
        {
            MessageId = message.MessageId,
            ReceiptHandle = message.ReceiptHandle,
            Body = message.Body,
            Attributes = message.Attributes,
            Md5OfBody = message.MD5OfBody,
            EventSource = "aws:sqs",
            EventSourceArn = queueArn,
            AwsRegion = region,
        };
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Polling failed; retrying in 1 s")]
    private partial void LogPollError(Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Invocation of {Count} messages failed or timed out; the whole batch will be retried")]
    private partial void LogInvocationFailed(Exception exception, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Handler named a message that is not in the batch; retrying the whole batch")]
    private partial void LogUnknownIdentifier();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Delete failed: {Code} {Message}")]
    private partial void LogDeleteFailed(string code, string? message);
}
