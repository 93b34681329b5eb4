using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using ImagePattern.Function.Runtime;

namespace ImagePattern.Tool.Emulators.LambdaRuntime;

/// <summary>How to start the packaged <c>bootstrap</c>.</summary>
public sealed record ExecutionEnvironmentOptions
{
    /// <summary>The unpacked package (the folder holding <c>bootstrap</c>): Lambda's <c>LAMBDA_TASK_ROOT</c>.</summary>
    public required string TaskRoot { get; init; }

    /// <summary>The function's environment variables, as Terraform sets them, plus the AWS endpoint and credential ones.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary>The function's <c>handler</c> setting, given to the bootstrap as <c>_HANDLER</c>.</summary>
    public string Handler { get; init; } = "thumbnails";

    /// <summary>The function's name (<c>AWS_LAMBDA_FUNCTION_NAME</c>).</summary>
    public string FunctionName { get; init; } = "imagepattern-thumbnails";

    /// <summary>
    /// The memory size (MB) the environment is held to, as Lambda holds it to the function's <c>memory_size</c>: an
    /// invocation after which the bootstrap's peak resident set exceeds it fails with <c>Runtime.OutOfMemory</c> and
    /// ends the environment. Null takes <c>AWS_LAMBDA_FUNCTION_MEMORY_SIZE</c> of <see cref="Environment"/>, else
    /// 1,769 (the function module's default). The bootstrap sees this value as <c>AWS_LAMBDA_FUNCTION_MEMORY_SIZE</c>
    /// unless <see cref="Environment"/> names another (a drill that measures a function's peak beyond its memory size does).
    /// Nothing tells the bootstrap's .NET GC this size (no <c>DOTNET_GCHeapHardLimit</c> or
    /// <c>DOTNET_GCTotalPhysicalMemory</c>), as Lambda tells a custom runtime nothing either: there the GC also sizes
    /// itself from more memory than the function has, which is why AWS's own .NET runtime client sets the heap limit
    /// from the memory size at start (this function's own client does not). A limit set here would let a function
    /// pass that Lambda ends; a caller may still put one in <see cref="Environment"/> (Native AOT reads both, in hex).
    /// </summary>
    public int? MemoryMegabytes { get; init; }

    /// <summary>
    /// Runs the bootstrap through this program and its arguments (e.g. <c>qemu-aarch64-static -L
    /// /usr/aarch64-linux-gnu</c> for an arm64 package on an x86_64 machine); empty runs it directly.
    /// </summary>
    public IReadOnlyList<string> Launcher { get; init; } = [];

    /// <summary>Receives each line the bootstrap writes to stdout (what CloudWatch Logs would receive).</summary>
    public Action<string>? StandardOutput { get; init; }

    /// <summary>Receives each line the bootstrap writes to stderr.</summary>
    public Action<string>? StandardError { get; init; }

    /// <summary>The clock of the timestamps reported (<see cref="ExecutionEnvironment.StartedAt"/>).</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;
}

/// <summary>The bootstrap exited while an invocation waited for it (it crashed, or failed its init).</summary>
public sealed class BootstrapExitedException(string message) : Exception(message);

/// <summary>What Lambda's <c>REPORT</c> log line says about one invocation.</summary>
/// <param name="RequestId">The invocation's request id.</param>
/// <param name="Duration">From handing the event to the runtime's answer.</param>
/// <param name="MemorySizeMegabytes">The memory size the environment is held to.</param>
/// <param name="MaxMemoryUsedMegabytes">
/// The bootstrap's peak resident set (<c>VmHWM</c>) so far, in MiB rounded up: like Lambda's, the largest over every
/// invocation the environment has served, not this invocation's alone.
/// </param>
/// <param name="InitDuration">From the process start to its first <c>GET /invocation/next</c>; on the first invocation only.</param>
public sealed record InvocationReport(string RequestId, TimeSpan Duration, int MemorySizeMegabytes, int MaxMemoryUsedMegabytes, TimeSpan? InitDuration)
{
    /// <summary>Whether the environment used more than its memory size (the invocation then failed with <c>Runtime.OutOfMemory</c>).</summary>
    public bool OutOfMemory => MaxMemoryUsedMegabytes > MemorySizeMegabytes;

    /// <summary>The line as Lambda writes it to the log stream (tab-separated fields; billed time rounded up to 1 ms, the first one's init included).</summary>
    public override string ToString()
    {
        var billed = Math.Ceiling(Duration.TotalMilliseconds + (InitDuration?.TotalMilliseconds ?? 0));
        var init = InitDuration is { } i ? string.Create(CultureInfo.InvariantCulture, $"\tInit Duration: {i.TotalMilliseconds:0.00} ms") : "";
        return string.Create(
            CultureInfo.InvariantCulture,
            $"REPORT RequestId: {RequestId}\tDuration: {Duration.TotalMilliseconds:0.00} ms\tBilled Duration: {billed:0} ms\tMemory Size: {MemorySizeMegabytes} MB\tMax Memory Used: {MaxMemoryUsedMegabytes} MB{init}\t");
    }
}

