using ImagePattern.Function.Ledger;
using System.Globalization;
using ImagePattern.Imaging.Tooling;
using ImagePattern.Tool.Local;
using ImagePattern.Tool.Operations;
using Amazon.SQS.Model;
using ImagePattern.Tool.Tests.Support;
using ImagePattern.Tool.Tests.Drills.Support;

namespace ImagePattern.Tool.Tests.Drills;

/// <summary>
/// 5,000 notifications for 500 objects — each object announced ten times, shuffled, all queued before the function
/// starts — as after a misconfigured notification fan-out or a backfill run ten times. Exactly 500 tasks complete and
/// exactly the 1,000 deterministic thumbnails are written; the other 4,500 deliveries are acknowledged as duplicates.
/// </summary>
[Collection(DrillsDefinition.Name)]
[Trait("Category", "Drill")]
public sealed class DuplicateBurstDrill(DrillLog log)
{
    private const int Objects = 500;
    private const int CopiesPerObject = 10;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task BurstOfDuplicates_FiveHundredTasksOnly_NoExtraWrites()
    {
        var clock = TimeProvider.System.GetTimestamp();
        var metrics = new EmfTally();
        DrillStore store = null!;
        // A 5 s timeout keeps leases comfortably longer than a task under load; the derived visibility timeout is 30 s.
        var layout = new LocalLayout { Name = "burst", FunctionTimeout = TimeSpan.FromSeconds(5) };
        await using var pipeline = await LocalPipeline.StartAsync(
            new LocalPipelineOptions { Layout = layout, DecorateStore = s => store = new DrillStore(s), MetricsOutput = metrics, StartPoller = false }, Ct);
        var run = new LocalRun(pipeline);
        var photo = SampleImages.Create(160, 120, SampleFormat.Jpeg, new SampleImageOptions { Seed = 41 });
        await Parallel.ForEachAsync(
            Enumerable.Range(0, Objects),
            new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = Ct },
            async (i, ct) => await run.UploadAsync(new Upload($"burst/{i / 100:D2}/photo {i:D3}.jpg", photo, Expected.Completed), ct));

        // The uploads' own notifications (and the configuration's s3:TestEvent), taken off the queue to be shuffled in.
        var bodies = new List<string>();
        while (bodies.Count < Objects + 1)
        {
            var received = await pipeline.Sqs.ReceiveAsync(pipeline.Queues.QueueUrl, 10, 1, 300, Ct);
            bodies.AddRange(received.Select(m => m.Body));
            if (received.Count > 0)
            {
                await pipeline.Sqs.DeleteAsync(pipeline.Queues.QueueUrl, received, Ct);
            }
        }

        // Nine more per object, built exactly as backfill builds them.
        var lister = new ObjectLister(pipeline.S3);
        var sequence = 0L;
        await foreach (var page in lister.ListAsync(new ListingFilter(layout.SourceBucket, "burst/", null, []), Ct))
        {
            foreach (var item in page)
            {
                for (var copy = 1; copy < CopiesPerObject; copy++)
                {
                    bodies.Add(SyntheticNotification.Create(layout.SourceBucket, item, layout.Region, TimeProvider.System.GetUtcNow(), ++sequence));
                }
            }
        }

