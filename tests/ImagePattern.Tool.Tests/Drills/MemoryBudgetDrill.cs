using System.Collections.Concurrent;
using System.Globalization;
using ImagePattern.Function.Configuration;
using ImagePattern.Function.Events;
using ImagePattern.Function.Ledger;
using ImagePattern.Imaging;
using ImagePattern.Imaging.Tooling;
using ImagePattern.Tool.Emulators.LambdaEventSourceMapping;
using ImagePattern.Tool.Emulators.LambdaRuntime;
using ImagePattern.Tool.Local;
using ImagePattern.Tool.Tests.Drills.Support;
using ImagePattern.Tool.Tests.Support;
using NetVips;

namespace ImagePattern.Tool.Tests.Drills;

/// <summary>
/// Images at the decode budget through the packaged bootstrap held to the smallest memory size the function module
/// accepts for them (<see cref="MemoryBudget.RequiredMegabytes"/>), as Lambda holds an execution environment to its
/// memory size: every task must complete and the environment's Max Memory Used stay within the memory size. Each
/// budget image is also run alone in a fresh environment, after a small warm-up image, to measure what it costs per
/// pixel above the runtime's own footprint. The thumbnailer runs on both engines; the metadata consumer (which decodes
/// with SkiaSharp whatever the engine) runs on a fan-out trigger with the images it may hold whole added.
/// </summary>
[Collection(DrillsDefinition.Name)]
[Trait("Category", "Drill")]
public sealed class MemoryBudgetDrill(DrillLog log)
{
    // The defaults: 50 MiB, 100 MP, 30 MP interlaced.
    private const long MaxBytes = 50L << 20;
    private const int Width = 10000;
    private const int Height = 10000;
    private const int InterlacedWidth = 6000;
    private const int InterlacedHeight = 5000;
    private static readonly ImageLimits Limits = new(MaxBytes, (long)Width * Height, (long)InterlacedWidth * InterlacedHeight);

