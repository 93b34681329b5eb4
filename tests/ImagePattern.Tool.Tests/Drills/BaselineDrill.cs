using System.Diagnostics;
using Amazon.DynamoDBv2.Model;
using ImagePattern.Function;
using ImagePattern.Function.Configuration;
using ImagePattern.Function.Events;
using ImagePattern.Function.Storage;
using ImagePattern.Function.Ledger;
using ImagePattern.Imaging.Tooling;
using ImagePattern.Tool.Local;
using ImagePattern.Tool.Emulators.LambdaEventSourceMapping;
using Amazon.SQS.Model;
using ImagePattern.Tool.Tests.Support;
using ImagePattern.Tool.Tests.Drills.Support;

namespace ImagePattern.Tool.Tests.Drills;

/// <summary>
/// No fault: 12 MP photos through the function at the default settings, invoked in batches of 10 as the event source
/// mapping would. Checks that every upload completes exactly once, and measures what the runbook's cost section needs.
/// </summary>
[Collection(DrillsDefinition.Name)]
[Trait("Category", "Drill")]
public sealed class BaselineDrill(DrillLog log)
{
    private const int Measured = 20;
    private const int WarmUp = 2;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Baseline_TwelveMegapixelPhotosAtDefaultSettings_EveryUploadCompletesOnce()
    {
        var clock = TimeProvider.System.GetTimestamp();
        var layout = new LocalLayout { Name = "baseline" };
        await using var pipeline = await LocalPipeline.StartAsync(new LocalPipelineOptions { Layout = layout, StartPoller = false }, Ct);

        // Composed as Lambda composes it at the default 1769 MB: one vCPU, so one libvips image slot.
        var environment = layout.FunctionEnvironment.ToDictionary();
        environment["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"] = "1769";
        var settings = SettingsReader.Read(name => environment.GetValueOrDefault(name));
        Assert.Equal(1, settings.ImageParallelism);
        var store = new DrillStore(new S3ObjectStore(pipeline.S3));
        var metrics = new EmfTally();
        var logs = new JsonLogMeter(settings.Pipeline.ServiceName);
        using var loggerFactory = logs.CreateFactory(settings.Pipeline.LogLevel);
        using var host = new FunctionBuilder(settings)
            .WithLedger(new DynamoDbTaskLedger(pipeline.Dynamo, settings.Pipeline.TasksTable, settings.Pipeline.TaskRetention, TimeProvider.System))
            .WithObjectStore(store)
            .WithLogging(loggerFactory)
            .WithMetricsOutput(metrics)
            .Build();

        // Phone-camera sized photos (4000 × 3000), two different pictures spread over the keys.
        var photos = new[] { 1, 2 }.Select(seed => SampleImages.Create(4000, 3000, SampleFormat.Jpeg, new SampleImageOptions { Seed = seed })).ToArray();
        var run = new LocalRun(pipeline);
        for (var i = 0; i < WarmUp + Measured; i++)
        {
            var key = i < WarmUp ? $"warm-up/photo {i:D2}.jpg" : $"photos/photo {i:D2}.jpg";
            await run.UploadAsync(new Upload(key, photos[i % photos.Length], Expected.Completed), Ct);
        }

        // The uploads' notifications plus the s3:TestEvent sent when the notification configuration was saved.
        var messages = await DrillKit.DrainAsync(pipeline, WarmUp + Measured + 1, Ct);
        var measured = messages.Where(m => m.Body.Contains("photos/", StringComparison.Ordinal)).ToList();
        var warm = messages.Except(measured).ToList();

        // The warm-up invocation pays for JIT and libvips start-up, which Lambda bills as the cold start's init.
        await InvokeAsync(host, pipeline, warm);
        var logBytesBefore = logs.Bytes;
        var emfBefore = metrics.Bytes;
        var invocationsBefore = metrics.Invocations;
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var wall = TimeSpan.Zero;
        foreach (var batch in measured.Chunk(10))
        {
            wall += await InvokeAsync(host, pipeline, batch);
        }

        var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;

        var report = await run.WaitAsync(TimeSpan.FromMinutes(5), cancellationToken: Ct);
        Assert.All(report.Entries, e => Assert.True(e.AsExpected, $"{e.Key}: {e.Status} ({e.Error})"));
        Assert.Equal(WarmUp + Measured, metrics.Processed);
        Assert.Equal(0, metrics.Retries + metrics.Duplicates);
        Assert.Equal((WarmUp + Measured) * 2, store.Writes.Count);
        Assert.Equal(store.Writes.Count, store.Writes.Select(w => w.Key).Distinct().Count());

        var records = await DrillKit.ScanTasksAsync(pipeline.Dynamo, layout.TableName, Ct);
        var raw = await pipeline.Dynamo.ScanAsync(new ScanRequest { TableName = layout.TableName, Limit = 1 }, Ct);
        var inputs = new CostInputs
        {
            Images = Measured,
            Source = $"4000 × 3000 JPEG photos (quality 90, {photos.Average(p => p.Length) / 1024 / 1024:0.0} MiB each)",
            WallMsPerImage = Math.Round(wall.TotalMilliseconds / Measured, 1),
            CpuMsPerImage = Math.Round(cpu.TotalMilliseconds / Measured, 1),
            ThumbnailBytesPerImage = Math.Round(records.Average(r => r.Outputs.Sum(o => (double)o.Bytes)), 0),
            TaskItemBytes = DynamoItemSize.Of(raw.Items[0]),
            LogBytesPerImage = Math.Round((logs.Bytes - logBytesBefore) / (double)Measured, 0),
            EmfBytesPerInvocation = Math.Round((metrics.Bytes - emfBefore) / (double)(metrics.Invocations - invocationsBefore), 0),
        };
        await log.RecordCostAsync(inputs);

        var final = await DrillKit.StatusAsync(pipeline, Ct);
        await log.RecordAsync(new DrillResult
        {
            Id = "baseline",
            Fault = "None: the reference run the other drills are compared with, and the measurement behind the runbook's cost section.",
            Load = $"{WarmUp + Measured} uploads of 12 MP JPEGs; the function composed as at 1769 MB (one image slot) and invoked directly with batches of 10 "
                + $"({WarmUp} warm-up images first, then {Measured} measured).",
            Observed = $"{inputs.WallMsPerImage} ms of invocation time and {inputs.CpuMsPerImage} ms of process CPU per image (both vary from run to run on a shared machine); "
                + $"{inputs.ThumbnailBytesPerImage / 1024:0.#} KiB of thumbnails per image; {inputs.LogBytesPerImage} bytes of JSON logs per image.",
            MessagesIn = WarmUp + Measured + 1,
            Deliveries = WarmUp + Measured + 1,
            TasksExpected = WarmUp + Measured,
            TasksCompleted = records.Count(r => r.Status == TaskState.Completed),
            TasksFailed = records.Count(r => r.Status == TaskState.Failed),
            DuplicatesSuppressed = metrics.Duplicates,
            Retries = metrics.Retries,
            DeadLetteredPeak = 0,
            DeadLetteredAtEnd = final.DeadLettered,
            Lost = report.Entries.Count(e => !e.AsExpected),
            Seconds = Math.Round(TimeProvider.System.GetElapsedTime(clock).TotalSeconds, 1),
            Details = new Dictionary<string, string>
            {
                ["invocation time per image"] = $"{inputs.WallMsPerImage} ms",
                ["CPU per image"] = $"{inputs.CpuMsPerImage} ms",
                ["thumbnails per image"] = $"{inputs.ThumbnailBytesPerImage:0} bytes (128x128 + 512x512 WebP)",
                ["task record"] = $"{inputs.TaskItemBytes} bytes",
                ["log lines per image"] = $"{(double)logs.Lines / (WarmUp + Measured):0.#}",
            },
        });
    }

    /// <summary>One invocation as the event source mapping makes it; returns its wall time and acknowledges the batch.</summary>
    private static async Task<TimeSpan> InvokeAsync(FunctionHost host, LocalPipeline pipeline, IReadOnlyList<Message> batch)
    {
        var sqsEvent = new SqsEvent
        {
            Records = batch.Select(m => EventSourceMappingPoller.ToSqsMessage(m, pipeline.Queues.QueueArn, pipeline.Endpoints.Region)).ToList(),
        };
        var watch = TimeProvider.System.GetTimestamp();
        var response = await host.HandleAsync(sqsEvent, TimeProvider.System.GetUtcNow() + pipeline.Layout.FunctionTimeout, Ct);
        var elapsed = TimeProvider.System.GetElapsedTime(watch);
        Assert.Empty(response.BatchItemFailures);
        var deleted = await pipeline.Sqs.DeleteAsync(pipeline.Queues.QueueUrl, batch, Ct);
        Assert.Empty(deleted.Failed);
        return elapsed;
    }
}
