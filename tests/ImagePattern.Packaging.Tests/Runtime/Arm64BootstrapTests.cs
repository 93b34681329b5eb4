using System.Text.Json;
using ImagePattern.Packaging.Tests.Support;
using ImagePattern.Testing;
using ImagePattern.Tool.Emulators.LambdaRuntime;

namespace ImagePattern.Packaging.Tests.Runtime;

/// <summary>
/// The packaged arm64 <c>bootstrap</c> started under qemu user-mode emulation (Debian's <c>qemu-user-static</c>, with
/// Debian's arm64 glibc, OpenSSL and C++ runtime as the system libraries, as Amazon Linux 2023 provides them; see
/// <c>scripts/require.sh qemu-arm64</c>) behind the Runtime API emulator: it must start and answer.
/// </summary>
public sealed class Arm64BootstrapTests(Arm64PackageFixture package)
{
    private static readonly string[] Qemu = ["/usr/bin/qemu-aarch64-static"];

    [Fact]
    public async Task Bootstrap_UnderQemu_AnswersAnS3TestEventBatch()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var environment = await ExecutionEnvironment.StartAsync(
            new ExecutionEnvironmentOptions
            {
                TaskRoot = package.TaskRoot,
                Launcher = Qemu,
                // A valid configuration; an s3:TestEvent needs no AWS call, so no endpoint has to answer.
                Environment = new Dictionary<string, string>
                {
                    ["SOURCE_BUCKET"] = "source",
                    ["OUTPUT_BUCKET"] = "output",
                    ["TASKS_TABLE"] = "tasks",
                    ["AWS_REGION"] = "us-east-1",
                    ["AWS_ACCESS_KEY_ID"] = "local",
                    ["AWS_SECRET_ACCESS_KEY"] = "local",
                },
            },
            ct);
        using var limitTimer = new CancellationTokenSource(TimeSpan.FromMinutes(3), TimeProvider.System);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct, limitTimer.Token);

        var result = await environment.InvokeAsync(
            Notifications.Event(Notifications.Message("m-test", Notifications.TestEventBody)),
            TimeProvider.System.GetUtcNow().AddMinutes(1),
            limit.Token);

        Assert.Empty(Notifications.Response(result).BatchItemFailures);
        // The handler's own word that it read the event, not merely some output: every invocation writes an EMF
        // line, so only the acknowledgement's log line proves the arm64 parser and pipeline ran.
        var acknowledgement = await Eventually.ValueAsync(
            () => Task.FromResult(environment.StandardOutputLines
                .Select(l => JsonDocument.Parse(l).RootElement)
                .Where(e => e.TryGetProperty("message", out var message) && message.GetString() == "s3:TestEvent acknowledged")
                .ToList() is [var line] ? new[] { line } : null),
            "the s3:TestEvent acknowledgement log line");
        Assert.Equal("INFO", acknowledgement[0].GetProperty("level").GetString());
        Assert.True(acknowledgement[0].GetProperty("cold_start").GetBoolean());
    }
}