    private const string Metadata = "metadata";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task MemoryBudget_BudgetImagesAtTheSmallestAcceptedMemory_CompleteWithinIt()
    {
        var clock = TimeProvider.System.GetTimestamp();
        var taskRoot = await HostPackage.TaskRootAsync("memory-budget");
        var png = new BudgetImage("png", "PNG", "png", Width, Height, Png(Width, Height, interlaced: false));
        var interlacedPng = new BudgetImage("interlaced-png", "Adam7-interlaced PNG", "png", InterlacedWidth, InterlacedHeight, Png(InterlacedWidth, InterlacedHeight, interlaced: true));
        var progressiveJpeg = new BudgetImage("progressive-jpeg", "progressive JPEG", "jpg", InterlacedWidth, InterlacedHeight, SampleImages.Create(InterlacedWidth, InterlacedHeight, SampleFormat.Jpeg, new SampleImageOptions { Progressive = true, Seed = 7 }));
        var cases = new List<EngineCase>
        {
            new("skia", LocalLayout.Thumbnails, MemoryBudget.ThumbnailBytes(ImageEngine.Skia, Limits), null, [png]),
            new("libvips", LocalLayout.Thumbnails, MemoryBudget.ThumbnailBytes(ImageEngine.Libvips, Limits), null, [png, interlacedPng, progressiveJpeg]),
            // Every PNG decoded whole (SkiaSharp hands out no PNG rows, so a plain PNG is held to the interlaced budget
            // too), the interlaced ones through a whole-image buffer in the decoder (16-bit RGBA the widest), the first
            // frame whole at full size for a GIF, and libwebp's whole lossless picture for a WebP.
            new(Metadata, Metadata, MemoryBudget.InspectionBytes(Limits), Limits.MaxInterlacedPixels,
            [
                new("png-whole", "PNG", "png", InterlacedWidth, InterlacedHeight, Png(InterlacedWidth, InterlacedHeight, interlaced: false)),
                interlacedPng,
                new("interlaced-png-rgba16", "Adam7-interlaced 16-bit RGBA PNG", "png", InterlacedWidth, InterlacedHeight, Png(InterlacedWidth, InterlacedHeight, interlaced: true, rgba16: true)),
                progressiveJpeg,
                new("gif", "GIF", "gif", InterlacedWidth, InterlacedHeight, Gif(InterlacedWidth, InterlacedHeight)),
                new("webp", "lossless WebP", "webp", InterlacedWidth, InterlacedHeight, Webp(InterlacedWidth, InterlacedHeight)),
            ]),
        };
        var warmUp = SampleImages.Create(640, 480, SampleFormat.Jpeg, new SampleImageOptions { Seed = 2 });
        var details = new Dictionary<string, string>();
        var outcomes = new List<string>();
        long messages = 0, deliveries = 0, completed = 0, expected = 0, lost = 0;
        foreach (var engine in cases)
        {
            Assert.All(engine.Images, i => Assert.True(i.Data.Length <= MaxBytes, $"{i.Name} is {i.Data.Length} bytes, over MAX_SOURCE_BYTES"));
            var memory = MemoryBudget.RequiredMegabytes(1, engine.BytesPerImage);
            // Below 1769 MB Lambda gives less than one vCPU: one image slot, which is what the rule is computed for.
            Assert.Equal(1, FunctionSettings.SlotsFor(memory));

            // The metadata consumer runs only on a fan-out trigger; EventBridge sends no s3:TestEvent to its queue.
            var thumbnails = engine.Handler == LocalLayout.Thumbnails;
            var layout = new LocalLayout
            {
                Name = $"memory-{engine.Name}",
                ImageEngine = thumbnails ? engine.Name : "skia",
                Trigger = thumbnails ? "s3-notification" : "eventbridge",
                // The invocation's deadline: a batch slowed by a loaded machine must not hand messages back.
                FunctionTimeout = TimeSpan.FromMinutes(5),
            };
            await using var pipeline = await LocalPipeline.StartAsync(new LocalPipelineOptions { Layout = layout, StartPoller = false }, Ct);
            var consumer = pipeline.Consumers.Single(c => c.Name == engine.Handler);
            var environment = DrillKit.WorkerEnvironment(pipeline, consumer: engine.Handler);
            environment["MAX_SOURCE_BYTES"] = Limits.MaxBytes.ToString(CultureInfo.InvariantCulture);
            environment["MAX_SOURCE_PIXELS"] = Limits.MaxPixels.ToString(CultureInfo.InvariantCulture);
            environment["MAX_INTERLACED_PIXELS"] = Limits.MaxInterlacedPixels.ToString(CultureInfo.InvariantCulture);
            environment["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"] = memory.ToString(CultureInfo.InvariantCulture);
            var run = new LocalRun(pipeline);
            var uploaded = new List<(string Format, int Width, int Height)>();

            // Each budget image alone, in a fresh environment after the warm-up: its own peak above the runtime's,
            // measured in an environment held to Lambda's largest memory size so that a peak above the rule is seen.
            var testEvents = thumbnails ? 1 : 0;
            messages += testEvents;
            deliveries += testEvents;
            var highest = 0.0;
            foreach (var image in engine.Images)
            {
                await using var alone = new PackagedFunction(Options(taskRoot, environment, layout, engine.Handler) with { MemoryMegabytes = 10240 }, maximumConcurrency: 1);
                var baseline = await InvokeAsync(alone, pipeline, consumer, run, [new Upload($"measure/{image.Name}/warm-up.jpg", warmUp, Expected.Completed)], testEvents);
                testEvents = 0;
                var peak = await InvokeAsync(alone, pipeline, consumer, run, [new Upload($"measure/{image.Name}/budget.{image.Extension}", image.Data, Expected.Completed)]);
                uploaded.Add(("jpeg", 640, 480));
                uploaded.Add((image.Format, image.Width, image.Height));
                var pixels = engine.ChargedPixels ?? image.Pixels;
                var perPixel = (peak.MaxMemoryUsedMegabytes - baseline.MaxMemoryUsedMegabytes) * (double)(1 << 20) / pixels;
                highest = Math.Max(highest, perPixel);
                var unit = engine.ChargedPixels is null ? "bytes/pixel" : "bytes per MAX_INTERLACED_PIXELS pixel";
                var label = $"{engine.Name}: {image.Description}, {image.Pixels / 1e6:0} MP, {image.Data.Length / 1048576.0:0.0} MiB";
                details[label] = string.Create(CultureInfo.InvariantCulture, $"{peak.MaxMemoryUsedMegabytes} MB peak, {baseline.MaxMemoryUsedMegabytes} MB after the warm-up: {perPixel:0.00} {unit} above it (source bytes included)");
                // Shown with a failure further on, which ends the drill before its record is written.
                TestContext.Current.TestOutputHelper?.WriteLine($"{label}: {details[label]}");
                messages += 2;
                deliveries += 2;
            }

            // Then the batch that fills the slot and the second message the function reads ahead while one decodes.
            await using var function = new PackagedFunction(Options(taskRoot, environment, layout, engine.Handler), maximumConcurrency: 1);
            var batch = engine.Images.Concat(engine.Images).Select((image, i) => new Upload($"batch/{i:D2}-{image.Name}.{image.Extension}", image.Data, Expected.Completed)).ToList();
            // At most a batch of the event source mapping per invocation; the environment's peak is its lifetime's.
            InvocationReport report = null!;
            foreach (var invocation in batch.Chunk(layout.BatchSize))
            {
                report = await InvokeAsync(function, pipeline, consumer, run, [.. invocation]);
            }

            uploaded.AddRange(engine.Images.Concat(engine.Images).Select(i => (i.Format, i.Width, i.Height)));
            messages += batch.Count;
            deliveries += batch.Count;

            int tasks, done;
            string written;
            if (thumbnails)
            {
                var final = await run.WaitAsync(TimeSpan.FromMinutes(5), cancellationToken: Ct);
                Assert.All(final.Entries, e => Assert.True(e.AsExpected, $"{e.Key}: {e.Status} ({e.Error})"));
                Assert.All(final.Entries, e => Assert.Equal(2, e.Outputs.Count));
                var outputs = await DrillKit.ListAsync(pipeline.S3, layout.OutputBucket, Ct);
                Assert.Equal(final.Entries.Count * 2, outputs.Count);
                (tasks, done) = (final.Entries.Count, final.Entries.Count(e => e.Status == Expected.Completed));
                lost += final.Entries.Count(e => !e.AsExpected);
                written = string.Create(CultureInfo.InvariantCulture, $"{outputs.Count} thumbnails written");
            }
            else
            {
                // The consumer's own table: one COMPLETED record per upload, describing the picture that was sent.
                var records = await consumer.Records.ScanAsync(Ct);
                Assert.All(records, r => Assert.True(r.Status == TaskState.Completed, $"{r.TaskId}: {r.Status} ({r.Error})"));
                var described = records.Select(r => ((string)r.Result!["format"]!, (int)(long)r.Result["width"]!, (int)(long)r.Result["height"]!)).Order().ToList();
                Assert.Equal(uploaded.Order().ToList(), described);
                (tasks, done) = (uploaded.Count, records.Count(r => r.Status == TaskState.Completed));
                lost += uploaded.Count - done;
                // The measurement holds one source, the rule two (one decoding, the next one read).
                var rule = (double)engine.BytesPerImage / Limits.MaxInterlacedPixels;
                var decode = (engine.BytesPerImage - (2.0 * Limits.MaxBytes)) / Limits.MaxInterlacedPixels;
                written = string.Create(CultureInfo.InvariantCulture, $"{records.Count} metadata records written; the most one image cost alone: {highest:0.00} bytes per MAX_INTERLACED_PIXELS pixel, its source included (the rule counts {rule:0.#} with two sources of MAX_SOURCE_BYTES, {decode:0.#} of decode)");
            }

            Assert.True(report.MaxMemoryUsedMegabytes <= memory, $"Max Memory Used {report.MaxMemoryUsedMegabytes} MB > Memory Size {memory} MB");
            var status = await DrillKit.StatusAsync(pipeline, consumer, Ct);
            Assert.Equal(0, status.DeadLettered);

            expected += tasks;
            completed += done;
            details[$"{engine.Name}: batch of {batch.Count} at {memory} MB"] = string.Create(CultureInfo.InvariantCulture, $"Max Memory Used {report.MaxMemoryUsedMegabytes} MB; every task completed, {written}");
            outcomes.Add(string.Create(CultureInfo.InvariantCulture, $"{engine.Name}: {batch.Count} budget images in one invocation at {memory} MB peaked at {report.MaxMemoryUsedMegabytes} MB"));
        }

        await log.RecordAsync(new DrillResult
        {
            Id = "memory-budget",
            Fault = "None injected: the least memory the function module accepts. The packaged bootstrap runs behind the Runtime API emulator, which, like Lambda, ends an environment whose peak resident set (VmHWM) exceeds its memory size and fails the invocation with Runtime.OutOfMemory.",
            Load = string.Create(CultureInfo.InvariantCulture, $"The default budget: MAX_SOURCE_BYTES {MaxBytes >> 20} MiB, MAX_SOURCE_PIXELS {Limits.MaxPixels / 1e6:0} MP, MAX_INTERLACED_PIXELS {Limits.MaxInterlacedPixels / 1e6:0} MP; images made at the limits (PNGs with a noise band that keeps them just under the byte limit); per engine, and for the metadata consumer (on the eventbridge trigger, with the interlaced 16-bit RGBA PNG, GIF and lossless WebP it may hold whole), each image alone after a 640 × 480 warm-up, then all of them twice in one batch, at the smallest memory size the rule accepts (below 1769 MB: one image slot)."),
            Observed = string.Join("; ", outcomes) + ".",
            MessagesIn = messages,
            Deliveries = deliveries,
            TasksExpected = expected,
            TasksCompleted = completed,
            TasksFailed = 0,
            DuplicatesSuppressed = 0,
            Retries = 0,
            DeadLetteredPeak = 0,
            DeadLetteredAtEnd = 0,
            Lost = lost,
            Seconds = Math.Round(TimeProvider.System.GetElapsedTime(clock).TotalSeconds, 1),
            Details = details,
        });
    }

