using System.Collections.Concurrent;
using System.Text.Json;
using ImagePattern.Tool.Local;

namespace ImagePattern.Bench.Pipeline;

/// <summary>
/// <c>end-to-end</c>: images uploaded to the local stack's source bucket and followed through the notification bridge,
/// the queue, the event-source-mapping poller and the real handler to a COMPLETED task record, with the default
/// layout. Throughput runs from the first upload's start to the last task's completion (its <c>updated_at</c>);
/// latency per image from its upload's end to its completion. A burst phase uploads everything at once, so its
/// latencies include the wait behind the backlog; the trickle phase uploads one image at a time after the previous
/// one completed, which leaves only the pipeline's own latency.
/// </summary>
internal static class EndToEndCommand
{
    private const int Variants = 4;

    private sealed record Phase(string Name, int Count, int Width, int Height, bool OneAtATime, bool Reported = true);

    public static async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var options = BenchArgs.Parse(args, ["small", "large", "trickle", "small-size", "large-size", "upload-concurrency", "timeout", "samples"]);
        var (smallWidth, smallHeight) = options.Size("small-size", (640, 480));
        var (largeWidth, largeHeight) = options.Size("large-size", (6000, 4000));
        var concurrency = options.Int("upload-concurrency", 8);
        var timeout = TimeSpan.FromSeconds(options.Int("timeout", 300));
        var samples = new SampleCache(options.String("samples"));
        var phases = new[]
        {
            // Untimed: JIT, connections and libvips start-up, so the first reported image does not pay for them.
            new Phase("warm-up", 10, smallWidth, smallHeight, OneAtATime: false, Reported: false),
            new Phase("trickle", options.Int("trickle", 20), smallWidth, smallHeight, OneAtATime: true),
            new Phase("small", options.Int("small", 1000), smallWidth, smallHeight, OneAtATime: false),
            new Phase("large", options.Int("large", 100), largeWidth, largeHeight, OneAtATime: false),
        }.Where(p => p.Count > 0).ToList();

        await using var pipeline = await LocalPipeline.StartAsync(new LocalPipelineOptions(), cancellationToken);
        var results = new List<EndToEndPhase>();
        foreach (var phase in phases)
        {
            // Pictures are made (or read from the cache) before the clock starts; each goes up under many keys, and
            // every key is a task of its own.
            var images = Enumerable.Range(0, Math.Min(Variants, phase.Count)).Select(i => samples.Jpeg(phase.Width, phase.Height, 31 + i)).ToArray();
            var result = await RunPhaseAsync(pipeline, phase, images, phase.OneAtATime ? 1 : concurrency, timeout, cancellationToken);
            if (phase.Reported)
            {
                results.Add(result);
            }
        }

        var report = new EndToEndReport(SettingsSummary.Of(pipeline), results);
        Console.WriteLine(JsonSerializer.Serialize(report, BenchJsonContext.Default.EndToEndReport));
        return 0;
    }

    private static async Task<EndToEndPhase> RunPhaseAsync(
        LocalPipeline pipeline, Phase phase, byte[][] images, int concurrency, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var prefix = $"bench/e2e/{phase.Name}/";
        var run = new LocalRun(pipeline);
        var uploadedAt = new ConcurrentDictionary<string, double>(StringComparer.Ordinal);
        var stats = pipeline.Poller.Stats;
        var (deletedBefore, invocationsBefore, receivedBefore) = (stats.Deleted, stats.Invocations, stats.Received);
        var emulatorBefore = StackProbe.EmulatorCpuMs();
        var cpuBefore = Environment.CpuUsage.TotalTime;
        var clock = TimeProvider.System.GetTimestamp();
        var timedOut = false;

        // Waits on the poller's own counters (free) rather than on the table, so waiting adds no load to the emulators.
        async Task WaitForDeletedAsync(int count)
        {
            while (stats.Deleted - deletedBefore < count && !timedOut)
            {
                timedOut = TimeProvider.System.GetElapsedTime(clock) > timeout;
                await Task.Delay(TimeSpan.FromMilliseconds(phase.OneAtATime ? 2 : 50), TimeProvider.System, cancellationToken);
            }
        }

        async ValueTask UploadAsync(int i, CancellationToken ct)
        {
            var key = $"{prefix}{i:D4}.jpg";
            await run.UploadAsync(new Upload(key, images[i % images.Length], Expected.Completed), ct);
            uploadedAt[key] = Measured.UnixMs();
        }

        var firstUploadAt = Measured.UnixMs();
        if (phase.OneAtATime)
        {
            for (var i = 0; i < phase.Count && !timedOut; i++)
            {
                await UploadAsync(i, cancellationToken);
                await WaitForDeletedAsync(i + 1);
            }
        }
        else
        {
            await Parallel.ForEachAsync(
                Enumerable.Range(0, phase.Count),
                new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = cancellationToken },
                UploadAsync);
        }

        var uploadSeconds = TimeProvider.System.GetElapsedTime(clock).TotalSeconds;
        await WaitForDeletedAsync(phase.Count);
        var processCpuMs = (Environment.CpuUsage.TotalTime - cpuBefore).TotalMilliseconds;
        var emulatorCpuMs = StackProbe.EmulatorCpuMs() - emulatorBefore;

        // The tool's own accounting: every upload's task read back, and the queue seen idle.
        var report = await run.WaitAsync(timedOut ? TimeSpan.FromSeconds(5) : TimeSpan.FromSeconds(60), cancellationToken: cancellationToken);
        var completed = (await StackProbe.ScanTasksAsync(pipeline, prefix, cancellationToken))
            .Where(t => t.Status == Expected.Completed && uploadedAt.ContainsKey(t.Key))
            .ToList();
        var latencies = completed.Select(t => Math.Round(UnixMs(t.UpdatedAt) - uploadedAt[t.Key], 1)).Order().ToList();
        double? lastCompleted = completed.Count > 0 ? completed.Max(t => UnixMs(t.UpdatedAt)) : null;

        return new EndToEndPhase(
            phase.Name,
            phase.Count,
            phase.Width,
            phase.Height,
            images.Sum(i => (long)i.Length) / images.Length,
            concurrency,
            Math.Round(uploadSeconds, 3),
            firstUploadAt,
            lastCompleted,
            latencies,
            report.Totals.ToDictionary(StringComparer.Ordinal),
            report.DeadLettered,
            stats.Invocations - invocationsBefore,
            stats.Received - receivedBefore,
            Math.Round(processCpuMs, 1),
            emulatorCpuMs,
            timedOut);
    }

    private static double UnixMs(DateTimeOffset time) => (time - DateTimeOffset.UnixEpoch).TotalMilliseconds;
}
