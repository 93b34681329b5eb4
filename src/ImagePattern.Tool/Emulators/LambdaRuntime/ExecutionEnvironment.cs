using System.Collections.Concurrent;
using System.Diagnostics;
using System.IO.Compression;

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

    private ExecutionEnvironment(RuntimeApiEmulator runtimeApi, Process process, long startedAt)
    {
        RuntimeApi = runtimeApi;
        this.process = process;
        StartedAt = startedAt;
    }

    /// <summary>The Runtime API this environment's bootstrap talks to.</summary>
    public RuntimeApiEmulator RuntimeApi { get; }

    /// <summary>The <see cref="TimeProvider.GetTimestamp"/> just before the process was started.</summary>
    public long StartedAt { get; }

    /// <summary>The process id of the bootstrap (or of its launcher).</summary>
    public int ProcessId => process.Id;

    /// <summary>Every stdout line so far.</summary>
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

        var environment = new ExecutionEnvironment(runtimeApi, process, startedAt);
        process.OutputDataReceived += (_, e) => Collect(e.Data, environment.output, options.StandardOutput);
        process.ErrorDataReceived += (_, e) => Collect(e.Data, environment.errors, options.StandardError);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _ = WatchExitAsync(environment);
        return environment;
    }

    /// <summary>
    /// Invokes the function once and waits for its answer.
    /// </summary>
    /// <exception cref="BootstrapExitedException">The bootstrap ended before answering (the message carries its init error, if any).</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired first.</exception>
    public async Task<InvocationResult> InvokeAsync(ReadOnlyMemory<byte> payload, DateTimeOffset deadline, CancellationToken cancellationToken, string? traceId = null)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var answer = RuntimeApi.InvokeAsync(payload, deadline, traceId, stop.Token);
        if (await Task.WhenAny(answer, Exited) == answer)
        {
            return await answer;
        }

        await stop.CancelAsync();
        var code = await Exited;
        var init = RuntimeApi.InitError.IsCompletedSuccessfully ? $": init error {RuntimeApi.InitError.Result.ErrorType}: {RuntimeApi.InitError.Result.ErrorMessage}" : "";
        var stderr = string.Join(" | ", StandardErrorLines.TakeLast(5));
        throw new BootstrapExitedException($"bootstrap exited with code {code} before answering{init}{(stderr.Length > 0 ? $"; stderr: {stderr}" : "")}");
    }

    /// <summary>Ends the bootstrap (as Lambda ends an environment) and the Runtime API.</summary>
    public async ValueTask DisposeAsync()
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

        await ((Task)Exited).WaitAsync(TimeSpan.FromSeconds(30), TimeProvider.System).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        process.Dispose();
        await RuntimeApi.DisposeAsync();
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