    private static ExecutionEnvironmentOptions Options(string taskRoot, IReadOnlyDictionary<string, string> environment, LocalLayout layout, string handler) => new()
    {
        TaskRoot = taskRoot,
        Environment = environment,
        Handler = handler,
        FunctionName = $"{layout.Name}-{handler}",
        StandardOutput = Lines.Enqueue,
        StandardError = Lines.Enqueue,
    };

    // The bootstrap's output, for a failure message; kept short.
    private static readonly ConcurrentQueue<string> Lines = new();

    /// <summary>Uploads <paramref name="uploads"/>, hands their notifications on <paramref name="consumer"/>'s queue to the function as one batch, and returns the invocation's REPORT.</summary>
    private static async Task<InvocationReport> InvokeAsync(PackagedFunction function, LocalPipeline pipeline, LocalConsumer consumer, LocalRun run, List<Upload> uploads, int testEvents = 0)
    {
        foreach (var upload in uploads)
        {
            await run.UploadAsync(upload, Ct);
        }

        // The first batch of a pipeline also carries the s3:TestEvent sent when its notifications were configured.
        var batch = await DrillKit.DrainAsync(pipeline, consumer.Queues.QueueUrl, uploads.Count + testEvents, Ct);
        var sqsEvent = new SqsEvent
        {
            Records = batch.Select(m => EventSourceMappingPoller.ToSqsMessage(m, consumer.Queues.QueueArn, pipeline.Endpoints.Region)).ToList(),
        };
        try
        {
            var response = await function.HandleAsync(sqsEvent, TimeProvider.System.GetUtcNow() + pipeline.Layout.FunctionTimeout, Ct);
            Assert.Empty(response.BatchItemFailures);
        }
        catch (FunctionErrorException ex)
        {
            Assert.Fail($"{ex.Message}; last output: {string.Join(" | ", Lines.TakeLast(3))}");
        }

        var deleted = await pipeline.Sqs.DeleteAsync(consumer.Queues.QueueUrl, batch, Ct);
        Assert.Empty(deleted.Failed);
        return function.Reports[^1];
    }

