using ImagePattern.Function.Ledger;
using System.Globalization;
using ImagePattern.Imaging.Tooling;
using ImagePattern.Tool.Local;
using ImagePattern.Tool.Tests.Drills.Support;

namespace ImagePattern.Tool.Tests.Drills;

/// <summary>
/// DynamoDB becomes unreachable (connections refused and reset) while uploads keep arriving. The function cannot
/// claim, reports the messages for retry, and they come back after the visibility timeout; once DynamoDB is back every
/// task completes, nothing reaches the DLQ, and no task completes twice.
/// </summary>
[Collection(DrillsDefinition.Name)]
[Trait("Category", "Drill")]
public sealed class DynamoDbOutageDrill(DrillLog log)
{
    private const int Wave = 10;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task DynamoDbUnreachable_MessagesRetryUntilItReturns_EveryUploadCompletesOnce()
    {
        var clock = TimeProvider.System.GetTimestamp();
        // A 2 s timeout gives a derived visibility timeout of 12 s: retries come round in seconds.
        var layout = new LocalLayout { Name = "outage", FunctionTimeout = TimeSpan.FromSeconds(2), MaximumConcurrency = 2 };
        await using var pipeline = await LocalPipeline.StartAsync(new LocalPipelineOptions { Layout = layout, StartPoller = false }, Ct);
        await using var outage = TcpOutage.Start(pipeline.Endpoints.DynamoDb);
        await using var worker = WorkerProcess.Start(
            DrillKit.WorkerEnvironment(pipeline, dynamoDbEndpoint: outage.Endpoint), pipeline.Queues.QueueUrl, pipeline.Queues.QueueArn, layout.MaximumConcurrency, layout.FunctionTimeout);
        var run = new LocalRun(pipeline);
        var photo = SampleImages.Create(800, 600, SampleFormat.Jpeg, new SampleImageOptions { Seed = 21 });

        // Before: the pipeline works.
        for (var i = 0; i < Wave; i++)
        {
            await run.UploadAsync(new Upload($"before/photo {i:D2}.jpg", photo, Expected.Completed), Ct);
        }

        Assert.True(await CompletedAtLeastAsync(pipeline, Wave, TimeSpan.FromMinutes(5)), "the first wave did not complete; worker log:\n" + worker.ErrorTail);

        // During: DynamoDB unreachable while a second wave arrives. Held until every message of the wave has failed twice,
        // i.e. for longer than one visibility timeout.
        outage.Cut();
        var cutAt = TimeProvider.System.GetElapsedTime(clock);
        for (var i = 0; i < Wave; i++)
        {
            await run.UploadAsync(new Upload($"during/photo {i:D2}.jpg", photo, Expected.Completed), Ct);
        }

        // Held until the wave has been handed back twice over: its messages came round again after a visibility timeout
        // and failed again. Waiting on the worker's count rather than on a fixed time keeps this true on a loaded machine.
        var handedBackTwice = await DrillKit.WaitUntilAsync(() => Task.FromResult(worker.Poller.Retried >= 2 * Wave), TimeSpan.FromMinutes(3), Ct);
        var duringOutage = worker.Poller;
        Assert.True(handedBackTwice, $"only {duringOutage.Retried} messages handed back during the outage; worker log:\n" + worker.ErrorTail);
        var dlqDuringOutage = (await DrillKit.StatusAsync(pipeline, Ct)).DeadLettered;
        outage.Restore();
        var outageSeconds = (TimeProvider.System.GetElapsedTime(clock) - cutAt).TotalSeconds;

        // After: every task completes.
        var report = await run.WaitAsync(TimeSpan.FromMinutes(10), cancellationToken: Ct);
        await worker.StopAsync();
        var records = await DrillKit.ScanTasksAsync(pipeline.Dynamo, layout.TableName, Ct);
        var final = await DrillKit.StatusAsync(pipeline, Ct);
        var thumbnails = await DrillKit.ListAsync(pipeline.S3, layout.OutputBucket, Ct);

        Assert.All(report.Entries, e => Assert.True(e.AsExpected, $"{e.Key}: {e.Status} ({e.Error}); worker log:\n{worker.ErrorTail}"));
        Assert.Equal(0, final.DeadLettered);
        Assert.Equal(2 * Wave * 2, thumbnails.Count);
        // No task completed twice. Fewer is possible: a task can complete inside an invocation that then times out
        // before counting it, and its redelivery is then acknowledged as a duplicate.
        Assert.InRange(worker.Metrics.Processed, 0, 2 * Wave);

        var lost = report.Entries.Count(e => !e.AsExpected);
        await log.RecordAsync(new DrillResult
        {
            Id = "dynamodb-unreachable",
            Fault = "The task table's endpoint refuses new connections and resets open ones (a TCP relay in front of dynalite is cut), "
                + "as in a network partition; the function runs in its own process and reaches DynamoDB only through the relay.",
            Load = $"{Wave} uploads before the outage, {Wave} during it; 800 × 600 JPEGs; function timeout 2 s (derived visibility timeout 12 s), maxReceiveCount 5.",
            Observed = string.Create(CultureInfo.InvariantCulture, $"DynamoDB was unreachable for {outageSeconds:0.0} s. No claim could be made; the AWS SDK kept retrying the refused ")
                + $"connections past the 2 s function timeout, so {duringOutage.FailedInvocations} invocations failed or timed out (in AWS: Lambda Errors, the function-errors "
                + $"alarm) and {duringOutage.Retried} deliveries were handed back for redelivery after the visibility timeout. The DLQ held {dlqDuringOutage}. After the endpoint came back, the redelivered messages claimed and completed their tasks; "
                + $"{worker.Metrics.Duplicates} redeliveries found their task already completed (inside an invocation that had then timed out) and were acknowledged.",
            MessagesIn = (2 * Wave) + 1,
            Deliveries = worker.Poller.Received,
            TasksExpected = 2 * Wave,
            TasksCompleted = records.Count(r => r.Status == TaskState.Completed),
            TasksFailed = records.Count(r => r.Status == TaskState.Failed),
            DuplicatesSuppressed = worker.Metrics.Duplicates,
            Retries = worker.Poller.Retried,
            DeadLetteredPeak = dlqDuringOutage,
            DeadLetteredAtEnd = final.DeadLettered,
            Lost = lost,
            Seconds = Math.Round(TimeProvider.System.GetElapsedTime(clock).TotalSeconds, 1),
            Details = new Dictionary<string, string>
            {
                ["outage"] = string.Create(CultureInfo.InvariantCulture, $"{outageSeconds:0.0} s"),
                ["invocations failed or timed out during the outage"] = duringOutage.FailedInvocations.ToString(CultureInfo.InvariantCulture),
                ["most claims of one task"] = records.Max(r => r.Attempts).ToString(CultureInfo.InvariantCulture),
                ["completions reported by the function's EMF"] = $"{worker.Metrics.Processed} (a completion inside an invocation that then timed out is not counted)",
                ["thumbnails in the output bucket"] = thumbnails.Count.ToString(CultureInfo.InvariantCulture),
            },
        });
        Assert.Equal(0, lost);
    }

    private static async Task<bool> CompletedAtLeastAsync(LocalPipeline pipeline, int count, TimeSpan limit) =>
        await DrillKit.WaitUntilAsync(
            async () => (await DrillKit.ScanTasksAsync(pipeline.Dynamo, pipeline.Layout.TableName, Ct)).Count(t => t.Status == TaskState.Completed) >= count,
            limit,
            Ct);
}
