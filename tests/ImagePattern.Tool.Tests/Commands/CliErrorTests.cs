using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace ImagePattern.Tool.Tests.Commands;

/// <summary>
/// Expected failures of the CLI, run as a process the way <c>make</c> runs it: one line on stderr naming the problem
/// and what to do, a non-zero exit, no stack trace. The CLI runs from a copy in an empty checkout of its own, so a
/// local stack a developer has running cannot change the answers.
/// </summary>
public sealed class CliErrorTests : IDisposable
{
    private readonly string checkout = Path.Combine(Path.GetTempPath(), "ip-cli-" + Guid.NewGuid().ToString("N")[..10]);

    public CliErrorTests()
    {
        var bin = Directory.CreateDirectory(Path.Combine(checkout, "bin")).FullName;
        foreach (var file in Directory.EnumerateFiles(AppContext.BaseDirectory))
        {
            File.Copy(file, Path.Combine(bin, Path.GetFileName(file)));
        }

        File.WriteAllText(Path.Combine(checkout, "ImagePattern.sln"), "");
    }

    public void Dispose() => Directory.Delete(checkout, recursive: true);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private Task<(int Exit, string StdOut, string StdErr)> RunAsync(params string[] args) => RunAsync(new Dictionary<string, string>(), args);

    private async Task<(int Exit, string StdOut, string StdErr)> RunAsync(IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var start = StartInfo(args);
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(Ct);
        var stderr = process.StandardError.ReadToEndAsync(Ct);
        await process.WaitForExitAsync(Ct);
        return (process.ExitCode, await stdout, await stderr);
    }

