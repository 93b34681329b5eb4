using System.Text.Json;
using ImagePattern.Function.Ledger;
using ImagePattern.Imaging.Tooling;
using ImagePattern.Packaging.Tests.Support;
using ImagePattern.Testing;
using ImagePattern.Tool.Emulators.LambdaRuntime;

namespace ImagePattern.Packaging.Tests.Runtime;

/// <summary>
/// The packaged x86_64 <c>bootstrap</c>, unzipped as Lambda unzips it, started as a child process behind the
/// project's Runtime API emulator and working against the local stack, as it runs on Lambda.
/// </summary>
public sealed class BootstrapTests(X86PackageFixture package, RuntimeStackFixture stack) : IClassFixture<RuntimeStackFixture>, IAsyncDisposable
{
    private static readonly TimeSpan Answer = TimeSpan.FromMinutes(2);
    private readonly List<ExecutionEnvironment> started = [];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static DateTimeOffset Deadline(double seconds = 60) => TimeProvider.System.GetUtcNow().AddSeconds(seconds);

    private async Task<ExecutionEnvironment> StartAsync(IReadOnlyDictionary<string, string>? environment = null, string handler = "thumbnails")
    {
        var environmentStarted = await ExecutionEnvironment.StartAsync(
            new ExecutionEnvironmentOptions { TaskRoot = package.TaskRoot, Environment = environment ?? stack.FunctionEnvironment, Handler = handler },
            Ct);
        started.Add(environmentStarted);
        return environmentStarted;
    }