/// <summary>
/// One Lambda execution environment on this machine: the packaged <c>bootstrap</c> as a child process, configured
/// only through its environment, with its own <see cref="RuntimeApiEmulator"/>, as <c>sam local invoke</c> runs a
/// function. Handles one invocation at a time, as Lambda's environments do.
/// </summary>
public sealed class ExecutionEnvironment : IAsyncDisposable
{
    private const int MaxLinesKept = 10_000;
    private readonly Process process;
    private readonly ConcurrentQueue<string> output = new();
    private readonly ConcurrentQueue<string> errors = new();
    private readonly TaskCompletionSource<int> exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ConcurrentQueue<InvocationReport> reports = new();
    private readonly ExecutionEnvironmentOptions options;

    private ExecutionEnvironment(RuntimeApiEmulator runtimeApi, Process process, long startedAt, int memoryMegabytes, ExecutionEnvironmentOptions options)
    {
        RuntimeApi = runtimeApi;
        this.process = process;
        this.options = options;
        StartedAt = startedAt;
        MemoryMegabytes = memoryMegabytes;
    }

    /// <summary>The memory size (MB) this environment is held to (<see cref="ExecutionEnvironmentOptions.MemoryMegabytes"/>).</summary>
    public int MemoryMegabytes { get; }

    /// <summary>The <c>REPORT</c> of every invocation that got an answer, oldest first.</summary>
    public IReadOnlyList<InvocationReport> Reports => [.. reports];

    /// <summary>The Runtime API this environment's bootstrap talks to.</summary>
    public RuntimeApiEmulator RuntimeApi { get; }

    /// <summary>The <see cref="TimeProvider.GetTimestamp"/> just before the process was started.</summary>
    public long StartedAt { get; }

    /// <summary>The process id of the bootstrap (or of its launcher).</summary>
    public int ProcessId => process.Id;

    /// <summary>Every stdout line of the bootstrap so far (the emulator's <c>REPORT</c> lines are in <see cref="Reports"/>).</summary>
    public IReadOnlyList<string> StandardOutputLines => [.. output];

    /// <summary>Every stderr line so far.</summary>
    public IReadOnlyList<string> StandardErrorLines => [.. errors];

    /// <summary>Completes with the exit code when the bootstrap ends.</summary>
    public Task<int> Exited => exited.Task;

    /// <summary>Unpacks a function zip into <paramref name="folder"/> (wiped first), keeping the entries' file modes.</summary>
    /// <returns>The task root.</returns>
    public static string Unpack(string zip, string folder)
    {
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }

