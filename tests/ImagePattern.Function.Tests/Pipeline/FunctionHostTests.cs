using Amazon.S3.Model;
using ImagePattern.Function.Configuration;
using ImagePattern.Function.Events;
using ImagePattern.Function.Observability;
using ImagePattern.Function.Storage;
using ImagePattern.Function.Ledger;
using ImagePattern.Function.Tests.Support;
using ImagePattern.Imaging.Tooling;
using ImagePattern.Testing;
using Microsoft.Extensions.Time.Testing;

namespace ImagePattern.Function.Tests.Pipeline;

/// <summary>The whole handler with the real AWS SDK against the local stack and real libvips.</summary>
public sealed class FunctionHostTests(LocalStackFixture stack) : IAsyncLifetime
{
    private static readonly byte[] Photo = SampleImages.Create(800, 600, SampleFormat.Jpeg);
    private readonly StringWriter metrics = new();
    private string source = "";
    private string output = "";
    private string table = "";
    private FunctionSettings settings = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        settings = await stack.NewFunctionSettingsAsync();
        (source, output, table) = (settings.Pipeline.SourceBucket, settings.OutputBucket, settings.Pipeline.TasksTable);
    }

    public ValueTask DisposeAsync()
    {
        metrics.Dispose();
        return ValueTask.CompletedTask;
    }

    private DynamoDbTaskLedger Ledger(TimeProvider? time = null) => new(stack.Dynamo, table, settings.Pipeline.TaskRetention, time ?? TimeProvider.System);

    private FunctionHost Host(IObjectStore? store = null, ITaskLedger? ledger = null, TimeProvider? time = null) =>
        new FunctionBuilder(settings)
            .WithLedger(ledger ?? Ledger(time))
            .WithObjectStore(store ?? new S3ObjectStore(stack.S3))
            .WithLogging(FunctionLogging.None)
            .WithTime(time ?? TimeProvider.System)
            .WithMetricsOutput(metrics)
            .Build();

    private Task<SourceObject> UploadAsync(string key, byte[] data) => Uploads.PutAsync(stack.S3, source, key, data, Ct);

    private string TaskIdOf(SourceObject uploaded) => TaskIdentity.For(uploaded, settings.Recipe);

    private async Task<List<S3Object>> OutputsAsync() =>
        (await stack.S3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = output }, Ct)).S3Objects ?? [];

    private static DateTimeOffset Deadline(TimeProvider? time = null) => (time ?? TimeProvider.System).GetUtcNow().AddSeconds(60);

    [Fact]
    public async Task Handle_MixedBatch_RetriesOnlyTheMessageAnotherWorkerHolds()
    {
        var good = await UploadAsync("dir/good photo+1 é.jpg", Photo);
        var corrupt = await UploadAsync("corrupt.jpg", Photo[..(Photo.Length / 3)]);
        var text = await UploadAsync("notes.png", "just text"u8.ToArray());
        var busy = await UploadAsync("busy.jpg", SampleImages.Create(300, 200, SampleFormat.Jpeg, new SampleImageOptions { Seed = 9 }));
        var busyTask = TaskIdOf(busy);
        Assert.IsType<ClaimResult.Claimed>(await Ledger().ClaimAsync(busyTask, busy, Deadline(), Ct));
        using var host = Host();

        var response = await host.HandleAsync(
            SqsEvents.Batch(
                SqsEvents.Message("m-good", SqsEvents.Notification(good)),
                SqsEvents.Message("m-dup", SqsEvents.Notification(good)),
                SqsEvents.Message("m-corrupt", SqsEvents.Notification(corrupt)),
                SqsEvents.Message("m-text", SqsEvents.Notification(text)),
                SqsEvents.Message("m-gone", SqsEvents.Notification(source, "never-uploaded.jpg", 10, "0123")),
                SqsEvents.Message("m-test", Fixture.Read("s3-test-event.json")),
                SqsEvents.Message("m-malformed", "{not json"),
                SqsEvents.Message("m-other-bucket", SqsEvents.Notification("someone-elses", "x.jpg", 10, "abc")),
                SqsEvents.Message("m-busy", SqsEvents.Notification(busy))),
            Deadline(),
            Ct);

        // The unreadable message is kept (for the DLQ); the other-bucket and test events are known to need no work.
        Assert.Equal(["m-busy", "m-malformed"], response.BatchItemFailures.Select(f => f.ItemIdentifier));
        var ledger = Ledger();
        var completed = await ledger.GetAsync(TaskIdOf(good), Ct);
        Assert.Equal(TaskState.Completed, completed!.Status);
        Assert.Equal(1, completed.Attempts);
        Assert.Equal(["128x128/dir/good photo+1 é.jpg.webp", "512x512/dir/good photo+1 é.jpg.webp"], completed.Outputs.Select(o => o.Key).Order());
        Assert.All(completed.Outputs, o => Assert.True(o.Width <= 512 && o.Height <= 512 && o.Bytes > 0));
        Assert.Contains("Corrupt", (await ledger.GetAsync(TaskIdOf(corrupt), Ct))!.Error, StringComparison.Ordinal);
        Assert.Contains("UnsupportedFormat", (await ledger.GetAsync(TaskIdOf(text), Ct))!.Error, StringComparison.Ordinal);
        Assert.Equal(TaskState.Failed, (await ledger.GetAsync(TaskIdOf(new SourceObject(source, "never-uploaded.jpg", 10, "0123", null, null, "ObjectCreated:Put")), Ct))!.Status);
        Assert.Equal(TaskState.InProgress, (await ledger.GetAsync(busyTask, Ct))!.Status);

        var objects = await OutputsAsync();
        Assert.Equal(2, objects.Count);
        var head = await stack.S3.GetObjectMetadataAsync(output, "512x512/dir/good photo+1 é.jpg.webp", Ct);
        Assert.Equal("image/webp", head.Headers.ContentType);
        Assert.Equal(Uri.EscapeDataString(good.Key), head.Metadata["source-key"]);
        Assert.Equal(good.ETag, head.Metadata["source-etag"]);

        var emf = metrics.ToString();
        Assert.Contains("\"Processed\":1", emf, StringComparison.Ordinal);
        Assert.Contains("\"Duplicates\":1", emf, StringComparison.Ordinal);
        Assert.Contains("\"PermanentFailures\":3", emf, StringComparison.Ordinal);
        Assert.Contains("\"Retries\":1", emf, StringComparison.Ordinal);
        Assert.Contains("\"Ignored\":2", emf, StringComparison.Ordinal);
        Assert.Contains("\"Unreadable\":1", emf, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Handle_SameEventDeliveredTwiceConcurrently_ProcessesOnce()
    {
        var photo = await UploadAsync("twice.jpg", Photo);
        var store = new FaultyStore(new S3ObjectStore(stack.S3));
        using var first = Host(store);
        using var second = Host(store);

        var responses = await Task.WhenAll(
            first.HandleAsync(SqsEvents.Batch(SqsEvents.Message("a", SqsEvents.Notification(photo))), Deadline(), Ct),
            second.HandleAsync(SqsEvents.Batch(SqsEvents.Message("b", SqsEvents.Notification(photo))), Deadline(), Ct));
        // A delivery that found the other's live lease comes back later and must then be a duplicate.
        foreach (var retried in responses.SelectMany(r => r.BatchItemFailures))
        {
            var again = await first.HandleAsync(SqsEvents.Batch(SqsEvents.Message(retried.ItemIdentifier, SqsEvents.Notification(photo))), Deadline(), Ct);
            Assert.Empty(again.BatchItemFailures);
        }

        Assert.Equal(settings.Sizes.Count, store.Writes.Count);
        var record = await Ledger().GetAsync(TaskIdOf(photo), Ct);
        Assert.Equal(TaskState.Completed, record!.Status);
        Assert.Equal(1, record.Attempts);
    }

    [Fact]
    public async Task Handle_CrashBetweenWritesAndCompletion_NextDeliveryAfterLeaseRecovers()
    {
        var photo = await UploadAsync("crash.jpg", Photo);
        var clock = new FakeTimeProvider(TimeProvider.System.GetUtcNow());
        var crashedStore = new FaultyStore(new S3ObjectStore(stack.S3));
        using var crashed = Host(crashedStore, new CrashingLedger(Ledger(clock)), clock);

        var firstTry = await crashed.HandleAsync(SqsEvents.Batch(SqsEvents.Message("m", SqsEvents.Notification(photo))), Deadline(clock), Ct);

        Assert.Equal(["m"], firstTry.BatchItemFailures.Select(f => f.ItemIdentifier));
        Assert.Equal(TaskState.InProgress, (await Ledger(clock).GetAsync(TaskIdOf(photo), Ct))!.Status);
        Assert.Equal(2, (await OutputsAsync()).Count);

        // Before the dead worker's lease runs out, a redelivery must leave the task alone.
        using var early = Host(time: clock);
        Assert.Single((await early.HandleAsync(SqsEvents.Batch(SqsEvents.Message("m", SqsEvents.Notification(photo))), Deadline(clock), Ct)).BatchItemFailures);

        clock.Advance(TimeSpan.FromSeconds(61));
        var store = new FaultyStore(new S3ObjectStore(stack.S3));
        using var next = Host(store, time: clock);
        var secondTry = await next.HandleAsync(SqsEvents.Batch(SqsEvents.Message("m", SqsEvents.Notification(photo))), Deadline(clock), Ct);

        Assert.Empty(secondTry.BatchItemFailures);
        var record = await Ledger(clock).GetAsync(TaskIdOf(photo), Ct);
        Assert.Equal(TaskState.Completed, record!.Status);
        Assert.Equal(2, record.Attempts);
        Assert.Equal(2, (await OutputsAsync()).Count);
        // Deterministic keys and bytes: the rewrite replaced the crashed attempt's objects with identical ones.
        Assert.Equal(
            crashedStore.Writes.OrderBy(w => w.Key).Select(w => (w.Key, Convert.ToHexString(w.Data))),
            store.Writes.OrderBy(w => w.Key).Select(w => (w.Key, Convert.ToHexString(w.Data))));
    }

    [Fact]
    public async Task Handle_TransientWriteFailure_ReleasesLeaseAndSucceedsOnRedelivery()
    {
        var photo = await UploadAsync("slow.jpg", Photo);
        var store = new FaultyStore(new S3ObjectStore(stack.S3)) { FailingWrites = 1 };
        using var host = Host(store);

        var first = await host.HandleAsync(SqsEvents.Batch(SqsEvents.Message("m", SqsEvents.Notification(photo))), Deadline(), Ct);

        Assert.Equal(["m"], first.BatchItemFailures.Select(f => f.ItemIdentifier));
        var released = await Ledger().GetAsync(TaskIdOf(photo), Ct);
        Assert.Equal(TaskState.InProgress, released!.Status);
        Assert.Equal(DateTimeOffset.UnixEpoch, released.LeaseExpiresAt);
        Assert.Contains("reduce your request rate", released.Error ?? "", StringComparison.Ordinal);

        var second = await host.HandleAsync(SqsEvents.Batch(SqsEvents.Message("m", SqsEvents.Notification(photo))), Deadline(), Ct);

        Assert.Empty(second.BatchItemFailures);
        Assert.Equal(TaskState.Completed, (await Ledger().GetAsync(TaskIdOf(photo), Ct))!.Status);
    }

    [Fact]
    public async Task Handle_ObjectOverByteLimit_FailsWithoutDecoding()
    {
        var big = await UploadAsync("big.jpg", Photo);
        settings = settings with { Pipeline = settings.Pipeline with { Limits = settings.Pipeline.Limits with { MaxBytes = Photo.Length - 1 } } };
        using var host = Host();

        var response = await host.HandleAsync(SqsEvents.Batch(SqsEvents.Message("m", SqsEvents.Notification(big))), Deadline(), Ct);

        Assert.Empty(response.BatchItemFailures);
        var record = await Ledger().GetAsync(TaskIdOf(big), Ct);
        Assert.Equal(TaskState.Failed, record!.Status);
        Assert.Contains("over the limit", record.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Handle_DeadlineAlreadyReached_RetriesWithoutClaiming()
    {
        var photo = await UploadAsync("late.jpg", Photo);
        using var host = Host();

        var response = await host.HandleAsync(SqsEvents.Batch(SqsEvents.Message("m", SqsEvents.Notification(photo))), TimeProvider.System.GetUtcNow(), Ct);

        Assert.Equal(["m"], response.BatchItemFailures.Select(f => f.ItemIdentifier));
        Assert.Null(await Ledger().GetAsync(TaskIdOf(photo), Ct));
    }

    [Fact]
    public async Task EntryPoint_AwsShapedEvent_WritesPartialBatchResponse()
    {
        using var host = Host();
        var entry = new LambdaEntryPoint(host);

        var output = await entry.HandleAsync(System.Text.Encoding.UTF8.GetBytes(Fixture.Read("sqs-batch.json")), Deadline(), Ct);

        Assert.Equal("""{"batchItemFailures":[]}""", System.Text.Encoding.UTF8.GetString(output.Span));
    }

    [Fact]
    public async Task EntryPoint_PayloadThatIsNotAnSqsEvent_FailsTheInvocationRatherThanAcknowledging()
    {
        using var host = Host();
        var entry = new LambdaEntryPoint(host);

        await Assert.ThrowsAsync<System.Text.Json.JsonException>(() => entry.HandleAsync("[1,2,3]"u8.ToArray(), Deadline(), Ct));
    }

    [Fact]
    public async Task Handle_WithAnInvocationContext_PutsItsFieldsOnEveryLogLine()
    {
        var photo = await UploadAsync("context.jpg", Photo);
        using var capture = new ScopeCapturingLogging();
        using var loggers = capture.CreateFactory();
        using var host = new FunctionBuilder(settings).WithLedger(Ledger()).WithObjectStore(new S3ObjectStore(stack.S3)).WithLogging(loggers).WithMetricsOutput(metrics).Build();
        var context = new InvocationContext(
            "req-1", TimeProvider.System.GetUtcNow().AddSeconds(60), "Root=1-5759e988-bd862e3fe1be46a994272793", "arn:aws:lambda:eu-west-1:123456789012:function:f", ColdStart: true, "f");

        await host.HandleAsync(SqsEvents.Batch(SqsEvents.Message("m1", SqsEvents.Notification(photo))), context, Ct);

        Assert.NotEmpty(capture.Lines);
        Assert.All(capture.Lines, line => Assert.Equal(
            ("req-1", true, "f", context.InvokedFunctionArn, context.TraceId),
            (line.Fields["function_request_id"], line.Fields["cold_start"], line.Fields["function_name"], line.Fields["function_arn"], line.Fields["xray_trace_id"])));
    }

    [Fact]
    public async Task Handle_LocalContext_IsNotAColdStartAndHasNoTrace()
    {
        var photo = await UploadAsync("local.jpg", Photo);
        using var capture = new ScopeCapturingLogging();
        using var loggers = capture.CreateFactory();
        using var host = new FunctionBuilder(settings).WithLedger(Ledger()).WithObjectStore(new S3ObjectStore(stack.S3)).WithLogging(loggers).WithMetricsOutput(metrics).Build();

        await host.HandleAsync(SqsEvents.Batch(SqsEvents.Message("m1", SqsEvents.Notification(photo))), TimeProvider.System.GetUtcNow().AddSeconds(60), Ct);

        Assert.NotEmpty(capture.Lines);
        Assert.All(capture.Lines, line => Assert.Equal((false, false), (line.Fields["cold_start"], line.Fields.ContainsKey("xray_trace_id"))));
    }
}
