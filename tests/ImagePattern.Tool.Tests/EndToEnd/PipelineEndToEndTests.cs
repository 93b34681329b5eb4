using System.Collections.Concurrent;
using System.Net;
using Amazon.S3;
using ImagePattern.Function.Events;
using ImagePattern.Function.Storage;
using ImagePattern.Function.Ledger;
using ImagePattern.Imaging.Tooling;
using ImagePattern.Testing;
using ImagePattern.Tool.Local;
using ImagePattern.Tool.Tests.Support;

namespace ImagePattern.Tool.Tests.EndToEnd;

/// <summary>
/// Through the real path: S3 PutObject → notification bridge → SQS → poller → handler → S3 + DynamoDB.
/// Each test runs its own stack.
/// </summary>
public sealed class PipelineEndToEndTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task MixedUploads_EveryFileReachesItsExpectedOutcome()
    {
        var writes = new ConcurrentQueue<StoredObject>();
        await using var pipeline = await LocalPipeline.StartAsync(new LocalPipelineOptions { DecorateStore = s => new RecordingStore(s, writes) }, Ct);
        var run = new LocalRun(pipeline);
        foreach (var upload in Uploads.Samples("e2e/"))
        {
            await run.UploadAsync(upload, Ct);
        }

        var report = await run.WaitAsync(TimeSpan.FromMinutes(10), cancellationToken: Ct);

        Assert.All(report.Entries, e => Assert.True(e.AsExpected, $"{e.Key}: {e.Status}, expected {e.Expected} ({e.Error})"));
        Assert.Equal(0, report.DeadLettered);
        var rotated = report.Entries.Single(e => e.Key == "e2e/portrait (rotated 90).jpg");
        // Stored landscape with EXIF orientation 6, so only honouring the tag gives portrait thumbnails.
        Assert.All(rotated.Outputs, o => Assert.True(o.Height > o.Width, $"{o.Key} is {o.Width}x{o.Height}"));
        var unicode = report.Entries.Single(e => e.Key == "e2e/写真/夏 été.webp");
        Assert.Contains(unicode.Outputs, o => o.Key == "512x512/e2e/写真/夏 été.webp.webp");
        Assert.Contains(report.Entries, e => e.Key == "e2e/camera/IMG_0001.Jpg" && e.Status == Expected.Completed);
        Assert.Contains(report.Entries, e => e.Key == "e2e/notes.txt" && e.Status == Expected.Ignored && e.Reason!.Contains("'.txt'", StringComparison.Ordinal));
        Assert.Contains(report.Entries, e => e.Key == "e2e/2026/holidays/beach day.jpeg" && e.Status == Expected.Completed);

        var corrupt = report.Entries.Single(e => e.Key == "e2e/broken/truncated.jpg");
        var failed = await pipeline.Tasks.GetAsync(corrupt.TaskId, Ct);
        Assert.Equal(TaskState.Failed, failed!.Status);
        Assert.Equal(1, failed.Attempts);

        // The duplicate upload of landscape.jpg made no second set of thumbnails.
        var completed = report.Entries.Count(e => e.Status == Expected.Completed);
        Assert.Equal(completed * 2, writes.Count);
        Assert.Equal(writes.Count, writes.Select(w => w.Key).Distinct().Count());
    }

    [Fact]
    public async Task TransientWriteFault_MessageExceedsMaxReceiveCount_LandsInDeadLetterQueue()
    {
        var layout = new LocalLayout { Name = "drill", FunctionTimeout = TimeSpan.FromSeconds(1), MaxReceiveCount = 2, MaximumConcurrency = 2 };
        await using var pipeline = await LocalPipeline.StartAsync(
            new LocalPipelineOptions { Layout = layout, DecorateStore = s => new UnwritableStore(s) }, Ct);
        var run = new LocalRun(pipeline);
        await run.UploadAsync(new Upload("fault.jpg", SampleImages.Create(200, 150, SampleFormat.Jpeg), Expected.Completed), Ct);

        var status = await Eventually.UntilAsync(
            () => PipelineStatus.ReadAsync(pipeline.Sqs, pipeline.Queues.QueueUrl, pipeline.Queues.DeadLetterQueueUrl, pipeline.Dynamo, layout.TableName, Ct),
            s => s.DeadLettered > 0,
            TimeSpan.FromMinutes(5),
            Ct,
            TimeSpan.FromMilliseconds(250));

        Assert.Equal(1, status.DeadLettered);
        Assert.True(status.Idle);
        var dead = Assert.Single(await pipeline.Sqs.ReceiveAsync(pipeline.Queues.DeadLetterQueueUrl, 10, 0, null, Ct));
        Assert.Contains("fault.jpg", dead.Body, StringComparison.Ordinal);
        Assert.Equal(2, pipeline.Poller.Stats.Retried);
        // The claim was released each time, so a redrive after the fault clears is processed at once.
        var record = Assert.Single(await new TaskTableReader(pipeline.Dynamo, layout.TableName).ScanAsync(Ct));
        Assert.Equal(TaskState.InProgress, record.Status);
        Assert.Equal(2, record.Attempts);
        Assert.Contains("Access Denied", record.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Soak_ThousandUploads_NothingLostNothingTwice()
    {
        const int Count = 1000;
        var writes = new ConcurrentQueue<StoredObject>();
        var layout = new LocalLayout { Name = "soak", ThumbnailSizes = "64x64,128x128" };
        await using var pipeline = await LocalPipeline.StartAsync(new LocalPipelineOptions { Layout = layout, DecorateStore = s => new RecordingStore(s, writes) }, Ct);
        var run = new LocalRun(pipeline);
        var photo = SampleImages.Create(320, 240, SampleFormat.Jpeg);
        await Parallel.ForEachAsync(
            Enumerable.Range(0, Count),
            new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = Ct },
            async (i, ct) => await run.UploadAsync(new Upload($"soak/{i / 100:D2}/img {i:D4}.jpg", photo, Expected.Completed), ct));

        var report = await run.WaitAsync(TimeSpan.FromMinutes(8), cancellationToken: Ct);

        Assert.Equal(Count, report.Entries.Count);
        Assert.Equal(Count, report.Totals.GetValueOrDefault(Expected.Completed));
        Assert.All(report.Entries, e => Assert.Equal(2, e.Outputs.Count));
        Assert.Equal(0, report.DeadLettered);
        Assert.Equal(Count * 2, writes.Count);
        Assert.Equal(Count * 2, writes.Select(w => w.Key).Distinct().Count());
        var listed = 0;
        string? token = null;
        do
        {
            var page = await pipeline.S3.ListObjectsV2Async(new Amazon.S3.Model.ListObjectsV2Request { BucketName = layout.OutputBucket, ContinuationToken = token }, Ct);
            listed += page.S3Objects?.Count ?? 0;
            token = page.IsTruncated == true ? page.NextContinuationToken : null;
        }
        while (token is not null);

        Assert.Equal(Count * 2, listed);
    }

    /// <summary>The real store, remembering every successful write.</summary>
    private sealed class RecordingStore(IObjectStore inner, ConcurrentQueue<StoredObject> writes) : IObjectStore
    {
        public Task<SourceRead> ReadAsync(SourceObject source, long maxBytes, CancellationToken cancellationToken) => inner.ReadAsync(source, maxBytes, cancellationToken);

        public async Task WriteAsync(StoredObject item, CancellationToken cancellationToken)
        {
            await inner.WriteAsync(item, cancellationToken);
            writes.Enqueue(item);
        }
    }

    /// <summary>An output bucket that denies writes: a fault the emulator has no switch for.</summary>
    private sealed class UnwritableStore(IObjectStore inner) : IObjectStore
    {
        public Task<SourceRead> ReadAsync(SourceObject source, long maxBytes, CancellationToken cancellationToken) => inner.ReadAsync(source, maxBytes, cancellationToken);

        public Task WriteAsync(StoredObject item, CancellationToken cancellationToken) =>
            throw new AmazonS3Exception("Access Denied") { StatusCode = HttpStatusCode.Forbidden, ErrorCode = "AccessDenied" };
    }
}
