using ImagePattern.Function.Events;
using ImagePattern.Function.Ledger;
using ImagePattern.Testing;
using ImagePattern.Tool.Local;

namespace ImagePattern.Tool.Tests.Local;

/// <summary>Tooling's reader against what the function's ledger writes, on the local DynamoDB.</summary>
public sealed class TaskTableReaderTests(LocalStackFixture stack)
{
    private static readonly DateTimeOffset Now = new(2026, 5, 6, 7, 8, 9, TimeSpan.Zero);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static SourceObject Source(string key) => new("bucket", key, 1234, "etag", null, null, "ObjectCreated:Put");

    [Fact]
    public async Task Read_WhatTheLedgerWrote_GivesEveryFieldBack()
    {
        using var dynamo = stack.Endpoints.CreateDynamoDbClient();
        var table = "tasks-" + Guid.NewGuid().ToString("N")[..8];
        await TasksTable.CreateAsync(dynamo, table, Ct);
        var ledger = new DynamoDbTaskLedger(dynamo, table, TimeSpan.FromDays(1), TimeProvider.System);
        var lease = Now.AddYears(10);
        var done = Assert.IsType<ClaimResult.Claimed>(await ledger.ClaimAsync("done", Source("a.jpg"), lease, Ct));
        TaskOutput[] outputs = [new("128x128/a.webp", "128x128", 128, 96, 2048, "webp"), new("512x512/a.webp", "512x512", 512, 384, 9000, "webp")];
        Assert.True(await ledger.CompleteAsync("done", done.LeaseToken, TaskCompletion.Of(outputs), Ct));
        var bad = Assert.IsType<ClaimResult.Claimed>(await ledger.ClaimAsync("bad", Source("b.jpg"), lease, Ct));
        Assert.True(await ledger.FailAsync("bad", bad.LeaseToken, "not an image", Ct));
        var held = Assert.IsType<ClaimResult.Claimed>(await ledger.ClaimAsync("held", Source("c.jpg"), lease, Ct));

        var reader = new TaskTableReader(dynamo, table);
        var all = (await reader.ScanAsync(Ct)).ToDictionary(r => r.TaskId);

        Assert.Equal(["bad", "done", "held"], all.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(await ledger.GetAsync("done", Ct), all["done"], TaskRecordComparer.Instance);
        Assert.Equal(await ledger.GetAsync("bad", Ct), all["bad"], TaskRecordComparer.Instance);
        Assert.Equal((TaskState.Completed, 1), (all["done"].Status, all["done"].Attempts));
        Assert.Equal(outputs, all["done"].Outputs);
        Assert.Equal((TaskState.Failed, "not an image"), (all["bad"].Status, all["bad"].Error));
        Assert.Equal((TaskState.InProgress, held.LeaseToken, lease), (all["held"].Status, all["held"].LeaseToken, all["held"].LeaseExpiresAt));
        Assert.Equal(all["held"], await reader.GetAsync("held", Ct), TaskRecordComparer.Instance);
        Assert.Null(await reader.GetAsync("absent", Ct));
    }

    /// <summary>Records compare by value, outputs by their elements (the record's list compares by reference).</summary>
    private sealed class TaskRecordComparer : IEqualityComparer<TaskRecord?>
    {
        public static TaskRecordComparer Instance { get; } = new();

        public bool Equals(TaskRecord? x, TaskRecord? y) =>
            x is not null && y is not null && x with { Outputs = [] } == y with { Outputs = [] } && x.Outputs.SequenceEqual(y.Outputs);

        public int GetHashCode(TaskRecord? obj) => obj?.TaskId.GetHashCode(StringComparison.Ordinal) ?? 0;
    }
}
