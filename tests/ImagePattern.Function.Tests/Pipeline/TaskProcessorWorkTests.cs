using Amazon.S3.Model;
using ImagePattern.Function.Events;
using ImagePattern.Function.Ledger;
using ImagePattern.Function.Observability;
using ImagePattern.Function.Pipeline;
using ImagePattern.Function.Storage;
using ImagePattern.Testing;
using Microsoft.Extensions.Logging;

namespace ImagePattern.Function.Tests.Pipeline;

/// <summary>
/// The seam a new consumer plugs into: how <see cref="TaskProcessor"/> turns each thing an <see cref="ITaskWork"/>
/// can do into a task record and an outcome. Real ledger (dynalite) and store (fauxqs S3); the works are scripted.
/// </summary>
public sealed class TaskProcessorWorkTests(LocalStackFixture stack) : IAsyncLifetime
{
    private string bucket = "";
    private string table = "";
    private SourceObject source = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        bucket = await stack.NewBucketAsync("in");
        table = await stack.NewTableAsync();
        using var body = new MemoryStream("some bytes"u8.ToArray());
        var put = await stack.S3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "k.bin", InputStream = body }, Ct);
        source = new SourceObject(bucket, "k.bin", 10, put.ETag.Trim('"'), null, null, "ObjectCreated:Put");
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private DynamoDbTaskLedger Ledger() => new(stack.Dynamo, table, TimeSpan.FromDays(1), TimeProvider.System);

    private async Task<(TaskOutcome Outcome, TaskRecord? Record)> RunAsync(ScriptedWork work)
    {
        using var slots = new SemaphoreSlim(1, 1);
        var processor = new TaskProcessor(
            work, Ledger(), new S3ObjectStore(stack.S3), slots, TimeProvider.System, FunctionLogging.None.CreateLogger<TaskProcessor>());
        var now = TimeProvider.System.GetUtcNow();
        var taskId = TaskIdentity.For(source, work.Recipe);
        var outcome = await processor.ProcessAsync(source, taskId, InvocationDeadline.Of(now.AddMinutes(1), now, TimeSpan.FromSeconds(1)), new InvocationMetrics(), Ct);
        return (outcome, await Ledger().GetAsync(taskId, Ct));
    }

    [Fact]
    public async Task Process_WorkCompletes_RecordsTheCompletionItReturned()
    {
        var (outcome, record) = await RunAsync(new ScriptedWork(store: _ => new WorkResult.Completed(TaskCompletion.Of([new TaskOutput("out/k", "x", 1, 2, 3, "bin")]))));

        Assert.Equal(TaskOutcome.Completed, outcome);
        Assert.Equal((TaskState.Completed, "out/k"), (record!.Status, record.Outputs.Single().Key));
    }

    [Fact]
    public async Task Process_MakeFailsPermanently_RecordsFailedWithoutStoring()
    {
        var work = new ScriptedWork(make: _ => new WorkResult.Failed("Corrupt: no"));

        var (outcome, record) = await RunAsync(work);

        Assert.Equal(TaskOutcome.PermanentlyFailed, outcome);
        Assert.Equal((TaskState.Failed, "Corrupt: no"), (record!.Status, record.Error));
        Assert.Equal(0, work.Stores);
    }

    [Fact]
    public async Task Process_StoreFailsPermanently_RecordsFailed()
    {
        var (outcome, record) = await RunAsync(new ScriptedWork(store: _ => new WorkResult.Failed("OutputKeyTooLong: 2000 bytes")));

        Assert.Equal(TaskOutcome.PermanentlyFailed, outcome);
        Assert.Equal(TaskState.Failed, record!.Status);
    }

    [Fact]
    public async Task Process_MakeThrows_ReleasesTheLeaseForARetry()
    {
        var (outcome, record) = await RunAsync(new ScriptedWork(make: _ => throw new TimeoutException("engine stalled")));

        Assert.Equal(TaskOutcome.Retry, outcome);
        Assert.Equal(TaskState.InProgress, record!.Status);
        Assert.True(record.LeaseExpiresAt <= TimeProvider.System.GetUtcNow());
        Assert.Contains("engine stalled", record.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Process_StoreEndsWithoutCompletingOrFailing_IsRetriedNotRecordedFailed()
    {
        var (outcome, record) = await RunAsync(new ScriptedWork(store: made => made));

        Assert.Equal(TaskOutcome.Retry, outcome);
        Assert.Equal(TaskState.InProgress, record!.Status);
    }

    [Fact]
    public async Task Process_Make_SeesTheObjectsBytesUnderItsOwnRecipe()
    {
        var work = new ScriptedWork(store: _ => new WorkResult.Completed(TaskCompletion.Of([])));

        await RunAsync(work);

        Assert.Equal("some bytes", work.Seen);
        Assert.NotNull(await Ledger().GetAsync($"{bucket}/k.bin@{source.ETag}#scripted-1", Ct));
    }

    private sealed class ScriptedWork(Func<byte[], WorkResult>? make = null, Func<WorkResult.Made, WorkResult>? store = null) : ITaskWork
    {
        public string Recipe => "scripted-1";

        public long MaxSourceBytes => 1000;

        public string? Seen { get; private set; }

        public int Stores { get; private set; }

        public WorkResult Make(SourceObject source, ReadOnlyMemory<byte> data)
        {
            Seen = System.Text.Encoding.UTF8.GetString(data.Span);
            return make is null ? new Product() : make(data.ToArray());
        }

        public Task<WorkResult> StoreAsync(SourceObject source, WorkResult.Made made, CancellationToken cancellationToken)
        {
            Stores++;
            return Task.FromResult(store is null ? new WorkResult.Completed(TaskCompletion.Of([])) : store(made));
        }

        private sealed record Product : WorkResult.Made;
    }
}
