using System.Diagnostics;
using System.Text.Json;

namespace ImagePattern.Tool.Local;

/// <summary>
/// The emulators (fauxqs for S3 + SQS with the notification bridge, dynalite for DynamoDB) in one Node process
/// started from <c>local/stack.mjs</c>, every port on 127.0.0.1. Disposing stops it; if this process dies first,
/// the stack sees its stdin close and exits too.
/// </summary>
public sealed class LocalEmulators : IAsyncDisposable
{
    private readonly Process process;

    private LocalEmulators(Process process, LocalEndpoints endpoints)
    {
        this.process = process;
        Endpoints = endpoints;
    }

    /// <summary>Where the stack listens.</summary>
    public LocalEndpoints Endpoints { get; }

    /// <summary>Starts the stack on free ports; <paramref name="stateDirectory"/> keeps DynamoDB data on disk, else memory.</summary>
    /// <exception cref="UserErrorException"><c>node</c> cannot be started (not on <c>PATH</c>).</exception>
    public static async Task<LocalEmulators> StartAsync(string repositoryRoot, string? stateDirectory = null, CancellationToken cancellationToken = default)
    {
        var script = Path.Combine(repositoryRoot, "local", "stack.mjs");
        if (!File.Exists(script))
        {
            throw new FileNotFoundException($"The local stack script is missing: {script}");
        }

        var start = new ProcessStartInfo("node")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = repositoryRoot,
        };
        foreach (var arg in new[] { script, "--port", "0", "--dynamo-port", "0", "--exit-on-stdin-close" })
        {
            start.ArgumentList.Add(arg);
        }

        if (stateDirectory is not null)
        {
            start.ArgumentList.Add("--state");
            start.ArgumentList.Add(stateDirectory);
        }

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("could not start node");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            // As scripts/require.sh words it: the prerequisite and where to get it, not the errno.
            throw new UserErrorException(e.NativeErrorCode == 2
                ? "missing: Node.js >= 20 (node is not on PATH; it runs the local stack). Install it from https://nodejs.org or your package manager."
                : $"cannot start node, which runs the local stack ({e.Message}): check the Node.js >= 20 install.");
        }

        var stderr = new System.Text.StringBuilder();
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (stderr)
                {
                    stderr.AppendLine(e.Data);
                }
            }
        };
        process.BeginErrorReadLine();

        using var startLimit = new CancellationTokenSource(TimeSpan.FromSeconds(30), TimeProvider.System);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, startLimit.Token);
        try
        {
            while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
            {
                if (TryParseReady(line, out var endpoints))
                {
                    // Keep draining stdout so the child never blocks on a full pipe.
                    _ = process.StandardOutput.BaseStream.CopyToAsync(Stream.Null, CancellationToken.None);
                    return new LocalEmulators(process, endpoints);
                }
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // Fall through to the error below with whatever the stack printed.
        }

        process.Kill(entireProcessTree: true);
        string errors;
        lock (stderr)
        {
            errors = stderr.ToString();
        }

        throw new InvalidOperationException($"The local stack did not report ready. Its output:{Environment.NewLine}{errors}");
    }

    private static bool TryParseReady(string line, out LocalEndpoints endpoints)
    {
        endpoints = null!;
        if (!line.StartsWith('{'))
        {
            return false;
        }

        using var json = JsonDocument.Parse(line);
        var root = json.RootElement;
        if (!root.TryGetProperty("ready", out var ready) || !ready.GetBoolean())
        {
            return false;
        }

        endpoints = new LocalEndpoints(
            new Uri(root.GetProperty("s3").GetString()!),
            new Uri(root.GetProperty("sqs").GetString()!),
            new Uri(root.GetProperty("dynamodb").GetString()!),
            root.TryGetProperty("region", out var region) ? region.GetString()! : "us-east-1");
        return true;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            // Closing stdin asks the stack to shut down cleanly; kill if it lingers.
            process.StandardInput.Close();
            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(5), TimeProvider.System);
            try
            {
                await process.WaitForExitAsync(grace.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
            }
        }

        process.Dispose();
    }
}
