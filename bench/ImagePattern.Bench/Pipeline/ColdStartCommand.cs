using System.Diagnostics;
using System.Text.Json;
using ImagePattern.Function;
using ImagePattern.Function.Events;
using ImagePattern.Tool.Emulators.LambdaRuntime;
using ImagePattern.Tool.Local;

namespace ImagePattern.Bench.Pipeline;

/// <summary>
/// <c>cold-start</c>: the function's start in fresh processes against the local stack. Each "bootstrap" run starts the
/// packaged Native AOT <c>bootstrap</c> (the zip <c>make package</c> builds) behind the Runtime API emulator, as Lambda
/// starts an execution environment, and times process start → first <c>GET /next</c>, then two one-record invocations
/// (the first one cold); its peak RSS is read from <c>/proc</c> before it is ended. Each "jit" run, in the same
/// session, is a fresh <c>dotnet ImagePattern.Bench.dll</c> process composing the same function JIT-compiled
/// (<see cref="FunctionBuilder.FromEnvironment"/>) and invoking it the same way, for comparison.
/// </summary>
internal static class ColdStartCommand
{
    private const string Prefix = "bench/cold-start/";

    public static async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var options = BenchArgs.Parse(args, ["runs", "work", "size", "samples", "package"], ["no-jit"]);
        var runs = options.Int("runs", 7);
        var work = options.String("work") ?? Path.Combine(Path.GetTempPath(), "imagepattern-bench-cold-start");
        var package = options.String("package") ?? throw new ArgumentException("--package (the function zip) is required");
        var (width, height) = options.Size("size", (1600, 1200));
        Directory.CreateDirectory(work);

        await using var pipeline = await LocalPipeline.StartAsync(new LocalPipelineOptions { StartPoller = false }, cancellationToken);
        var image = new SampleCache(options.String("samples")).Jpeg(width, height, 11);
        var jit = !options.Has("no-jit");
        var events = await PrepareEventsAsync(pipeline, runs * (jit ? 6 : 4), image, work, cancellationToken);
        var environment = pipeline.Endpoints.EnvironmentVariables.Concat(pipeline.Layout.FunctionEnvironment).ToDictionary();
        // The same package on the other engine: each engine's initialisation shows in its own ready time.
        var libvips = new Dictionary<string, string>(environment) { ["IMAGE_ENGINE"] = "libvips" };
        var taskRoot = ExecutionEnvironment.Unpack(package, Path.Combine(work, "task-root"));

        var results = new List<ColdStartRun>();
        var next = 0;
        for (var i = 0; i < runs; i++)
        {
            results.Add(await BootstrapAsync("bootstrap", taskRoot, environment, events[next++], events[next++], cancellationToken));
            results.Add(await BootstrapAsync("bootstrap-libvips", taskRoot, libvips, events[next++], events[next++], cancellationToken));
            if (jit)
            {
                results.Add(await SpawnAsync(["--first", events[next++], "--second", events[next++]], environment, work, cancellationToken));
            }
        }

        var report = new ColdStartReport($"{width}x{height} JPEG", SettingsSummary.Of(pipeline), new FileInfo(package).Length, results);
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

    private static async Task<ColdStartRun> BootstrapAsync(
        string mode, string taskRoot, IReadOnlyDictionary<string, string> environment, string firstEvent, string secondEvent, CancellationToken cancellationToken)
    {
        var first = await File.ReadAllBytesAsync(firstEvent, cancellationToken);
        var second = await File.ReadAllBytesAsync(secondEvent, cancellationToken);
        var spawnAt = Measured.UnixMs();
        await using var bootstrap = await ExecutionEnvironment.StartAsync(
            new ExecutionEnvironmentOptions { TaskRoot = taskRoot, Environment = environment }, cancellationToken);
        try
        {
            var ready = await bootstrap.RuntimeApi.FirstNextRequest.WaitAsync(TimeSpan.FromMinutes(1), cancellationToken);
            var readyMs = TimeProvider.System.GetElapsedTime(bootstrap.StartedAt, ready).TotalMilliseconds;
            var (failuresFirst, firstTime) = await Measured.TimeAsync(() => InvokeAsync(bootstrap, first, cancellationToken));
            var (failuresSecond, secondTime) = await Measured.TimeAsync(() => InvokeAsync(bootstrap, second, cancellationToken));
            var child = new ColdStartChildResult(readyMs, firstTime.WallMs, secondTime.WallMs, PeakRssMb(bootstrap.ProcessId), failuresFirst + failuresSecond);
            return new ColdStartRun(mode, spawnAt, 0, child, null);
        }
        catch (Exception ex) when (ex is BootstrapExitedException or TimeoutException or FunctionErrorException)
        {
            return new ColdStartRun(mode, spawnAt, bootstrap.Exited.IsCompleted ? bootstrap.Exited.Result : 0, null, ex.Message);
        }
    }