    /// <summary>
    /// A <paramref name="width"/> × <paramref name="height"/> PNG, 8-bit RGB or 16-bit RGBA, whose top rows are noise,
    /// as many as keep the file at about 90 % of <see cref="MaxBytes"/>, and the rest flat: the pixel and the byte
    /// budget reached at once.
    /// </summary>
    private static byte[] Png(int width, int height, bool interlaced, bool rgba16 = false)
    {
        using var full = NoiseOnWhite(width, height, (int)(MaxBytes * 0.9 / ((rgba16 ? 8.0 : 3.0) * width)));
        if (!rgba16)
        {
            return full.PngsaveBuffer(interlace: interlaced);
        }

        using var rgba = full.BandjoinConst([255.0]);
        using var wide = rgba.Linear([257.0], [0.0]);
        using var shorts = wide.Cast(Enums.BandFormat.Ushort);
        using var rgb16 = shorts.Copy(interpretation: Enums.Interpretation.Rgb16);
        return rgb16.PngsaveBuffer(interlace: interlaced);
    }

    // A GIF's first frame is decoded whole, so its bytes matter less than its pixels: a smaller noise band (quantising
    // noise is slow).
    private static byte[] Gif(int width, int height)
    {
        using var full = NoiseOnWhite(width, height, (int)(MaxBytes * 0.25 / width));
        return full.GifsaveBuffer(effort: 1);
    }