        Directory.CreateDirectory(folder);
        ZipFile.ExtractToDirectory(zip, folder);
        return folder;
    }

    /// <summary>Starts the Runtime API, then the bootstrap against it.</summary>
    public static async Task<ExecutionEnvironment> StartAsync(ExecutionEnvironmentOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var bootstrap = Path.Combine(options.TaskRoot, "bootstrap");
        if (!File.Exists(bootstrap))
        {
            throw new FileNotFoundException($"no bootstrap in {options.TaskRoot}", bootstrap);
        }

        var memory = options.MemoryMegabytes
            ?? (options.Environment.TryGetValue("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", out var configured) && int.TryParse(configured, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) ? parsed : 1769);
        var runtimeApi = await RuntimeApiEmulator.StartAsync(options.Time, options.FunctionName, cancellationToken);
        var start = new ProcessStartInfo(options.Launcher.Count > 0 ? options.Launcher[0] : bootstrap)
        {
            WorkingDirectory = options.TaskRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var arg in options.Launcher.Skip(1))
        {
            start.ArgumentList.Add(arg);
        }

        if (options.Launcher.Count > 0)
        {
            start.ArgumentList.Add(bootstrap);
        }

        // Only what Lambda would set: nothing of this machine's environment leaks into the function.
        start.Environment.Clear();
        start.Environment["PATH"] = "/usr/local/bin:/usr/bin:/bin";
        start.Environment["LANG"] = "en_US.UTF-8";
        start.Environment["TZ"] = ":UTC";
        start.Environment["LAMBDA_TASK_ROOT"] = options.TaskRoot;
        start.Environment["AWS_LAMBDA_RUNTIME_API"] = runtimeApi.Address;
        start.Environment["_HANDLER"] = options.Handler;
        start.Environment["AWS_LAMBDA_FUNCTION_NAME"] = options.FunctionName;
        start.Environment["AWS_LAMBDA_FUNCTION_VERSION"] = "$LATEST";
        start.Environment["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"] = memory.ToString(CultureInfo.InvariantCulture);
        foreach (var (name, value) in options.Environment)
        {
            start.Environment[name] = value;
        }

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var startedAt = options.Time.GetTimestamp();
        try
        {
            process.Start();
        }
        catch
        {
            process.Dispose();
            await runtimeApi.DisposeAsync();
            throw;
        }

        var environment = new ExecutionEnvironment(runtimeApi, process, startedAt, memory, options);
        process.OutputDataReceived += (_, e) => Collect(e.Data, environment.output, options.StandardOutput);
        process.ErrorDataReceived += (_, e) => Collect(e.Data, environment.errors, options.StandardError);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _ = WatchExitAsync(environment);
        return environment;
    }

    /// <summary>
    /// Invokes the function once and waits for its answer. When it ends, the bootstrap's peak resident set is held to
    /// <see cref="MemoryMegabytes"/> and a <c>REPORT</c> line goes to <see cref="ExecutionEnvironmentOptions.StandardOutput"/>;
    /// over the limit, the answer is replaced by a <c>Runtime.OutOfMemory</c> error and the bootstrap is ended, as Lambda
    /// ends such an environment (the event source mapping then retries the whole batch). Lambda stops the function
    /// the moment it crosses the limit; here the peak is read when the invocation ends, so what the function did
    /// before (thumbnails written, tasks completed) stays done.
    /// </summary>
    /// <exception cref="BootstrapExitedException">The bootstrap ended before answering (the message carries its init error, if any).</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired first.</exception>
    public async Task<InvocationResult> InvokeAsync(ReadOnlyMemory<byte> payload, DateTimeOffset deadline, CancellationToken cancellationToken, string? traceId = null)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var requestId = Guid.NewGuid().ToString();
        var began = options.Time.GetTimestamp();
        var answer = RuntimeApi.InvokeAsync(payload, deadline, traceId, stop.Token, requestId);
        if (await Task.WhenAny(answer, Exited) == answer)
        {
            var result = await answer;
            return await ReportAsync(requestId, options.Time.GetElapsedTime(began), result);
        }

        await stop.CancelAsync();
        var code = await Exited;
        var init = RuntimeApi.InitError.IsCompletedSuccessfully ? $": init error {RuntimeApi.InitError.Result.ErrorType}: {RuntimeApi.InitError.Result.ErrorMessage}" : "";
        var stderr = string.Join(" | ", StandardErrorLines.TakeLast(5));
        throw new BootstrapExitedException($"bootstrap exited with code {code} before answering{init}{(stderr.Length > 0 ? $"; stderr: {stderr}" : "")}");
    }

    /// <summary>The peak resident set (<c>VmHWM</c> of <c>/proc/&lt;pid&gt;/status</c>, kept by the kernel) of a live process, in KiB; null once it is gone.</summary>
    public static long? PeakResidentKilobytes(int processId)
    {
        try
        {
            var line = File.ReadLines($"/proc/{processId.ToString(CultureInfo.InvariantCulture)}/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
            var kilobytes = line?.Split(' ', StringSplitOptions.RemoveEmptyEntries).ElementAtOrDefault(1);
            return long.TryParse(kilobytes, NumberStyles.None, CultureInfo.InvariantCulture, out var kb) ? kb : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Ends the bootstrap (as Lambda ends an environment) and the Runtime API.</summary>
    public async ValueTask DisposeAsync()
    {
        Kill();
        await ((Task)Exited).WaitAsync(TimeSpan.FromSeconds(30), TimeProvider.System).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        process.Dispose();
        await RuntimeApi.DisposeAsync();
    }

    private async Task<InvocationResult> ReportAsync(string requestId, TimeSpan duration, InvocationResult result)
    {
        var peak = PeakResidentKilobytes(process.Id) ?? 0;
        var init = reports.IsEmpty && RuntimeApi.FirstNextRequest.IsCompletedSuccessfully
            ? options.Time.GetElapsedTime(StartedAt, RuntimeApi.FirstNextRequest.Result)
            : (TimeSpan?)null;
        var report = new InvocationReport(requestId, duration, MemoryMegabytes, (int)((peak + 1023) / 1024), init);
        reports.Enqueue(report);
        // Lambda's own line: beside the function's in the log stream, never among the bootstrap's stdout lines.
        options.StandardOutput?.Invoke(report.ToString());
        if (!report.OutOfMemory)
        {
            return result;
        }

        Kill();
        await Exited;
        return new InvocationResult.Error(new RuntimeError(
            "Runtime.OutOfMemory",
            string.Create(CultureInfo.InvariantCulture, $"RequestId: {requestId} Error: Runtime exited with error: signal: killed (Max Memory Used {report.MaxMemoryUsedMegabytes} MB > Memory Size {MemoryMegabytes} MB)"),
            []));
    }

    private void Kill()
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // It ended on its own in between.
        }
    }

    private static void Collect(string? line, ConcurrentQueue<string> lines, Action<string>? sink)
    {
        if (line is null)
        {
            return;
        }

        lines.Enqueue(line);
        // A long local-up session keeps only the recent past; tests read far fewer lines than this.
        while (lines.Count > MaxLinesKept && lines.TryDequeue(out _))
        {
        }

        sink?.Invoke(line);
    }

    private static async Task WatchExitAsync(ExecutionEnvironment environment)
    {
        await environment.process.WaitForExitAsync(CancellationToken.None);
        environment.exited.TrySetResult(environment.process.ExitCode);
    }
}