    private ProcessStartInfo StartInfo(string[] args)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = checkout,
        };
        start.ArgumentList.Add(Path.Combine(checkout, "bin", "imagepattern.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        // No AWS settings leak in from the machine running the tests.
        foreach (var name in new[] { "AWS_REGION", "AWS_DEFAULT_REGION", "AWS_PROFILE", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_SQS", "AWS_ENDPOINT_URL_S3" })
        {
            start.Environment.Remove(name);
        }

        return start;
    }

    private static string OneLine(string stderr)
    {
        var lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.True(lines.Length == 1, "expected one line on stderr, got:\n" + stderr);
        Assert.DoesNotMatch(@"(?m)^\s+at ", stderr);
        Assert.DoesNotContain("Unhandled exception", stderr, StringComparison.Ordinal);
        return lines[0];
    }

    private void WriteSession(int processId, int port)
    {
        var endpoint = $"http://127.0.0.1:{port}/";
        Directory.CreateDirectory(Path.Combine(checkout, ".local"));
        File.WriteAllText(Path.Combine(checkout, ".local", "session.json"), JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["s3"] = endpoint,
            ["sqs"] = endpoint,
            ["dynamoDb"] = endpoint,
            ["region"] = "us-east-1",
            ["name"] = "gone",
            ["queueUrl"] = endpoint + "000000000000/gone",
            ["queueArn"] = "arn:aws:sqs:us-east-1:000000000000:gone",
            ["deadLetterQueueUrl"] = endpoint + "000000000000/gone-dlq",
            ["deadLetterQueueArn"] = "arn:aws:sqs:us-east-1:000000000000:gone-dlq",
            ["processId"] = processId,
        }));
    }

    [Theory]
    [InlineData("status")]
    [InlineData("backfill", "--local")]
    [InlineData("redrive", "--local", "--yes")]
    [InlineData("invoke", "--event", "ImagePattern.sln")]
    public async Task CommandNeedingTheLocalStack_WithoutOne_SaysHowToStartIt(params string[] args)
    {
        var (exit, _, stderr) = await RunAsync(args);

        Assert.NotEqual(0, exit);
        Assert.Equal("No local stack is running: start one with 'make local-up' in another terminal.", OneLine(stderr));
    }

    [Fact]
    public async Task Status_WhenTheStackThatWroteTheSessionHasExited_SaysItIsGone()
    {
        using var exited = Process.Start(new ProcessStartInfo("true") { UseShellExecute = false })!;
        await exited.WaitForExitAsync(Ct);
        WriteSession(exited.Id, 9);

        var (exit, _, stderr) = await RunAsync("status");

        Assert.NotEqual(0, exit);
        Assert.Matches(@"^The local stack that wrote .*session\.json \(pid \d+\) is gone: start one with 'make local-up'\.$", OneLine(stderr));
    }

    [Fact]
    public async Task Status_WhenNothingListensAtTheSessionsEndpoints_SaysItCannotConnect()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var closedPort = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        WriteSession(Environment.ProcessId, closedPort);

        var (exit, _, stderr) = await RunAsync("status");

        Assert.NotEqual(0, exit);
        var line = OneLine(stderr);
        Assert.StartsWith("Cannot connect", line, StringComparison.Ordinal);
        Assert.Contains($"127.0.0.1:{closedPort}", line, StringComparison.Ordinal);
        Assert.Contains("make local-up", line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("no-such-folder", "IMAGES folder not found")]
    [InlineData("ImagePattern.sln", "IMAGES is a file, not a folder")]
    public async Task Local_WithImagesNotAFolder_SaysWhatItIsBeforeStartingTheEmulators(string name, string problem)
    {
        var images = Path.Combine(checkout, name);

        var (exit, stdout, stderr) = await RunAsync("local", "--images", images);

        Assert.NotEqual(0, exit);
        Assert.Equal($"{problem}: {images}: point IMAGES at a folder of images.", OneLine(stderr));
        Assert.DoesNotContain("Starting the local stack", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Local_WithAnInvalidImageEngine_SaysSoInOneLineBeforeStartingTheEmulators()
    {
        var (exit, stdout, stderr) = await RunAsync(new Dictionary<string, string> { ["IMAGE_ENGINE"] = "bogus" }, "local");

        Assert.NotEqual(0, exit);
        Assert.Equal("Invalid configuration: IMAGE_ENGINE must be skia or libvips (got 'bogus').", OneLine(stderr));
        Assert.DoesNotContain("Starting the local stack", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Local_WithAFolderAsReport_RefusesItBeforeStartingTheEmulators()
    {
        var folder = Directory.CreateDirectory(Path.Combine(checkout, "reports")).FullName;

        var (exit, stdout, stderr) = await RunAsync("local", "--report", folder);

        Assert.NotEqual(0, exit);
        Assert.StartsWith($"REPORT is a folder: {folder}: REPORT= names the report file", OneLine(stderr), StringComparison.Ordinal);
        Assert.DoesNotContain("Starting the local stack", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Local_WithoutNodeOnThePath_NamesTheNodePrerequisite()
    {
        // Everything the run checks before it starts node is in place: the stack script and a package to run.
        Directory.CreateDirectory(Path.Combine(checkout, "local"));
        File.WriteAllText(Path.Combine(checkout, "local", "stack.mjs"), "");
        var package = ImagePattern.Tool.Local.LocalPipeline.HostPackage(checkout);
        Directory.CreateDirectory(Path.GetDirectoryName(package)!);
        File.WriteAllText(package, "");
        var emptyPath = Directory.CreateDirectory(Path.Combine(checkout, "no-tools")).FullName;

        var (exit, _, stderr) = await RunAsync(new Dictionary<string, string> { ["PATH"] = emptyPath }, "local");

        Assert.NotEqual(0, exit);
        Assert.StartsWith("missing: Node.js >= 20 (node is not on PATH", OneLine(stderr), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Local_InterruptedWhileRunning_SaysInterruptedInOneLine()
    {
        // The real stack and package, reached from this checkout through links, so the run writes only here.
        var repository = ImagePattern.Tool.Local.RepositoryRoot.Find();
        Directory.CreateSymbolicLink(Path.Combine(checkout, "local"), Path.Combine(repository, "local"));
        var package = ImagePattern.Tool.Local.LocalPipeline.HostPackage(checkout);
        Directory.CreateDirectory(Path.GetDirectoryName(package)!);
        File.CreateSymbolicLink(package, await Support.HostPackage.ZipAsync());
        using var process = Process.Start(StartInfo(["local"]))!;
        var stderr = process.StandardError.ReadToEndAsync(Ct);
        while (await process.StandardOutput.ReadLineAsync(Ct) is { } line && !line.StartsWith("uploaded ", StringComparison.Ordinal))
        {
        }

        // Ctrl-C on a terminal signals the whole foreground group: the tool and the emulators' node below it.
        await SignalAsync("INT", [process.Id, .. Descendants(process.Id)]);
        _ = process.StandardOutput.BaseStream.CopyToAsync(Stream.Null, Ct);
        await process.WaitForExitAsync(Ct);

        Assert.Equal(130, process.ExitCode);
        Assert.Equal("interrupted", OneLine(await stderr));
    }

    private static List<int> Descendants(int processId)
    {
        var found = new List<int>();
        foreach (var task in Directory.EnumerateDirectories($"/proc/{processId}/task"))
        {
            int[] children;
            try
            {
                children = File.ReadAllText(Path.Combine(task, "children")).Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse).ToArray();
            }
            catch (IOException)
            {
                // That thread ended while being read: it has no children to signal.
                continue;
            }

            foreach (var child in children)
            {
                found.Add(child);
                found.AddRange(Descendants(child));
            }
        }

        return found;
    }

    private static async Task SignalAsync(string signal, IEnumerable<int> processIds)
    {
        var start = new ProcessStartInfo("kill") { UseShellExecute = false };
        start.ArgumentList.Add("-" + signal);
        foreach (var id in processIds)
        {
            start.ArgumentList.Add(id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        using var kill = Process.Start(start)!;
        await kill.WaitForExitAsync(Ct);
    }

    [Fact]
    public async Task Backfill_InAwsWithoutABucket_NamesBucket()
    {
        var (exit, _, stderr) = await RunAsync("backfill", "--queue-url", "https://sqs.eu-west-1.amazonaws.com/123456789012/photos");

        Assert.NotEqual(0, exit);
        Assert.Contains("BUCKET=<name>", OneLine(stderr), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Redrive_InAwsWithoutADeadLetterQueue_NamesDlqUrl()
    {
        var (exit, _, stderr) = await RunAsync("redrive");

        Assert.NotEqual(0, exit);
        Assert.Contains("DLQ_URL=<url>", OneLine(stderr), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Backfill_InAwsWithoutARegion_SaysToSetAwsRegion()
    {
        var (exit, _, stderr) = await RunAsync("backfill", "--bucket", "photos", "--queue-url", "https://sqs.eu-west-1.amazonaws.com/123456789012/photos");

        Assert.NotEqual(0, exit);
        Assert.Contains("AWS_REGION", OneLine(stderr), StringComparison.Ordinal);
    }
}