    private static async Task<int> InvokeAsync(ExecutionEnvironment bootstrap, byte[] payload, CancellationToken cancellationToken)
    {
        var result = await bootstrap.InvokeAsync(payload, TimeProvider.System.GetUtcNow().AddMinutes(1), cancellationToken);
        return result switch
        {
            InvocationResult.Response response => JsonSerializer.Deserialize(response.Body, EventJsonContext.Default.SqsBatchResponse)?.BatchItemFailures.Count ?? 1,
            InvocationResult.Error error => throw new FunctionErrorException(error.Document.ErrorType, error.Document.ErrorMessage),
            _ => 1,
        };
    }

    /// <summary>The high-water mark of the resident set (<c>VmHWM</c>), in MB, of a live process.</summary>
    internal static double? PeakRssMb(int processId) => ExecutionEnvironment.PeakResidentKilobytes(processId) / 1024.0;

    private static async Task<ColdStartRun> SpawnAsync(
        string[] extra, IEnumerable<KeyValuePair<string, string>> environment, string work, CancellationToken cancellationToken)
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
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start the child");
        // The function logs to stdout as in Lambda; drain it so the child never blocks on a full pipe.
        var drained = process.StandardOutput.BaseStream.CopyToAsync(Stream.Null, cancellationToken);
        var errors = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        await drained;
        var stderr = await errors;

        ColdStartChildResult? child = null;
        if (File.Exists(resultPath))
        {
            var measured = JsonSerializer.Deserialize(await File.ReadAllTextAsync(resultPath, cancellationToken), BenchJsonContext.Default.ColdStartChildResult);
            // The child measured from its Main; the runtime's own start before Main belongs to "ready" too.
            child = measured is null ? null : measured with { ReadyMs = measured.ReadyMs + (measured.MainAtUnixMs - spawnAt) };
            File.Delete(resultPath);
        }

        var error = process.ExitCode == 0 && child is not null ? null : string.Join(" / ", stderr.Trim().Split('\n').TakeLast(3));
        return new ColdStartRun("jit", spawnAt, process.ExitCode, child, error);
    }
}

/// <summary><c>cold-start-child</c>: the fresh process <see cref="ColdStartCommand"/> spawns; writes what it measured to <c>--result</c>.</summary>
internal static class ColdStartChild
{
    public static async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var mainAt = Measured.UnixMs();
        var options = BenchArgs.Parse(args, ["result", "first", "second"]);
        var resultPath = options.String("result") ?? throw new ArgumentException("--result is required");

        // Event bytes are in memory before the clock starts: Lambda hands the handler a ready payload.
        var first = await File.ReadAllBytesAsync(options.String("first") ?? throw new ArgumentException("--first is required"), cancellationToken);
        var second = await File.ReadAllBytesAsync(options.String("second") ?? throw new ArgumentException("--second is required"), cancellationToken);
        var (host, compose) = Measured.Time(() => FunctionBuilder.FromEnvironment().Build());
        ColdStartChildResult result;
        using (host)
        {
            var entry = new LambdaEntryPoint(host);
            var (failuresFirst, firstTime) = await Measured.TimeAsync(() => InvokeAsync(entry, first, cancellationToken));
            var (failuresSecond, secondTime) = await Measured.TimeAsync(() => InvokeAsync(entry, second, cancellationToken));
            result = new ColdStartChildResult(compose.WallMs, firstTime.WallMs, secondTime.WallMs, ColdStartCommand.PeakRssMb(Environment.ProcessId), failuresFirst + failuresSecond)
            {
                MainAtUnixMs = mainAt,
            };
        }

        await File.WriteAllTextAsync(resultPath, JsonSerializer.Serialize(result, BenchJsonContext.Default.ColdStartChildResult), cancellationToken);
        return 0;
    }

    private static async Task<int> InvokeAsync(LambdaEntryPoint entry, byte[] input, CancellationToken cancellationToken)
    {
        var response = await entry.HandleAsync(input, TimeProvider.System.GetUtcNow().AddMinutes(1), cancellationToken);
        var parsed = JsonSerializer.Deserialize(response.Span, EventJsonContext.Default.SqsBatchResponse);
        return parsed?.BatchItemFailures.Count ?? 1;
    }
}
