using System.Collections.Concurrent;
using System.Globalization;
using ImagePattern.Function.Configuration;
using ImagePattern.Function.Events;
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
/// pixel above the runtime's own footprint.
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

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task MemoryBudget_BudgetImagesAtTheSmallestAcceptedMemory_CompleteWithinIt()
    {
        var clock = TimeProvider.System.GetTimestamp();
        var taskRoot = await HostPackage.TaskRootAsync("memory-budget");
        var cases = new List<EngineCase>
        {
            new("skia", MemoryBudget.ThumbnailBytes(ImageEngine.Skia, Limits), [new("png", "PNG", Png(Width, Height, interlaced: false))]),
            new("libvips", MemoryBudget.ThumbnailBytes(ImageEngine.Libvips, Limits),
            [
                new("png", "PNG", Png(Width, Height, interlaced: false)),
                new("interlaced-png", "Adam7-interlaced PNG", Png(InterlacedWidth, InterlacedHeight, interlaced: true)),
                new("progressive-jpeg", "progressive JPEG", SampleImages.Create(InterlacedWidth, InterlacedHeight, SampleFormat.Jpeg, new SampleImageOptions { Progressive = true, Seed = 7 })),
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

            var layout = new LocalLayout { Name = $"memory-{engine.Name}", ImageEngine = engine.Name };
            await using var pipeline = await LocalPipeline.StartAsync(new LocalPipelineOptions { Layout = layout, StartPoller = false }, Ct);
            var environment = DrillKit.WorkerEnvironment(pipeline);
            environment["MAX_SOURCE_BYTES"] = Limits.MaxBytes.ToString(CultureInfo.InvariantCulture);
            environment["MAX_SOURCE_PIXELS"] = Limits.MaxPixels.ToString(CultureInfo.InvariantCulture);
            environment["MAX_INTERLACED_PIXELS"] = Limits.MaxInterlacedPixels.ToString(CultureInfo.InvariantCulture);
            environment["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"] = memory.ToString(CultureInfo.InvariantCulture);
            var run = new LocalRun(pipeline);

            // Each budget image alone, in a fresh environment after the warm-up: its own peak above the runtime's,
            // measured in an environment held to Lambda's largest memory size so that a peak above the rule is seen.
            var testEvents = 1;
            messages += testEvents;
            deliveries += testEvents;
            foreach (var image in engine.Images)
            {
                await using var alone = new PackagedFunction(Options(taskRoot, environment, layout) with { MemoryMegabytes = 10240 }, maximumConcurrency: 1);
                var baseline = await InvokeAsync(alone, pipeline, run, [new Upload($"measure/{image.Name}/warm-up.jpg", warmUp, Expected.Completed)], testEvents);
                testEvents = 0;
                var peak = await InvokeAsync(alone, pipeline, run, [new Upload($"measure/{image.Name}/budget.{Extension(image)}", image.Data, Expected.Completed)]);
                var pixels = image.Name.Contains("interlaced", StringComparison.Ordinal) || image.Name.Contains("progressive", StringComparison.Ordinal) ? Limits.MaxInterlacedPixels : Limits.MaxPixels;
                var perPixel = (peak.MaxMemoryUsedMegabytes - baseline.MaxMemoryUsedMegabytes) * (double)(1 << 20) / pixels;
                details[$"{engine.Name}: {image.Description}, {pixels / 1e6:0} MP, {image.Data.Length / 1048576.0:0.0} MiB"] =
                    string.Create(CultureInfo.InvariantCulture, $"{peak.MaxMemoryUsedMegabytes} MB peak, {baseline.MaxMemoryUsedMegabytes} MB after the warm-up: {perPixel:0.00} bytes/pixel above it (source bytes included)");
                messages += 2;
                deliveries += 2;
            }

            // Then the batch that fills the slot and the second message the function reads ahead while one decodes.
            await using var function = new PackagedFunction(Options(taskRoot, environment, layout), maximumConcurrency: 1);
            var batch = engine.Images.Concat(engine.Images).Select((image, i) => new Upload($"batch/{i:D2}-{image.Name}.{Extension(image)}", image.Data, Expected.Completed)).ToList();
            var report = await InvokeAsync(function, pipeline, run, batch);
            messages += batch.Count;
            deliveries += batch.Count;

            var final = await run.WaitAsync(TimeSpan.FromMinutes(5), cancellationToken: Ct);
            Assert.All(final.Entries, e => Assert.True(e.AsExpected, $"{e.Key}: {e.Status} ({e.Error})"));
            Assert.All(final.Entries, e => Assert.Equal(2, e.Outputs.Count));
            var written = await DrillKit.ListAsync(pipeline.S3, layout.OutputBucket, Ct);
            Assert.Equal(final.Entries.Count * 2, written.Count);
            Assert.True(report.MaxMemoryUsedMegabytes <= memory, $"Max Memory Used {report.MaxMemoryUsedMegabytes} MB > Memory Size {memory} MB");
            var status = await DrillKit.StatusAsync(pipeline, Ct);
            Assert.Equal(0, status.DeadLettered);

            expected += final.Entries.Count;
            completed += final.Entries.Count(e => e.Status == Expected.Completed);
            lost += final.Entries.Count(e => !e.AsExpected);
            details[$"{engine.Name}: batch of {batch.Count} at {memory} MB"] = string.Create(CultureInfo.InvariantCulture, $"Max Memory Used {report.MaxMemoryUsedMegabytes} MB; every task completed, {written.Count} thumbnails written");
            outcomes.Add(string.Create(CultureInfo.InvariantCulture, $"{engine.Name}: {batch.Count} budget images in one invocation at {memory} MB peaked at {report.MaxMemoryUsedMegabytes} MB"));
        }

        await log.RecordAsync(new DrillResult
        {
            Id = "memory-budget",
            Fault = "None injected: the least memory the function module accepts. The packaged bootstrap runs behind the Runtime API emulator, which, like Lambda, ends an environment whose peak resident set (VmHWM) exceeds its memory size and fails the invocation with Runtime.OutOfMemory.",
            Load = string.Create(CultureInfo.InvariantCulture, $"The default budget: MAX_SOURCE_BYTES {MaxBytes >> 20} MiB, MAX_SOURCE_PIXELS {Limits.MaxPixels / 1e6:0} MP, MAX_INTERLACED_PIXELS {Limits.MaxInterlacedPixels / 1e6:0} MP; images made at the limits (PNGs with a noise band that keeps them just under the byte limit); per engine each image alone after a 640 × 480 warm-up, then all of them twice in one batch, at the smallest memory size the rule accepts (below 1769 MB: one image slot)."),
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

    private static ExecutionEnvironmentOptions Options(string taskRoot, IReadOnlyDictionary<string, string> environment, LocalLayout layout) => new()
    {
        TaskRoot = taskRoot,
        Environment = environment,
        Handler = LocalLayout.Thumbnails,
        FunctionName = $"{layout.Name}-{LocalLayout.Thumbnails}",
        StandardOutput = Lines.Enqueue,
        StandardError = Lines.Enqueue,
    };

    // The bootstrap's output, for a failure message; kept short.
    private static readonly ConcurrentQueue<string> Lines = new();

    /// <summary>Uploads <paramref name="uploads"/>, hands their notifications to the function as one batch, and returns the invocation's REPORT.</summary>
    private static async Task<InvocationReport> InvokeAsync(PackagedFunction function, LocalPipeline pipeline, LocalRun run, List<Upload> uploads, int testEvents = 0)
    {
        foreach (var upload in uploads)
        {
            await run.UploadAsync(upload, Ct);
        }

        // The first batch of a pipeline also carries the s3:TestEvent sent when its notifications were configured.
        var batch = await DrillKit.DrainAsync(pipeline, uploads.Count + testEvents, Ct);
        var sqsEvent = new SqsEvent
        {
            Records = batch.Select(m => EventSourceMappingPoller.ToSqsMessage(m, pipeline.Queues.QueueArn, pipeline.Endpoints.Region)).ToList(),
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

        var deleted = await pipeline.Sqs.DeleteAsync(pipeline.Queues.QueueUrl, batch, Ct);
        Assert.Empty(deleted.Failed);
        return function.Reports[^1];
    }

    private static string Extension(BudgetImage image) => image.Name.EndsWith("jpeg", StringComparison.Ordinal) ? "jpg" : "png";

    /// <summary>
    /// A <paramref name="width"/> × <paramref name="height"/> RGB PNG whose top rows are noise, as many as keep the file
    /// at about 90 % of <see cref="MaxBytes"/>, and the rest flat: the pixel and the byte budget reached at once.
    /// </summary>
    private static byte[] Png(int width, int height, bool interlaced)
    {
        var rows = (int)(MaxBytes * 0.9 / (3.0 * width));
        using var red = Image.Gaussnoise(width, rows, mean: 128, sigma: 60, seed: 11);
        using var green = Image.Gaussnoise(width, rows, mean: 128, sigma: 60, seed: 12);
        using var blue = Image.Gaussnoise(width, rows, mean: 128, sigma: 60, seed: 13);
        using var noise = red.Bandjoin(green, blue);
        using var bytes = noise.Cast(Enums.BandFormat.Uchar);
        using var full = bytes.Embed(0, 0, width, height, extend: Enums.Extend.White);
        using var srgb = full.Copy(interpretation: Enums.Interpretation.Srgb);
        return srgb.PngsaveBuffer(interlace: interlaced);
    }

    private sealed record BudgetImage(string Name, string Description, byte[] Data);

    private sealed record EngineCase(string Name, long BytesPerImage, IReadOnlyList<BudgetImage> Images);
}
