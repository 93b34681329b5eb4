using ImagePattern.Function.Ledger;
using System.Globalization;
using ImagePattern.Imaging.Tooling;
using ImagePattern.Tool.Local;
using ImagePattern.Tool.Operations;
using ImagePattern.Tool.Tests.Drills.Support;

namespace ImagePattern.Tool.Tests.Drills;

/// <summary>
/// The output bucket denies writes. Each delivery fails transiently and releases its claim; after maxReceiveCount
/// receives SQS moves the message to the DLQ. Once the fault clears, <c>redrive</c> moves the messages back and every
/// task completes, with exactly the deterministic thumbnails written.
/// </summary>
[Collection(DrillsDefinition.Name)]
[Trait("Category", "Drill")]
public sealed class OutputDeniedDrill(DrillLog log)
{
    private const int Uploads = 10;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task OutputBucketDeniesWrites_MessagesDeadLetterThenRedrive_EveryTaskCompletesOnce()
    {
        var clock = TimeProvider.System.GetTimestamp();
        var metrics = new EmfTally();
        DrillStore store = null!;
        // A 1 s timeout gives a derived visibility timeout of 6 s; maxReceiveCount stays at the product's 5.
        var layout = new LocalLayout { Name = "denied", FunctionTimeout = TimeSpan.FromSeconds(1), MaximumConcurrency = 2 };
        await using var pipeline = await LocalPipeline.StartAsync(
            new LocalPipelineOptions { Layout = layout, DecorateStore = s => store = new DrillStore(s) { DenyWrites = true }, MetricsOutput = metrics }, Ct);
        var run = new LocalRun(pipeline);
        var photo = SampleImages.Create(640, 480, SampleFormat.Jpeg, new SampleImageOptions { Seed = 31 });
        for (var i = 0; i < Uploads; i++)
        {
            await run.UploadAsync(new Upload($"denied/photo {i:D2}.jpg", photo, Expected.Completed), Ct);
        }

        // Fault on: wait for every message to exhaust its receives and land in the DLQ.
        PipelineStatus status = null!;
        var deadLettered = await DrillKit.WaitUntilAsync(
            async () => (status = await DrillKit.StatusAsync(pipeline, Ct)).DeadLettered == Uploads && status.Idle,
            TimeSpan.FromSeconds(layout.VisibilityTimeout.TotalSeconds * (layout.MaxReceiveCount + 3)),
            Ct);
        Assert.True(deadLettered, $"DLQ holds {status.DeadLettered} of {Uploads} after the fault");
        var whileDenied = await DrillKit.ScanTasksAsync(pipeline.Dynamo, layout.TableName, Ct);
        Assert.All(whileDenied, t =>
        {
            // Released after every failed attempt, never completed, never failed for good. At most one claim per receive:
            // on a loaded machine a 1 s invocation can end before it reaches the claim, so fewer is possible.
            Assert.Equal(TaskState.InProgress, t.Status);
            Assert.InRange(t.Attempts, 1, layout.MaxReceiveCount);
        });
        Assert.Contains(whileDenied, t => (t.Error ?? "").Contains("Access Denied", StringComparison.Ordinal));
        Assert.Empty(store.Writes);
        var deniedWrites = store.Denied;
        var claimsWhileDenied = whileDenied.ToDictionary(t => t.TaskId, t => t.Attempts, StringComparer.Ordinal);
        var retriesBeforeRedrive = pipeline.Poller.Stats.Retried;

        // Fault cleared; redrive the DLQ with the tool's own redrive (fauxqs has no StartMessageMoveTask).
        store.DenyWrites = false;
        var redrive = new Redrive(new SqsQueueOperations(pipeline.Sqs), SqsRetry.Default, TimeProvider.System);
        DeadLetterCount? counted = null;
        var result = await redrive.RunAsync(
            new RedriveRequest(pipeline.Queues.DeadLetterQueueUrl, pipeline.Queues.QueueUrl),
            count =>
            {
                counted = count;
                return true;
            },
            Ct);
        Assert.Equal(Uploads, counted!.Visible);
        Assert.Equal("receive-send-delete", result.Method);
        Assert.Equal(Uploads, result.Moved);

        var report = await run.WaitAsync(TimeSpan.FromMinutes(5), cancellationToken: Ct);
        var records = await DrillKit.ScanTasksAsync(pipeline.Dynamo, layout.TableName, Ct);
        var final = await DrillKit.StatusAsync(pipeline, Ct);

        Assert.All(report.Entries, e => Assert.True(e.AsExpected, $"{e.Key}: {e.Status} ({e.Error})"));
        Assert.Equal(0, final.DeadLettered);
        // Every task completed once (the report). Its metric line is lost when the invocation that completed it then
        // timed out, and a write repeated after such a timeout rewrites the same key: so at most, and by key exactly.
        Assert.InRange(metrics.Processed, 1, Uploads);
        Assert.True(store.Writes.Count >= Uploads * 2, $"{store.Writes.Count} thumbnail writes");
        Assert.Equal(Uploads * 2, store.Writes.Select(w => w.Key).Distinct().Count());
        // Claimed again after the redrive (a 1 s timeout can cost a redriven delivery one more round).
        Assert.All(records, r => Assert.True(r.Attempts > claimsWhileDenied[r.TaskId], $"{r.TaskId}: {r.Attempts} claims"));

        var lost = report.Entries.Count(e => !e.AsExpected);
        await log.RecordAsync(new DrillResult
        {
            Id = "output-denied",
            Fault = "Every thumbnail write fails with S3's 403 AccessDenied (an `IObjectStore` decorator: the emulator has no bucket policies), as when the "
                + "function's role or the bucket policy is wrong; then the fault is cleared and `imagepattern redrive` is run.",
            Load = $"{Uploads} uploads of 640 × 480 JPEGs; function timeout 1 s (derived visibility timeout 6 s), maxReceiveCount {layout.MaxReceiveCount} (the default).",
            Observed = $"Each delivery failed at the write, released its claim and was handed back; after {layout.MaxReceiveCount} receives every message was in the DLQ "
                + $"({deniedWrites} writes denied, each task at {Range(claimsWhileDenied.Values)} attempts, still IN_PROGRESS with the AccessDenied reason, nothing written). "
                + $"With the fault cleared, redrive counted {counted.Visible} messages and moved {result.Moved} by {result.Method} (send first, delete after); "
                + $"every task then completed, with {store.Writes.Count} thumbnail writes to {store.Writes.Select(w => w.Key).Distinct().Count()} keys.",
            MessagesIn = Uploads + 1,
            Deliveries = pipeline.Poller.Stats.Received,
            TasksExpected = Uploads,
            TasksCompleted = records.Count(r => r.Status == TaskState.Completed),
            TasksFailed = records.Count(r => r.Status == TaskState.Failed),
            DuplicatesSuppressed = metrics.Duplicates,
            Retries = pipeline.Poller.Stats.Retried,
            DeadLetteredPeak = counted.Visible,
            DeadLetteredAtEnd = final.DeadLettered,
            Lost = lost,
            Seconds = Math.Round(TimeProvider.System.GetElapsedTime(clock).TotalSeconds, 1),
            Details = new Dictionary<string, string>
            {
                ["writes denied"] = deniedWrites.ToString(CultureInfo.InvariantCulture),
                ["handed back before the redrive"] = retriesBeforeRedrive.ToString(CultureInfo.InvariantCulture),
                ["redrive"] = $"{result.Method}: {result.Moved} moved, {result.NotSent} not sent, {result.SentNotDeleted} sent but not deleted",
                ["claims per task"] = $"{Range(claimsWhileDenied.Values)} while denied, then {Range(records.Select(r => r.Attempts - claimsWhileDenied[r.TaskId]))} after the redrive",
                ["thumbnail writes after the fault"] = store.Writes.Count.ToString(CultureInfo.InvariantCulture),
            },
        });
        Assert.Equal(0, lost);
    }

    private static string Range(IEnumerable<int> values)
    {
        var list = values.ToList();
        return list.Min() == list.Max()
            ? list.Min().ToString(CultureInfo.InvariantCulture)
            : string.Create(CultureInfo.InvariantCulture, $"{list.Min()} to {list.Max()}");
    }
}
