using System.Diagnostics;
using System.Text.Json;
using ImagePattern.Function;
using ImagePattern.Function.Events;
using ImagePattern.Imaging;
using ImagePattern.Tool.Local;

namespace ImagePattern.Bench.Pipeline;

/// <summary>
/// <c>cold-start</c>: the function's initialisation in fresh processes against the local stack. Each "function" run is
/// a new process that composes the function as the bootstrap does (<see cref="FunctionBuilder.FromEnvironment"/>:
/// settings from the environment, AWS SDK clients), then handles two one-record events, the first one cold; each
/// "libvips" run is a new process that only initialises libvips, whose cost lands wherever the function first needs it.
/// </summary>
internal static class ColdStartCommand
{
    private const string Prefix = "bench/cold-start/";

    public static async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var options = BenchArgs.Parse(args, ["runs", "work", "size", "samples"]);
        var runs = options.Int("runs", 7);
        var work = options.String("work") ?? Path.Combine(Path.GetTempPath(), "imagepattern-bench-cold-start");
        var (width, height) = options.Size("size", (1600, 1200));
        Directory.CreateDirectory(work);

        await using var pipeline = await LocalPipeline.StartAsync(new LocalPipelineOptions { StartPoller = false }, cancellationToken);
        var image = new SampleCache(options.String("samples")).Jpeg(width, height, 11);
        var events = await PrepareEventsAsync(pipeline, runs * 2, image, work, cancellationToken);
        var environment = pipeline.Endpoints.EnvironmentVariables.Concat(pipeline.Layout.FunctionEnvironment).ToList();

        var results = new List<ColdStartRun>();
        for (var i = 0; i < runs; i++)
        {
            results.Add(await SpawnAsync("function", ["--first", events[2 * i], "--second", events[(2 * i) + 1]], environment, work, cancellationToken));
            results.Add(await SpawnAsync("libvips", ["--libvips-only"], environment, work, cancellationToken));
        }

        var report = new ColdStartReport($"{width}x{height} JPEG", SettingsSummary.Of(pipeline), results);
        Console.WriteLine(JsonSerializer.Serialize(report, BenchJsonContext.Default.ColdStartReport));
        return 0;
    }

    // One record per event file, each a different upload, so that every invocation does real work.
    private static async Task<List<string>> PrepareEventsAsync(LocalPipeline pipeline, int count, byte[] image, string work, CancellationToken cancellationToken)
    {
        for (var i = 0; i < count; i++)
        {
            await StackProbe.UploadAsync(pipeline, $"{Prefix}{i:D3}.jpg", image, cancellationToken);
        }

        var notifications = await StackProbe.ReceiveNotificationsAsync(pipeline, count, TimeSpan.FromSeconds(60), cancellationToken);
        var files = new List<string>();
        foreach (var (notification, i) in notifications.OrderBy(n => n.Key, StringComparer.Ordinal).Select((n, i) => (n, i)))
        {
            var path = Path.Combine(work, $"event-{i:D3}.json");
            await File.WriteAllTextAsync(path, JsonSerializer.Serialize(new SqsEvent { Records = [notification.Record] }, EventJsonContext.Default.SqsEvent), cancellationToken);
            files.Add(path);
        }

        return files;
    }

    private static async Task<ColdStartRun> SpawnAsync(
        string mode, string[] extra, IEnumerable<KeyValuePair<string, string>> environment, string work, CancellationToken cancellationToken)
    {
        var resultPath = Path.Combine(work, $"result-{Guid.NewGuid():N}.json");
        var start = new ProcessStartInfo(Environment.ProcessPath ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // Run as `dotnet ImagePattern.Bench.dll` when hosted by the muxer, as the bench does.
        if (Path.GetFileNameWithoutExtension(start.FileName) == "dotnet")
        {
            start.ArgumentList.Add(typeof(ColdStartCommand).Assembly.Location);
        }

        foreach (var arg in new[] { "cold-start-child", "--result", resultPath }.Concat(extra))
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        var spawnAt = Measured.UnixMs();
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start the child");
        // The function logs to stdout as in Lambda; drain it so the child never blocks on a full pipe.
        var drained = process.StandardOutput.BaseStream.CopyToAsync(Stream.Null, cancellationToken);
        var errors = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        var processMs = clock.Elapsed.TotalMilliseconds;
        await drained;
        var stderr = await errors;

        ColdStartChildResult? child = null;
        if (File.Exists(resultPath))
        {
            child = JsonSerializer.Deserialize(await File.ReadAllTextAsync(resultPath, cancellationToken), BenchJsonContext.Default.ColdStartChildResult);
            File.Delete(resultPath);
        }

        var error = process.ExitCode == 0 && child is not null ? null : string.Join(" / ", stderr.Trim().Split('\n').TakeLast(3));
        return new ColdStartRun(mode, spawnAt, processMs, process.ExitCode, child, error);
    }
}

/// <summary><c>cold-start-child</c>: the fresh process <see cref="ColdStartCommand"/> spawns; writes what it measured to <c>--result</c>.</summary>
internal static class ColdStartChild
{
    public static async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var mainAt = Measured.UnixMs();
        var options = BenchArgs.Parse(args, ["result", "first", "second"], ["libvips-only"]);
        var resultPath = options.String("result") ?? throw new ArgumentException("--result is required");

        ColdStartChildResult result;
        if (options.Has("libvips-only"))
        {
            var (_, init) = Measured.Time(() => VipsThumbnailer.LibVipsVersion);
            result = new ColdStartChildResult(mainAt, null, null, null, null, init.WallMs, 0);
        }
        else
        {
            // Event bytes are in memory before the clock starts: Lambda hands the handler a ready stream.
            var first = await File.ReadAllBytesAsync(options.String("first") ?? throw new ArgumentException("--first is required"), cancellationToken);
            var second = await File.ReadAllBytesAsync(options.String("second") ?? throw new ArgumentException("--second is required"), cancellationToken);
            var (host, compose) = Measured.Time(() => FunctionBuilder.FromEnvironment().Build());
            using (host)
            {
                var loaded = LibvipsMapped();
                var (failuresFirst, firstTime) = await Measured.TimeAsync(() => InvokeAsync(host, first, cancellationToken));
                var (failuresSecond, secondTime) = await Measured.TimeAsync(() => InvokeAsync(host, second, cancellationToken));
                result = new ColdStartChildResult(mainAt, compose.WallMs, loaded, firstTime.WallMs, secondTime.WallMs, null, failuresFirst + failuresSecond);
            }
        }

        await File.WriteAllTextAsync(resultPath, JsonSerializer.Serialize(result, BenchJsonContext.Default.ColdStartChildResult), cancellationToken);
        return 0;
    }

    private static async Task<int> InvokeAsync(FunctionHost host, byte[] input, CancellationToken cancellationToken)
    {
        var response = await new LambdaEntryPoint(host).HandleAsync(input, DateTimeOffset.UtcNow.AddMinutes(1), cancellationToken);
        var parsed = JsonSerializer.Deserialize(response.Span, EventJsonContext.Default.SqsBatchResponse);
        return parsed?.BatchItemFailures.Count ?? 1;
    }

    // Whether composing already loaded libvips into the process, or left it to the first invocation.
    private static bool? LibvipsMapped() =>
        File.Exists("/proc/self/maps") ? File.ReadAllText("/proc/self/maps").Contains("libvips", StringComparison.Ordinal) : null;
}