    private static async Task<InvocationResult> InvokeAsync(ExecutionEnvironment environment, byte[] payload, DateTimeOffset? deadline = null, string? traceId = null)
    {
        using var limitTimer = new CancellationTokenSource(Answer, TimeProvider.System);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(Ct, limitTimer.Token);
        return await environment.InvokeAsync(payload, deadline ?? Deadline(), limit.Token, traceId);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var environment in started)
        {
            await environment.DisposeAsync();
        }
    }

    [Fact]
    public async Task Bootstrap_BatchWithAPartialFailure_HandsBackOnlyTheMessageAnotherWorkerHolds()
    {
        var pipeline = stack.Pipeline;
        var good = await Notifications.UploadAsync(pipeline, "partial/good.jpg", SampleImages.Create(640, 480, SampleFormat.Jpeg));
        var corrupt = await Notifications.UploadAsync(pipeline, "partial/corrupt.png", "not an image"u8.ToArray());
        var busy = await Notifications.UploadAsync(pipeline, "partial/busy.jpg", SampleImages.Create(320, 240, SampleFormat.Jpeg, new SampleImageOptions { Seed = 4 }));
        var bucket = pipeline.Layout.SourceBucket;
        var busyTask = TaskIdOf(busy);
        Assert.IsType<ClaimResult.Claimed>(await new DynamoDbTaskLedger(pipeline.Dynamo, pipeline.Settings.Pipeline.TasksTable, pipeline.Settings.Pipeline.TaskRetention, TimeProvider.System).ClaimAsync(busyTask, Source(busy), Deadline(600), Ct));
        var environment = await StartAsync();

        var result = await InvokeAsync(environment, Notifications.Event(
            Notifications.Message("m-good", Notifications.Body(bucket, good)),
            Notifications.Message("m-corrupt", Notifications.Body(bucket, corrupt)),
            Notifications.Message("m-busy", Notifications.Body(bucket, busy))));

        Assert.Equal(["m-busy"], Notifications.Response(result).BatchItemFailures.Select(f => f.ItemIdentifier));
        Assert.Equal(TaskState.Completed, (await pipeline.Tasks.GetAsync(TaskIdOf(good), Ct))?.Status);
        Assert.Equal(TaskState.Failed, (await pipeline.Tasks.GetAsync(TaskIdOf(corrupt), Ct))?.Status);
        Assert.Equal(TaskState.InProgress, (await pipeline.Tasks.GetAsync(busyTask, Ct))?.Status);
    }

    [Fact]
    public async Task Bootstrap_SeveralInvocations_AreServedWarmByOneProcess()
    {
        var environment = await StartAsync();
        var testEvent = Notifications.Event(Notifications.Message("m-test", Notifications.TestEventBody));

        for (var i = 0; i < 3; i++)
        {
            Assert.Empty(Notifications.Response(await InvokeAsync(environment, testEvent)).BatchItemFailures);
        }

        Assert.False(environment.Exited.IsCompleted);
        // One cold start: the first invocation's log lines say so, the later ones do not.
        var acknowledged = await Eventually.ValueAsync(
            () => Task.FromResult(LogLines(environment).Where(l => l.GetProperty("message").GetString() == "s3:TestEvent acknowledged").ToList() is { Count: 3 } lines ? lines : null),
            "three acknowledgement log lines");
        Assert.Equal([true, false, false], acknowledged.Select(l => l.GetProperty("cold_start").GetBoolean()));
        Assert.Equal(3, acknowledged.Select(l => l.GetProperty("function_request_id").GetString()).Distinct().Count());
    }

    [Fact]
    public async Task Bootstrap_HandlerException_IsPostedToTheErrorEndpointAndTheProcessServesOn()
    {
        var environment = await StartAsync();

        var failed = await InvokeAsync(environment, "[1,2,3]"u8.ToArray());
        var after = await InvokeAsync(environment, Notifications.Event(Notifications.Message("m-test", Notifications.TestEventBody)));

        var error = Assert.IsType<InvocationResult.Error>(failed).Document;
        Assert.Equal("JsonException", error.ErrorType);
        Assert.Contains("SqsEvent", error.ErrorMessage, StringComparison.Ordinal);
        Assert.NotEmpty(error.StackTrace);
        Assert.Empty(Notifications.Response(after).BatchItemFailures);
    }

    [Fact]
    public async Task Bootstrap_BadConfiguration_IsPostedToInitErrorAndTheProcessEnds()
    {
        var environment = stack.FunctionEnvironment.Where(e => e.Key != "SOURCE_BUCKET").ToDictionary();
        environment["OUTPUT_QUALITY"] = "loud";
        var bootstrap = await StartAsync(environment);

        var error = await bootstrap.RuntimeApi.InitError.WaitAsync(Answer, Ct);
        var exitCode = await bootstrap.Exited.WaitAsync(Answer, Ct);

        Assert.Equal("SettingsException", error.ErrorType);
        Assert.Contains("SOURCE_BUCKET is required", error.ErrorMessage, StringComparison.Ordinal);
        Assert.Contains("OUTPUT_QUALITY", error.ErrorMessage, StringComparison.Ordinal);
        Assert.NotEqual(0, exitCode);
    }

    [Fact]
    public async Task Bootstrap_UnknownHandler_IsPostedToInitError()
    {
        var bootstrap = await StartAsync(handler: "ImagePattern.Function::ImagePattern.Function.LambdaEntryPoint::HandleAsync");

        var error = await bootstrap.RuntimeApi.InitError.WaitAsync(Answer, Ct);

        Assert.Contains("thumbnails", error.ErrorMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bootstrap_BootstrapHandlerAlias_RunsTheThumbnailer()
    {
        var environment = await StartAsync(handler: "bootstrap");

        var result = await InvokeAsync(environment, Notifications.Event(Notifications.Message("m-test", Notifications.TestEventBody)));

        Assert.Empty(Notifications.Response(result).BatchItemFailures);
    }

    [Fact]
    public async Task Bootstrap_DeadlineAlreadyReached_HandsEveryMessageBackUnclaimed()
    {
        var pipeline = stack.Pipeline;
        var first = await Notifications.UploadAsync(pipeline, "late/one.jpg", SampleImages.Create(200, 100, SampleFormat.Jpeg));
        var second = await Notifications.UploadAsync(pipeline, "late/two.jpg", SampleImages.Create(100, 200, SampleFormat.Jpeg));
        var environment = await StartAsync();

        // Invoked at its deadline: no time to start an object, so the messages go back untouched.
        var result = await InvokeAsync(
            environment,
            Notifications.Event(Notifications.Message("m-1", Notifications.Body(pipeline.Layout.SourceBucket, first)), Notifications.Message("m-2", Notifications.Body(pipeline.Layout.SourceBucket, second))),
            Deadline(0));

        Assert.Equal(["m-1", "m-2"], Notifications.Response(result).BatchItemFailures.Select(f => f.ItemIdentifier));
        Assert.Null(await pipeline.Tasks.GetAsync(TaskIdOf(first), Ct));
        Assert.Null(await pipeline.Tasks.GetAsync(TaskIdOf(second), Ct));
    }

    [Fact]
    public async Task Bootstrap_Stdout_IsOneJsonDocumentPerLineWithRequestAndTraceIds()
    {
        var pipeline = stack.Pipeline;
        var photo = await Notifications.UploadAsync(pipeline, "stdout/photo.jpg", SampleImages.Create(300, 300, SampleFormat.Jpeg));
        var environment = await StartAsync();
        const string trace = "Root=1-5f84c7a1-6c4e2b3a9d8f7e6d5c4b3a29;Parent=53995c3f42cd8ad8;Sampled=1";

        await InvokeAsync(environment, Notifications.Event(Notifications.Message("m-test", Notifications.TestEventBody)));
        await InvokeAsync(environment, Notifications.Event(Notifications.Message("m-photo", Notifications.Body(pipeline.Layout.SourceBucket, photo))), traceId: trace);

        // The task's log lines and the invocation's EMF line arrive; every line is a JSON object.
        var line = (JsonElement)await Eventually.ValueAsync<object>(
            () => Task.FromResult<object?>(LogLines(environment).Cast<JsonElement?>().FirstOrDefault(l => l!.Value.TryGetProperty("task_id", out _))),
            "a log line of the task");
        await Eventually.ValueAsync(
            () => Task.FromResult(environment.StandardOutputLines.Count(l => l.Contains("\"_aws\"", StringComparison.Ordinal)) >= 2 ? "" : null),
            "an EMF line per invocation");
        Assert.Equal(trace, line.GetProperty("xray_trace_id").GetString());
        Assert.False(string.IsNullOrEmpty(line.GetProperty("function_request_id").GetString()));
        Assert.All(environment.StandardOutputLines, l => Assert.Equal(JsonValueKind.Object, JsonDocument.Parse(l).RootElement.ValueKind));
    }

    [Theory]
    [InlineData("skia", "libSkiaSharp.so", "libvips.so.42")]
    [InlineData("libvips", "libvips.so.42", "libSkiaSharp.so")]
    public async Task Bootstrap_ConfiguredEngine_IsTheOnlyEngineLibraryLoaded(string engine, string loaded, string absent)
    {
        var pipeline = stack.Pipeline;
        var photo = await Notifications.UploadAsync(pipeline, $"engine-{engine}/photo.png", SampleImages.Create(300, 200, SampleFormat.Png));
        var environment = stack.FunctionEnvironment.ToDictionary();
        environment["IMAGE_ENGINE"] = engine;
        var bootstrap = await StartAsync(environment);

        // After a thumbnail is made, so the engine has surely been created and used.
        var result = await InvokeAsync(bootstrap, Notifications.Event(Notifications.Message("m-engine", Notifications.Body(pipeline.Layout.SourceBucket, photo))));

        Assert.Empty(Notifications.Response(result).BatchItemFailures);
        var maps = await File.ReadAllLinesAsync($"/proc/{bootstrap.ProcessId}/maps", Ct);
        Assert.Contains(maps, line => line.EndsWith("/" + loaded, StringComparison.Ordinal));
        Assert.DoesNotContain(maps, line => line.EndsWith("/" + absent, StringComparison.Ordinal));
    }

    private string TaskIdOf((string Key, string ETag, long Size) uploaded) =>
        ImagePattern.Function.Events.TaskIdentity.For(Source(uploaded), stack.Pipeline.Settings.Recipe);

    private ImagePattern.Function.Events.SourceObject Source((string Key, string ETag, long Size) uploaded) =>
        new(stack.Pipeline.Layout.SourceBucket, uploaded.Key, uploaded.Size, uploaded.ETag, null, null, "ObjectCreated:Put");

    private static List<JsonElement> LogLines(ExecutionEnvironment environment) =>
        environment.StandardOutputLines
            .Select(l => JsonDocument.Parse(l).RootElement)
            .Where(e => e.TryGetProperty("level", out _))
            .ToList();
}
