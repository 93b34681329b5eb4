using System.Text.Json;
using ImagePattern.Function;
using ImagePattern.Function.Events;
using ImagePattern.Function.Observability;
using ImagePattern.Function.Storage;
using ImagePattern.Function.Ledger;
using ImagePattern.Imaging;
using ImagePattern.Tool.Local;

namespace ImagePattern.Bench.Pipeline;

/// <summary>
/// <c>handler-overhead</c>: what the handler costs per record beyond the engine's own work. Images are uploaded
/// through the local stack first and their S3 notifications taken off the queue; then the real
/// <see cref="FunctionHost"/> handles them (parse, claim, S3 read, thumbnails, S3 writes,
/// completion) while the engine (<see cref="IThumbnailer"/>) alone makes the same thumbnails from the same bytes in memory.
/// The difference includes the local emulators' latency.
/// </summary>
internal static class HandlerOverheadCommand
{
    private const string Prefix = "bench/handler/";
    private const int Variants = 8;

    public static async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var options = BenchArgs.Parse(args, ["serial", "batches", "stages", "size", "samples"]);
        var serial = options.Int("serial", 60);
        var batches = options.Int("batches", 10);
        var stages = options.Int("stages", 30);
        var (width, height) = options.Size("size", (1600, 1200));

        await using var pipeline = await LocalPipeline.StartAsync(new LocalPipelineOptions { StartPoller = false }, cancellationToken);
        var settings = pipeline.Settings;
        var batchSize = pipeline.Layout.BatchSize;

        // Several different pictures of the same size, each uploaded under many keys: every record is a new task.
        var samples = new SampleCache(options.String("samples"));
        var images = Enumerable.Range(0, Variants).Select(i => samples.Jpeg(width, height, 21 + i)).ToArray();
        var total = batchSize + serial + (batches * batchSize) + stages;
        var bytesByKey = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        for (var i = 0; i < total; i++)
        {
            var key = $"{Prefix}{i:D4}.jpg";
            bytesByKey[key] = images[i % Variants];
            await StackProbe.UploadAsync(pipeline, key, bytesByKey[key], cancellationToken);
        }

        var queue = new Queue<QueuedNotification>((await StackProbe.ReceiveNotificationsAsync(pipeline, total, TimeSpan.FromSeconds(120), cancellationToken))
            .OrderBy(n => n.Key, StringComparer.Ordinal));
        var engine = Thumbnailers.Create(ImageEngine.Skia);
        var failures = 0;

        List<QueuedNotification> Take(int count) => Enumerable.Range(0, count).Select(_ => queue.Dequeue()).ToList();

        async Task<OverheadSample> MeasureAsync(List<QueuedNotification> records)
        {
            // The engine alone, with as many images at once as the function runs (its image slots).
            var (_, engineTime) = Measured.Time(() =>
            {
                Parallel.ForEach(
                    records,
                    new ParallelOptions { MaxDegreeOfParallelism = settings.ImageParallelism },
                    record => Check(engine.CreateThumbnails(bytesByKey[record.Key], settings.Sizes, settings.Encode, settings.Pipeline.Limits)));
                return 0;
            });
            var emulatorBefore = StackProbe.EmulatorCpuMs();
            var batch = new SqsEvent { Records = records.Select(r => r.Record).ToList() };
            var (response, handlerTime) = await Measured.TimeAsync(() =>
                pipeline.Invoke(batch, TimeProvider.System.GetUtcNow() + pipeline.Layout.FunctionTimeout, cancellationToken));
            var emulator = StackProbe.EmulatorCpuMs() - emulatorBefore;
            failures += response.BatchItemFailures.Count;
            return new OverheadSample(records.Count, handlerTime.WallMs, engineTime.WallMs, handlerTime.CpuMs, engineTime.CpuMs, emulator);
        }

        // Warm-up, untimed: JIT, connections, libvips start-up, page cache.
        await MeasureAsync(Take(batchSize));
        var serialSamples = new List<OverheadSample>();
        for (var i = 0; i < serial; i++)
        {
            serialSamples.Add(await MeasureAsync(Take(1)));
        }

        var batchSamples = new List<OverheadSample>();
        for (var i = 0; i < batches; i++)
        {
            batchSamples.Add(await MeasureAsync(Take(batchSize)));
        }

        // Where a record's time goes: a second host composed from the same ports, each one timed.
        var clock = new StageClock();
        using var timed = new FunctionBuilder(settings)
            .WithLedger(new TimedLedger(new DynamoDbTaskLedger(pipeline.Dynamo, settings.Pipeline.TasksTable, settings.Pipeline.TaskRetention, TimeProvider.System), clock))
            .WithObjectStore(new TimedStore(new S3ObjectStore(pipeline.S3), clock))
            .WithThumbnailer(new TimedThumbnailer(engine, clock))
            .WithLogging(FunctionLogging.None)
            .WithMetricsOutput(TextWriter.Null)
            .Build();
        var stageSamples = new List<StageSample>();
        for (var i = 0; i < stages; i++)
        {
            clock.Clear();
            var batch = new SqsEvent { Records = [queue.Dequeue().Record] };
            var (response, time) = await Measured.TimeAsync(() => timed.HandleAsync(batch, TimeProvider.System.GetUtcNow() + pipeline.Layout.FunctionTimeout, cancellationToken));
            failures += response.BatchItemFailures.Count;
            stageSamples.Add(new StageSample(
                time.WallMs, clock.Covered("claim"), clock.Covered("read"), clock.Covered("thumbnails"), clock.Covered("write"), clock.Covered("complete")));
        }

        var statuses = (await StackProbe.ScanTasksAsync(pipeline, Prefix, cancellationToken))
            .GroupBy(t => t.Status, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var report = new HandlerOverheadReport(
            $"{width}x{height} JPEG", images.Sum(i => (long)i.Length) / images.Length, SettingsSummary.Of(pipeline), serialSamples, batchSamples, stageSamples, failures, statuses);
        Console.WriteLine(JsonSerializer.Serialize(report, BenchJsonContext.Default.HandlerOverheadReport));
        return 0;
    }

    private static void Check<T>(ImageResult<T> result)
    {
        if (!result.Succeeded)
        {
            throw new InvalidDataException($"the engine failed on a bench image: {result.Failure!.Kind}: {result.Failure.Message}");
        }
    }
}
