using System.Globalization;
using System.Text.Json;
using ImagePattern.Function.Events;
using ImagePattern.Imaging.Tooling;
using ImagePattern.Tool.Local;
using ImagePattern.Tool.Emulators.LambdaEventSourceMapping;
using Amazon.SQS;
using Amazon.SQS.Model;
using Microsoft.Extensions.Logging.Abstractions;

namespace ImagePattern.Bench.Pipeline;

/// <summary>
/// <c>poller-overhead</c>: the event-source-mapping poller's own cost per message. The queue is filled beforehand with
/// copies of a real S3 notification, then <see cref="EventSourceMappingPoller"/> drains it into a handler that does
/// nothing, so what remains is receive, batching, the handler call and the delete round trips (emulator included).
/// </summary>
internal static class PollerOverheadCommand
{
    public static async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var options = BenchArgs.Parse(args, ["messages"]);
        var messages = options.Int("messages", 2000);

        await using var pipeline = await LocalPipeline.StartAsync(new LocalPipelineOptions { StartPoller = false }, cancellationToken);
        // One real notification body, taken off the queue; everything after is copies of it.
        await StackProbe.UploadAsync(pipeline, "bench/poller/source.jpg", SampleImages.Create(64, 48, SampleFormat.Jpeg), cancellationToken);
        var body = (await StackProbe.ReceiveNotificationsAsync(pipeline, 1, TimeSpan.FromSeconds(30), cancellationToken))[0].Record.Body!;

        var configs = new List<PollerSample>();
        // The mapping's defaults (batch 10, concurrency 10), one worker alone, and one message per call. Each gets a
        // queue of its own: a stopped poller's long polls may still be answered by the emulator, and the messages they
        // take would stay invisible to the next configuration.
        var attributes = new Dictionary<string, string>
        {
            ["VisibilityTimeout"] = ((int)pipeline.Layout.VisibilityTimeout.TotalSeconds).ToString(CultureInfo.InvariantCulture),
        };
        var configurations = new[] { (10, 10, messages), (10, 1, messages), (1, 1, messages / 4) };
        foreach (var (index, (batchSize, concurrency, count)) in configurations.Index())
        {
            var queueUrl = (await pipeline.Sqs.CreateQueueAsync(
                new CreateQueueRequest { QueueName = $"{pipeline.Layout.Name}-bench-poller-{index}", Attributes = attributes }, cancellationToken)).QueueUrl;
            var queueArn = (await pipeline.Sqs.GetQueueAttributesAsync(queueUrl, ["QueueArn"], cancellationToken)).Attributes["QueueArn"];
            await FillAsync(pipeline.Sqs, queueUrl, body, count, cancellationToken);
            configs.Add(await DrainAsync(pipeline, new PollerOptions(
                queueUrl, queueArn, pipeline.Endpoints.Region, batchSize, pipeline.Layout.BatchingWindow, pipeline.Layout.FunctionTimeout, concurrency), count, cancellationToken));
        }

        Console.WriteLine(JsonSerializer.Serialize(new PollerOverheadReport(body.Length, configs), BenchJsonContext.Default.PollerOverheadReport));
        return 0;
    }

    private static async Task FillAsync(IAmazonSQS sqs, string queueUrl, string body, int count, CancellationToken cancellationToken)
    {
        for (var sent = 0; sent < count; sent += 10)
        {
            var entries = Enumerable.Range(0, Math.Min(10, count - sent))
                .Select(i => new SendMessageBatchRequestEntry(i.ToString(CultureInfo.InvariantCulture), body))
                .ToList();
            var result = await sqs.SendMessageBatchAsync(queueUrl, entries, cancellationToken);
            if (result.Failed is { Count: > 0 })
            {
                throw new InvalidOperationException($"SendMessageBatch failed: {result.Failed[0].Code} {result.Failed[0].Message}");
            }
        }
    }

    private static async Task<PollerSample> DrainAsync(LocalPipeline pipeline, PollerOptions options, int count, CancellationToken cancellationToken)
    {
        var poller = new EventSourceMappingPoller(
            pipeline.Sqs,
            options,
            static (_, _, _) => Task.FromResult(new SqsBatchResponse()),
            TimeProvider.System,
            NullLogger<EventSourceMappingPoller>.Instance);

        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var emulatorBefore = StackProbe.EmulatorCpuMs();
        var cpuBefore = Environment.CpuUsage.TotalTime;
        var clock = TimeProvider.System.GetTimestamp();
        var running = poller.RunAsync(stopping.Token);
        while (poller.Stats.Deleted < count && TimeProvider.System.GetElapsedTime(clock) < TimeSpan.FromMinutes(2))
        {
            await Task.Delay(TimeSpan.FromMilliseconds(5), TimeProvider.System, cancellationToken);
        }

        var wallMs = TimeProvider.System.GetElapsedTime(clock).TotalMilliseconds;
        var cpuMs = (Environment.CpuUsage.TotalTime - cpuBefore).TotalMilliseconds;
        var emulatorMs = StackProbe.EmulatorCpuMs() - emulatorBefore;
        await stopping.CancelAsync();
        await running;
        return new PollerSample(options.BatchSize, options.MaximumConcurrency, count, wallMs, cpuMs, emulatorMs, poller.Stats.Invocations, poller.Stats.Deleted);
    }
}