        Assert.Equal((Objects * CopiesPerObject) + 1, bodies.Count);
        var order = new Random(41);
        var shuffled = bodies.OrderBy(_ => order.Next()).ToList();
        var retrier = new BatchRetrier(SqsRetry.Default, TimeProvider.System);
        var queue = new SqsQueueOperations(pipeline.Sqs);
        await Parallel.ForEachAsync(
            shuffled.Chunk(10),
            new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = Ct },
            async (chunk, ct) =>
            {
                var sent = await retrier.RunAsync(
                    chunk.Select((b, i) => new SendMessageBatchRequestEntry(i.ToString(CultureInfo.InvariantCulture), b)).ToList(), e => e.Id, (p, c) => queue.SendBatchAsync(pipeline.Queues.QueueUrl, p, c), ct);
                Assert.Empty(sent.Failed);
            });

        // The function starts with all 5,001 messages waiting.
        var burstStarted = TimeProvider.System.GetElapsedTime(clock);
        using var stop = new CancellationTokenSource();
        var polling = pipeline.Poller.RunAsync(stop.Token);
        var report = await run.WaitAsync(TimeSpan.FromMinutes(20), cancellationToken: Ct);
        var burstSeconds = (TimeProvider.System.GetElapsedTime(clock) - burstStarted).TotalSeconds;
        await stop.CancelAsync();
        await polling;

        var records = await DrillKit.ScanTasksAsync(pipeline.Dynamo, layout.TableName, Ct);
        var final = await DrillKit.StatusAsync(pipeline, Ct);
        Assert.All(report.Entries, e => Assert.True(e.AsExpected, $"{e.Key}: {e.Status} ({e.Error})"));
        Assert.Equal(Objects, records.Count);
        Assert.Equal(Objects, records.Count(r => r.Status == TaskState.Completed));
        // One record per object, each COMPLETED once (above). The metric lines are a lower bound: an invocation that
        // completes tasks and then times out (a 5 s timeout on a loaded machine) never prints its line, and a write
        // repeated after such a timeout rewrites the same key — so at most one completion per object, and by key exactly.
        Assert.InRange(metrics.Processed, 1, Objects);
        Assert.InRange(metrics.Duplicates, 1, Objects * CopiesPerObject);
        Assert.True(store.Writes.Count >= Objects * 2, $"{store.Writes.Count} thumbnail writes");
        Assert.Equal(Objects * 2, store.Writes.Select(w => w.Key).Distinct().Count());
        Assert.Equal(0, final.DeadLettered);
        Assert.True(final.Idle);

        var lost = report.Entries.Count(e => !e.AsExpected);
        await log.RecordAsync(new DrillResult
        {
            Id = "duplicate-burst",
            Fault = $"Every object announced {CopiesPerObject} times: its real S3 notification plus {CopiesPerObject - 1} synthetic ones built by backfill's own code, "
                + "shuffled and all queued before the function starts, so copies of one object meet in the same batch and in concurrent batches.",
            Load = string.Create(CultureInfo.InvariantCulture, $"{Objects} objects (160 × 120 JPEGs), {bodies.Count:N0} messages; batch size 10, {layout.MaximumConcurrency} concurrent invocations, function timeout 5 s."),
            Observed = string.Create(CultureInfo.InvariantCulture, $"{metrics.Processed} tasks completed and {store.Writes.Count:N0} thumbnails written to {store.Writes.Select(w => w.Key).Distinct().Count():N0} distinct keys (2 per object); ")
                + string.Create(CultureInfo.InvariantCulture, $"{metrics.Duplicates:N0} deliveries acknowledged as duplicates, of copies in the same batch (shared outcome) or of tasks already ended; ")
                + string.Create(CultureInfo.InvariantCulture, $"{pipeline.Poller.Stats.Retried} deliveries were handed back (a live lease held by a concurrent invocation, or too little time left in theirs) ")
                + string.Create(CultureInfo.InvariantCulture, $"and acknowledged as duplicates after the visibility timeout. The burst drained in {burstSeconds:0} s on this machine."),
            MessagesIn = bodies.Count,
            Deliveries = pipeline.Poller.Stats.Received,
            TasksExpected = Objects,
            TasksCompleted = records.Count(r => r.Status == TaskState.Completed),
            TasksFailed = records.Count(r => r.Status == TaskState.Failed),
            DuplicatesSuppressed = metrics.Duplicates,
            Retries = pipeline.Poller.Stats.Retried,
            DeadLetteredPeak = 0,
            DeadLetteredAtEnd = final.DeadLettered,
            Lost = lost,
            Seconds = Math.Round(TimeProvider.System.GetElapsedTime(clock).TotalSeconds, 1),
            Details = new Dictionary<string, string>
            {
                ["thumbnail writes"] = string.Create(CultureInfo.InvariantCulture, $"{store.Writes.Count:N0} ({store.Writes.Select(w => w.Key).Distinct().Count():N0} distinct keys)"),
                ["invocations"] = pipeline.Poller.Stats.Invocations.ToString(CultureInfo.InvariantCulture),
                ["claims per task"] = $"{records.Min(r => r.Attempts)} to {records.Max(r => r.Attempts)}",
                ["burst drained in"] = string.Create(CultureInfo.InvariantCulture, $"{burstSeconds:0.0} s"),
            },
        });
        Assert.Equal(0, lost);
    }
}
