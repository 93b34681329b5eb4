using System.Collections.Concurrent;
using ImagePattern.Function.Events;
using ImagePattern.Testing;
using ImagePattern.Tool.Emulators.LambdaEventSourceMapping;
using ImagePattern.Tool.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace ImagePattern.Tool.Tests.Emulators.LambdaEventSourceMapping;

/// <summary>The local event source mapping against a real SQS emulator.</summary>
public sealed class EventSourceMappingPollerTests(LocalStackFixture stack)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<(string Url, string Arn)> NewQueueAsync(int visibility, string? redriveTo = null, int maxReceives = 0)
    {
        var attributes = new Dictionary<string, string> { ["VisibilityTimeout"] = visibility.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        if (redriveTo is not null)
        {
            attributes["RedrivePolicy"] = $$"""{"deadLetterTargetArn":"{{redriveTo}}","maxReceiveCount":{{maxReceives}}}""";
        }

        var url = await stack.Sqs.NewQueueAsync("p-" + Guid.NewGuid().ToString("N")[..10], attributes, Ct);
        return (url, await stack.Sqs.ArnAsync(url, Ct));
    }

    private EventSourceMappingPoller Poller((string Url, string Arn) queue, BatchHandler handler, int batchSize = 10, int concurrency = 2, double timeoutSeconds = 5) =>
        new(stack.Sqs,
            new PollerOptions(queue.Url, queue.Arn, stack.Endpoints.Region, batchSize, TimeSpan.Zero, TimeSpan.FromSeconds(timeoutSeconds), concurrency),
            handler,
            TimeProvider.System,
            NullLogger<EventSourceMappingPoller>.Instance);

    private static Task RunUntilAsync(EventSourceMappingPoller poller, Func<bool> done, TimeSpan limit) =>
        RunUntilAsync(poller, () => Task.FromResult(done()), limit);

    private static async Task RunUntilAsync(EventSourceMappingPoller poller, Func<Task<bool>> done, TimeSpan limit)
    {
        using var stop = new CancellationTokenSource();
        var run = poller.RunAsync(stop.Token);
        await Eventually.HoldsAsync(done, limit, Ct);
        await stop.CancelAsync();
        await run;
    }

    private async Task SendAsync(string queueUrl, params string[] bodies)
    {
        foreach (var chunk in bodies.Chunk(10))
        {
            var result = await stack.Sqs.SendAsync(queueUrl, chunk, Ct);
            Assert.Empty(result.Failed);
        }
    }

    [Fact]
    public async Task PartialBatchFailure_DeletesSucceededAndRedeliversOnlyFailed()
    {
        var queue = await NewQueueAsync(visibility: 1);
        await SendAsync(queue.Url, "ok-1", "fail-once", "ok-2");
        var seen = new ConcurrentQueue<(string Body, int Receive)>();
        var poller = Poller(queue, (batch, _, _) =>
        {
            var failures = new List<BatchItemFailure>();
            foreach (var m in batch.Records!)
            {
                seen.Enqueue((m.Body!, m.ReceiveCount));
                if (m.Body == "fail-once" && m.ReceiveCount == 1)
                {
                    failures.Add(new BatchItemFailure(m.MessageId!));
                }
            }

            return Task.FromResult(new SqsBatchResponse { BatchItemFailures = failures });
        });

        await RunUntilAsync(poller, () => seen.Count >= 4, TimeSpan.FromSeconds(20));

        Assert.Equal(["fail-once", "fail-once", "ok-1", "ok-2"], seen.Select(s => s.Body).Order(StringComparer.Ordinal));
        Assert.Contains(("fail-once", 2), seen);
        Assert.Equal(3, poller.Stats.Deleted);
        Assert.Equal("0", (await stack.Sqs.AttributesAsync(queue.Url, ["ApproximateNumberOfMessages"], Ct))["ApproximateNumberOfMessages"]);
    }

    [Fact]
    public async Task InvocationOverTimeout_IsCancelledAndWholeBatchRetried()
    {
        var queue = await NewQueueAsync(visibility: 2);
        await SendAsync(queue.Url, "a", "b");
        var attempts = 0;
        var completed = new ConcurrentBag<string>();
        var poller = Poller(queue, async (batch, _, ct) =>
        {
            if (Interlocked.Increment(ref attempts) == 1)
            {
                await Task.Delay(Timeout.InfiniteTimeSpan, TimeProvider.System, ct);
            }

            foreach (var m in batch.Records!)
            {
                completed.Add(m.Body!);
            }

            return new SqsBatchResponse();
        }, concurrency: 1, timeoutSeconds: 1);

        await RunUntilAsync(poller, () => completed.Count >= 2, TimeSpan.FromSeconds(20));

        Assert.Equal(["a", "b"], completed.Order(StringComparer.Ordinal));
        Assert.Equal(1, poller.Stats.FailedInvocations);
    }

    [Fact]
    public async Task BatchSizeAndMaximumConcurrency_AreNeverExceeded()
    {
        var queue = await NewQueueAsync(visibility: 30);
        await SendAsync(queue.Url, Enumerable.Range(0, 40).Select(i => $"m{i}").ToArray());
        var running = 0;
        var maxRunning = 0;
        var maxBatch = 0;
        var handled = 0;
        var poller = Poller(queue, async (batch, _, ct) =>
        {
            var now = Interlocked.Increment(ref running);
            InterlockedMax(ref maxRunning, now);
            InterlockedMax(ref maxBatch, batch.Records!.Count);
            await Task.Delay(TimeSpan.FromMilliseconds(50), TimeProvider.System, ct);
            Interlocked.Add(ref handled, batch.Records.Count);
            Interlocked.Decrement(ref running);
            return new SqsBatchResponse();
        }, batchSize: 4, concurrency: 3);

        await RunUntilAsync(poller, () => Volatile.Read(ref handled) >= 40, TimeSpan.FromSeconds(30));

        Assert.Equal(40, handled);
        Assert.InRange(maxBatch, 1, 4);
        Assert.InRange(maxRunning, 1, 3);
    }

    [Fact]
    public async Task AlwaysFailingMessage_MovesToDeadLetterQueueByRedrivePolicy()
    {
        var dlq = await NewQueueAsync(visibility: 30);
        var queue = await NewQueueAsync(visibility: 1, redriveTo: dlq.Arn, maxReceives: 2);
        await SendAsync(queue.Url, "poison");
        var poller = Poller(queue, (_, _, _) => throw new InvalidOperationException("handler bug"), concurrency: 1);

        await RunUntilAsync(
            poller,
            async () => (await stack.Sqs.AttributesAsync(dlq.Url, ["ApproximateNumberOfMessages"], Ct))["ApproximateNumberOfMessages"] == "1",
            TimeSpan.FromSeconds(30));

        var dead = Assert.Single(await stack.Sqs.ReceiveAsync(dlq.Url, 10, 0, null, Ct));
        Assert.Equal("poison", dead.Body);
        Assert.Equal(2, poller.Stats.FailedInvocations);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        do
        {
            current = Volatile.Read(ref target);
        }
        while (current < value && Interlocked.CompareExchange(ref target, value, current) != current);
    }
}
