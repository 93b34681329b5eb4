using System.Diagnostics;
using System.Text;

namespace ImagePattern.Tool.Tests.Drills.Support;

/// <summary>
/// The function in a process of its own (<c>imagepattern worker</c>), configured only by environment variables as
/// Lambda configures it, so a drill can kill it for real. Its EMF lines (stdout) feed an <see cref="EmfTally"/>.
/// </summary>
public sealed class WorkerProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly StringBuilder errors = new();
    private long logBytes;

    private WorkerProcess(Process process, EmfTally metrics)
    {
        this.process = process;
        Metrics = metrics;
    }

    public int Id => process.Id;

    public EmfTally Metrics { get; }

    /// <summary>Bytes of JSON log lines the function wrote (stderr).</summary>
    public long LogBytes => Interlocked.Read(ref logBytes);

    public bool HasExited => process.HasExited;

    /// <summary>The worker's poller counts as it last reported them (a killed worker's may be up to 250 ms stale).</summary>
    public PollerCounts Poller { get; private set; } = new(0, 0, 0, 0, 0);

    public static WorkerProcess Start(IReadOnlyDictionary<string, string> environment, string queueUrl, string queueArn, int concurrency, TimeSpan functionTimeout)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[]
                 {
                     Path.Combine(AppContext.BaseDirectory, "imagepattern.dll"), "worker",
                     "--queue-url", queueUrl, "--queue-arn", queueArn,
                     "--concurrency", concurrency.ToString(System.Globalization.CultureInfo.InvariantCulture),
                     "--function-timeout", ((int)functionTimeout.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture),
                     "--exit-on-stdin-close",
                 })
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        var worker = new WorkerProcess(Process.Start(start) ?? throw new InvalidOperationException("could not start the worker"), new EmfTally());
        worker.process.OutputDataReceived += (_, e) => worker.Metrics.Line(e.Data);
        worker.process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                return;
            }

            Interlocked.Add(ref worker.logBytes, Encoding.UTF8.GetByteCount(e.Data) + 1);
            worker.ReadPollerCounts(e.Data);
            lock (worker.errors)
            {
                // Keep the tail for failure messages.
                if (worker.errors.Length > 20_000)
                {
                    worker.errors.Remove(0, 10_000);
                }

                worker.errors.AppendLine(e.Data);
            }
        };
        worker.process.BeginOutputReadLine();
        worker.process.BeginErrorReadLine();
        return worker;
    }

    private void ReadPollerCounts(string line)
    {
        if (!line.StartsWith("{\"poller\":", StringComparison.Ordinal))
        {
            return;
        }

        using var json = System.Text.Json.JsonDocument.Parse(line);
        var p = json.RootElement.GetProperty("poller");
        Poller = new PollerCounts(
            p.GetProperty("invocations").GetInt64(), p.GetProperty("received").GetInt64(), p.GetProperty("deleted").GetInt64(),
            p.GetProperty("retried").GetInt64(), p.GetProperty("failed_invocations").GetInt64());
    }

    public string ErrorTail
    {
        get
        {
            lock (errors)
            {
                return errors.ToString();
            }
        }
    }

    /// <summary>SIGKILL: no finally blocks, no lease release, no metrics flush — a crash.</summary>
    public async Task KillAsync()
    {
        process.Kill(entireProcessTree: false);
        await process.WaitForExitAsync();
    }

    /// <summary>Closes stdin, which the worker takes as the signal to stop after its current batches.</summary>
    public async Task StopAsync()
    {
        if (process.HasExited)
        {
            return;
        }

        process.StandardInput.Close();
        using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(30), TimeProvider.System);
        try
        {
            await process.WaitForExitAsync(grace.Token);
        }
        catch (OperationCanceledException)
        {
            await KillAsync();
        }

        // Let the asynchronous readers deliver the last lines.
        process.WaitForExit();
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        process.Dispose();
    }
}

/// <summary>What a worker's poller did: messages received (redeliveries included), deleted, left for redelivery.</summary>
public sealed record PollerCounts(long Invocations, long Received, long Deleted, long Retried, long FailedInvocations);
