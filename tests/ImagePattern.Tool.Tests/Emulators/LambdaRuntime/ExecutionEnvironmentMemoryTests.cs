using ImagePattern.Function.Events;
using ImagePattern.Tool.Emulators.LambdaRuntime;
using ImagePattern.Tool.Local;
using ImagePattern.Tool.Tests.Support;

namespace ImagePattern.Tool.Tests.Emulators.LambdaRuntime;

/// <summary>
/// The packaged bootstrap held to a memory size by the Runtime API emulator, with an <c>s3:TestEvent</c> (which the
/// function acknowledges without calling AWS), so no stack is needed.
/// </summary>
public sealed class ExecutionEnvironmentMemoryTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Invoke_PeakAboveTheMemorySize_FailsWithOutOfMemoryAndEndsTheEnvironment()
    {
        // The bootstrap alone is resident above 16 MB (Lambda offers no less than 128): every invocation crosses it.
        await using var function = new PackagedFunction(await OptionsAsync("oom", memory: 16), maximumConcurrency: 1);

        var first = await Assert.ThrowsAsync<FunctionErrorException>(() => function.HandleAsync(TestEvent(), Deadline(), Ct));
        var second = await Assert.ThrowsAsync<FunctionErrorException>(() => function.HandleAsync(TestEvent(), Deadline(), Ct));

        Assert.Equal(["Runtime.OutOfMemory", "Runtime.OutOfMemory"], [first.ErrorType, second.ErrorType]);
        // Each failed invocation ended its environment: the second one was a cold start again.
        Assert.Equal(2, function.EnvironmentsStarted);
        Assert.All(function.Reports, r => Assert.True(r.OutOfMemory && r.MaxMemoryUsedMegabytes > 16 && r.InitDuration is not null, r.ToString()));
    }

    [Fact]
    public async Task Invoke_WithinTheMemorySize_AnswersAndReportsThePeakSoFar()
    {
        var lines = new List<string>();
        var options = await OptionsAsync("within", memory: 1769) with { StandardOutput = line => { lock (lines) { lines.Add(line); } } };
        await using var function = new PackagedFunction(options, maximumConcurrency: 1);

        var answers = new[] { await function.HandleAsync(TestEvent(), Deadline(), Ct), await function.HandleAsync(TestEvent(), Deadline(), Ct) };

        Assert.All(answers, a => Assert.Empty(a.BatchItemFailures));
        Assert.Equal(1, function.EnvironmentsStarted);
        var (cold, warm) = (function.Reports[0], function.Reports[1]);
        Assert.True(cold.MaxMemoryUsedMegabytes is > 0 and <= 1769 && cold.InitDuration is not null, cold.ToString());
        // Like Lambda's, the figure is the environment's peak so far, and only the first invocation carries the init.
        Assert.True(warm.MaxMemoryUsedMegabytes >= cold.MaxMemoryUsedMegabytes && warm.InitDuration is null, warm.ToString());
        lock (lines)
        {
            Assert.Contains(lines, l => l.StartsWith($"REPORT RequestId: {warm.RequestId}\tDuration: ", StringComparison.Ordinal)
                && l.Contains($"\tMemory Size: 1769 MB\tMax Memory Used: {warm.MaxMemoryUsedMegabytes} MB\t", StringComparison.Ordinal));
        }
    }

    private static async Task<ExecutionEnvironmentOptions> OptionsAsync(string name, int memory)
    {
        var layout = new LocalLayout { Name = $"emulator-{name}", ImageEngine = "skia" };
        var environment = layout.FunctionEnvironment.ToDictionary();
        environment["AWS_REGION"] = layout.Region;
        environment["AWS_ACCESS_KEY_ID"] = "test";
        environment["AWS_SECRET_ACCESS_KEY"] = "test";
        environment["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"] = "1769";
        return new ExecutionEnvironmentOptions
        {
            TaskRoot = await HostPackage.TaskRootAsync($"emulator-{name}"),
            Environment = environment,
            FunctionName = $"{layout.Name}-thumbnails",
            MemoryMegabytes = memory,
        };
    }

    private static DateTimeOffset Deadline() => TimeProvider.System.GetUtcNow().AddMinutes(1);

    private static SqsEvent TestEvent() => new()
    {
        Records =
        [
            new SqsMessage
            {
                MessageId = Guid.NewGuid().ToString(),
                ReceiptHandle = "receipt",
                Body = """{"Service":"Amazon S3","Event":"s3:TestEvent","Time":"2026-12-06T00:00:00.000Z","Bucket":"emulator-source","RequestId":"R","HostId":"H"}""",
                EventSource = "aws:sqs",
            },
        ],
    };
}
