using ImagePattern.Function.Ledger;
using ImagePattern.Imaging.Tooling;
using ImagePattern.Tool.Local;
using ImagePattern.Tool.Tests.Drills.Support;

namespace ImagePattern.Tool.Tests.Drills;

/// <summary>
/// The process running the function is killed (SIGKILL) while it holds leases. Nothing releases them; they expire at
/// the invocation deadline, the batch's messages reappear after the visibility timeout, and a second process retakes
/// the tasks. Every upload ends COMPLETED once.
/// </summary>
[Collection(DrillsDefinition.Name)]
[Trait("Category", "Drill")]
public sealed class WorkerKilledDrill(DrillLog log)
{
    private const int Uploads = 30;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string Tasks(int count) => count == 1 ? "1 task" : $"{count} tasks";

    [Fact]
    public async Task WorkerKilledMidBatch_LeasesExpireAndAreRetaken_EveryUploadCompletesOnce()
    {
        var clock = TimeProvider.System.GetTimestamp();
        // A 3 s timeout makes the lease 3 s and the derived visibility timeout 18 s, so the drill takes seconds, not minutes.
        // The drill is about leases, not the DLQ: on a loaded machine a 12 MP image can take longer than 3 s, and those
        // timed-out rounds must cost redeliveries, not dead-letter the message, so receives are not capped at 5 here.
        var layout = new LocalLayout { Name = "killed", FunctionTimeout = TimeSpan.FromSeconds(3), MaximumConcurrency = 2, MaxReceiveCount = 50 };
        await using var pipeline = await LocalPipeline.StartAsync(new LocalPipelineOptions { Layout = layout, StartPoller = false }, Ct);
        var run = new LocalRun(pipeline);
        var photo = SampleImages.Create(4000, 3000, SampleFormat.Jpeg, new SampleImageOptions { Seed = 11 });
        for (var i = 0; i < Uploads; i++)
        {
            await run.UploadAsync(new Upload($"killed/photo {i:D2}.jpg", photo, Expected.Completed), Ct);
        }

        var environment = DrillKit.WorkerEnvironment(pipeline);
        // A kill lands between a scan that saw tasks in progress and the signal; on a busy machine the worker can finish
        // them in that gap and leave nothing orphaned. Then the state, not the clock, says to try again: a fresh worker
        // is started and killed mid-batch, a few times at most.
        WorkerProcess first = null!;
        HashSet<string> orphaned = [];
        var completedByFirst = 0;
        for (var attempt = 1; attempt <= 5 && orphaned.Count == 0; attempt++)
        {
            first = WorkerProcess.Start(environment, pipeline.Queues.QueueUrl, pipeline.Queues.QueueArn, layout.MaximumConcurrency, layout.FunctionTimeout);
            IReadOnlyList<Function.Ledger.TaskRecord> atKill = [];
            var midBatch = await DrillKit.WaitUntilAsync(
                async () =>
                {
                    atKill = await DrillKit.ScanTasksAsync(pipeline.Dynamo, layout.TableName, Ct);
                    // Kill well before the tail of the work (first attempt): near the end the worker can finish its last
                    // tasks between this scan and the signal, leaving nothing orphaned to retake.
                    return atKill.Any(t => t.Status == TaskState.Completed) && atKill.Any(t => t.Status == TaskState.InProgress)
                        && (attempt > 1 || atKill.Count <= Uploads - 10);
                },
                TimeSpan.FromSeconds(60),
                Ct,
                pollMilliseconds: 10);
            Assert.True(midBatch, "the worker never had a task in progress beside a completed one; its log:\n" + first.ErrorTail);
            await first.KillAsync();

            // The killed process released nothing: whatever it had claimed is still IN_PROGRESS under its lease.
            var afterKill = await DrillKit.ScanTasksAsync(pipeline.Dynamo, layout.TableName, Ct);
            orphaned = afterKill.Where(t => t.Status == TaskState.InProgress).Select(t => t.TaskId).ToHashSet(StringComparer.Ordinal);
            completedByFirst = afterKill.Count(t => t.Status == TaskState.Completed);
        }

        Assert.NotEmpty(orphaned);

        await using var second = WorkerProcess.Start(environment, pipeline.Queues.QueueUrl, pipeline.Queues.QueueArn, layout.MaximumConcurrency, layout.FunctionTimeout);
        var report = await run.WaitAsync(TimeSpan.FromMinutes(10), cancellationToken: Ct);
        await second.StopAsync();
        var records = (await DrillKit.ScanTasksAsync(pipeline.Dynamo, layout.TableName, Ct)).ToDictionary(r => r.TaskId, StringComparer.Ordinal);
        var final = await DrillKit.StatusAsync(pipeline, Ct);
        var thumbnails = await DrillKit.ListAsync(pipeline.S3, layout.OutputBucket, Ct);

        Assert.All(report.Entries, e => Assert.True(e.AsExpected, $"{e.Key}: {e.Status} ({e.Error}); second worker's log:\n{second.ErrorTail}"));
        Assert.Equal(0, final.DeadLettered);
        // The orphaned tasks were retaken after their leases expired: a second claim, then completion.
        Assert.All(orphaned, id => Assert.True(records[id].Attempts >= 2 && records[id].Status == TaskState.Completed, $"{id}: {records[id].Status}, attempts {records[id].Attempts}"));
        Assert.Equal(Uploads * 2, thumbnails.Count);
        // No task completed twice: completions the workers reported never exceed the tasks. Fewer is possible: the
        // killed worker's last batch never flushed its metrics, nor does an invocation that completes a task and then
        // times out (on a loaded machine the second worker's can).
        var completions = first.Metrics.Processed + second.Metrics.Processed;
        Assert.InRange(completions, 1, Uploads);

        var lost = report.Entries.Count(e => !e.AsExpected);
        await log.RecordAsync(new DrillResult
        {
            Id = "worker-killed",
            Fault = "SIGKILL to the process running the function (`imagepattern worker`, configured like Lambda by environment variables alone) "
                + "while it held leases: no lease release, no metrics flush, no batch response.",
            Load = $"{Uploads} uploads of 12 MP JPEGs; function timeout 3 s (so leases of 3 s and a derived visibility timeout of 18 s), maxReceiveCount {layout.MaxReceiveCount}, "
                + $"batch size 10, {layout.MaximumConcurrency} concurrent invocations per process.",
            Observed = $"Killed with {Tasks(completedByFirst)} completed and {Tasks(orphaned.Count)} in progress. A second worker process took the remaining messages at once; "
                + $"the killed batches' messages reappeared after the visibility timeout, the orphaned tasks were claimed again once their leases "
                + $"had expired (attempts ≥ 2) and completed, and redeliveries of what the killed worker had finished were acknowledged as duplicates.",
            MessagesIn = Uploads + 1,
            Deliveries = first.Poller.Received + second.Poller.Received,
            TasksExpected = Uploads,
            TasksCompleted = records.Values.Count(r => r.Status == TaskState.Completed),
            TasksFailed = records.Values.Count(r => r.Status == TaskState.Failed),
            DuplicatesSuppressed = first.Metrics.Duplicates + second.Metrics.Duplicates,
            Retries = first.Poller.Retried + second.Poller.Retried,
            DeadLetteredPeak = 0,
            DeadLetteredAtEnd = final.DeadLettered,
            Lost = lost,
            Seconds = Math.Round(TimeProvider.System.GetElapsedTime(clock).TotalSeconds, 1),
            Details = new Dictionary<string, string>
            {
                ["completed before the kill"] = completedByFirst.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["leases orphaned by the kill, retaken after expiry"] = orphaned.Count.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["completions reported by the workers' EMF"] = $"{completions} (the killed invocations never flushed theirs)",
                ["deliveries (killed worker / second worker)"] = $"{first.Poller.Received} / {second.Poller.Received}, as each poller last reported",
                ["handed back for redelivery (killed worker / second worker)"] = $"{first.Poller.Retried} / {second.Poller.Retried}; the killed batches came back by their visibility timeout",
                ["thumbnails in the output bucket"] = thumbnails.Count.ToString(System.Globalization.CultureInfo.InvariantCulture),
            },
        });
        Assert.Equal(0, lost);
    }
}