    // Lossless: libwebp decodes a lossless picture whole (4 bytes a pixel) whatever the output size, and its lossy
    // encoder cannot write 100 MP (the first partition overflows).
    private static byte[] Webp(int width, int height)
    {
        using var full = NoiseOnWhite(width, height, (int)(MaxBytes * 0.2 / width));
        return full.WebpsaveBuffer(lossless: true, effort: 0);
    }

    /// <summary>An 8-bit sRGB image, white but for <paramref name="rows"/> rows of colour noise at the top.</summary>
    private static Image NoiseOnWhite(int width, int height, int rows)
    {
        using var red = Image.Gaussnoise(width, rows, mean: 128, sigma: 60, seed: 11);
        using var green = Image.Gaussnoise(width, rows, mean: 128, sigma: 60, seed: 12);
        using var blue = Image.Gaussnoise(width, rows, mean: 128, sigma: 60, seed: 13);
        using var noise = red.Bandjoin(green, blue);
        using var bytes = noise.Cast(Enums.BandFormat.Uchar);
        using var full = bytes.Embed(0, 0, width, height, extend: Enums.Extend.White);
        return full.Copy(interpretation: Enums.Interpretation.Srgb);
    }

    private sealed record BudgetImage(string Name, string Description, string Extension, int Width, int Height, byte[] Data)
    {
        // The format as the metadata consumer names it.
        public string Format => Extension switch { "jpg" => "jpeg", _ => Extension };

        public long Pixels => (long)Width * Height;
    }

    // ChargedPixels: the pixels the rule charges each image by (the metadata consumer's is MAX_INTERLACED_PIXELS
    // whatever the image); null: the image's own.
    private sealed record EngineCase(string Name, string Handler, long BytesPerImage, long? ChargedPixels, IReadOnlyList<BudgetImage> Images);
}
