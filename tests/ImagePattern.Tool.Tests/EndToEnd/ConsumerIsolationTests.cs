using System.Net;
using Amazon.S3;
using ImagePattern.Function.Events;
using ImagePattern.Function.Ledger;
using ImagePattern.Function.Storage;
using ImagePattern.Imaging.Tooling;
using ImagePattern.Testing;
using ImagePattern.Tool.Local;
using ImagePattern.Tool.Tests.Support;

namespace ImagePattern.Tool.Tests.EndToEnd;

/// <summary>
/// Fan-out isolation: the metadata consumer failing every message holds back no thumbnail (each consumer has its own
/// queue, poller and table), and its messages end in its own DLQ, not the thumbnailer's.
/// </summary>
public sealed class ConsumerIsolationTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("sns-fanout")]
    [InlineData("eventbridge")]
    public async Task MetadataConsumerFailingEveryMessage_DelaysNoThumbnail_AndDeadLettersInItsOwnQueue(string trigger)
    {
        // Every metadata read waits at the gate, then fails as S3 does when it throttles (a transient fault): while the
        // gate is shut the consumer is stuck on every message at once.
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        // The function timeout is the one timing this test depends on: a thumbnail must finish inside it on a loaded machine
        // for "first time" to hold (1 s was exceeded at load 14), and the metadata messages cycle to the DLQ at six times it.
        var layout = new LocalLayout { Name = $"iso-{trigger}", Trigger = trigger, FunctionTimeout = TimeSpan.FromSeconds(3), MaxReceiveCount = 2, MaximumConcurrency = 2 };
        await using var pipeline = await LocalPipeline.StartAsync(
            new LocalPipelineOptions { Layout = layout, DecorateConsumerStore = (name, inner) => name == "metadata" ? new GatedFailingStore(inner, gate.Task) : inner },
            Ct);
        var run = new LocalRun(pipeline);
        var keys = new[] { "iso/a.jpg", "iso/b.png", "iso/c.webp" };
        await run.UploadAsync(new Upload(keys[0], SampleImages.Create(320, 240, SampleFormat.Jpeg, new SampleImageOptions { Seed = 51 }), Expected.Completed), Ct);
        await run.UploadAsync(new Upload(keys[1], SampleImages.Create(200, 200, SampleFormat.Png, new SampleImageOptions { Seed = 52 }), Expected.Completed), Ct);
        await run.UploadAsync(new Upload(keys[2], SampleImages.Create(300, 150, SampleFormat.Webp, new SampleImageOptions { Seed = 53 }), Expected.Completed), Ct);

        // Every thumbnail completes, first time, while the metadata consumer has not finished a single message.
        var thumbnails = await Eventually.UntilAsync(
            () => pipeline.Tasks.ScanAsync(Ct),
            tasks => tasks.Count == keys.Length && tasks.All(t => t.Status == TaskState.Completed),
            TimeSpan.FromMinutes(5),
            Ct,
            TimeSpan.FromMilliseconds(200));

        Assert.Equal(keys.Length, thumbnails.Count);
        Assert.All(thumbnails, t => Assert.Equal((TaskState.Completed, 1), (t.Status, t.Attempts)));
        Assert.False(gate.Task.IsCompleted);
        var metadataConsumer = pipeline.Consumers.Single(c => c.Name == "metadata");
        Assert.All(await metadataConsumer.Records.ScanAsync(Ct), r => Assert.NotEqual(TaskState.Completed, r.Status));

        gate.SetResult();
        var metadataQueues = metadataConsumer.Queues;
        var metadata = await Eventually.UntilAsync(
            () => PipelineStatus.ReadAsync(pipeline.Sqs, metadataQueues.QueueUrl, metadataQueues.DeadLetterQueueUrl, pipeline.Dynamo, metadataConsumer.TableName, Ct),
            s => s.DeadLettered >= keys.Length,
            TimeSpan.FromMinutes(5),
            Ct,
            TimeSpan.FromMilliseconds(250));

        Assert.Equal(keys.Length, metadata.DeadLettered);
        var dead = await pipeline.Sqs.ReceiveAsync(metadataQueues.DeadLetterQueueUrl, 10, 0, null, Ct);
        Assert.Equal(keys.Order(StringComparer.Ordinal), keys.Where(k => dead.Any(m => m.Body.Contains(k.Split('/')[1], StringComparison.Ordinal))).Order(StringComparer.Ordinal));
        var thumbnailSide = await PipelineStatus.ReadAsync(pipeline.Sqs, pipeline.Queues.QueueUrl, pipeline.Queues.DeadLetterQueueUrl, pipeline.Dynamo, layout.TableName, Ct);
        Assert.Equal(0, thumbnailSide.DeadLettered);
        Assert.True(thumbnailSide.Idle);
    }

    private sealed class GatedFailingStore(IObjectStore inner, Task gate) : IObjectStore
    {
        public async Task<SourceRead> ReadAsync(SourceObject source, long maxBytes, CancellationToken cancellationToken)
        {
            await gate.WaitAsync(cancellationToken);
            throw new AmazonS3Exception("Please reduce your request rate.") { StatusCode = HttpStatusCode.ServiceUnavailable, ErrorCode = "SlowDown" };
        }

        public Task WriteAsync(StoredObject item, CancellationToken cancellationToken) => inner.WriteAsync(item, cancellationToken);
    }
}
