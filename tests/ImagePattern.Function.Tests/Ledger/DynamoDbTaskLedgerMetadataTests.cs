using Amazon.DynamoDBv2.Model;
using ImagePattern.Function.Events;
using ImagePattern.Function.Ledger;
using ImagePattern.Function.Metadata;
using ImagePattern.Testing;
using Microsoft.Extensions.Time.Testing;

namespace ImagePattern.Function.Tests.Ledger;

/// <summary>A consumer's result map on COMPLETED records (the metadata consumer's as the example), against a real DynamoDB emulator (dynalite).</summary>
public sealed class DynamoDbTaskLedgerMetadataTests(LocalStackFixture stack)
{
    private static readonly SourceObject Source = new("in", "a.jpg", 10, "etag", null, null, "ObjectCreated:Put");
    private static readonly ImageMetadata Full = new("jpeg", 4000, 6000, 6, "2024-05-01T10:20:30+02:00", "Canon", "Canon EOS R5", true, 123_456, new string('a', 64), "#336699", "LEHV6nWB2yk8pyo0adR*.7kCMdnj");
    private readonly FakeTimeProvider clock = new(new DateTimeOffset(2026, 11, 22, 10, 0, 0, TimeSpan.Zero));
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Complete_WithResult_StoresItAndReadsItBack()
    {
        var (ledger, _) = await NewLedgerAsync();
        var claim = Assert.IsType<ClaimResult.Claimed>(await ledger.ClaimAsync("t1", Source, clock.GetUtcNow().AddMinutes(1), Ct));

        Assert.True(await ledger.CompleteAsync("t1", claim.LeaseToken, TaskCompletion.Recording(Full.ToResult()), Ct));

        var record = await ledger.GetAsync("t1", Ct);
        Assert.Equal(TaskState.Completed, record!.Status);
        Assert.Equal(Full, ImageMetadata.FromResult(record.Result));
    }

    [Fact]
    public async Task Complete_WithAbsentFacts_LeavesThemOutOfTheItem()
    {
        var (ledger, table) = await NewLedgerAsync();
        var claim = Assert.IsType<ClaimResult.Claimed>(await ledger.ClaimAsync("t1", Source, clock.GetUtcNow().AddMinutes(1), Ct));
        var sparse = Full with { CapturedAt = null, CameraMake = null, CameraModel = null, HasGps = false };

        await ledger.CompleteAsync("t1", claim.LeaseToken, TaskCompletion.Recording(sparse.ToResult()), Ct);

        var item = (await stack.Dynamo.GetItemAsync(new GetItemRequest { TableName = table, Key = new() { ["pk"] = new AttributeValue { S = "t1" } } }, Ct)).Item;
        Assert.DoesNotContain("captured_at", item["result"].M.Keys);
        Assert.DoesNotContain("camera_make", item["result"].M.Keys);
        Assert.False(item["result"].M["has_gps"].BOOL);
        Assert.Equal(sparse, ImageMetadata.FromResult((await ledger.GetAsync("t1", Ct))!.Result));
    }

    [Fact]
    public async Task Complete_WithStaleLease_DoesNotWriteTheResult()
    {
        var (ledger, _) = await NewLedgerAsync();
        var stale = Assert.IsType<ClaimResult.Claimed>(await ledger.ClaimAsync("t1", Source, clock.GetUtcNow().AddMinutes(1), Ct));
        clock.Advance(TimeSpan.FromMinutes(2));
        var owner = Assert.IsType<ClaimResult.Claimed>(await ledger.ClaimAsync("t1", Source, clock.GetUtcNow().AddMinutes(1), Ct));

        Assert.False(await ledger.CompleteAsync("t1", stale.LeaseToken, TaskCompletion.Recording(Full.ToResult()), Ct));

        var record = await ledger.GetAsync("t1", Ct);
        Assert.Equal((TaskState.InProgress, owner.LeaseToken), (record!.Status, record.LeaseToken));
        Assert.Null(record.Result);
    }

    [Fact]
    public async Task Complete_Thumbnails_HaveNoResult()
    {
        var (ledger, _) = await NewLedgerAsync();
        var claim = Assert.IsType<ClaimResult.Claimed>(await ledger.ClaimAsync("t1", Source, clock.GetUtcNow().AddMinutes(1), Ct));

        await ledger.CompleteAsync("t1", claim.LeaseToken, TaskCompletion.Of([new TaskOutput("k", "1x1", 1, 1, 1, "webp")]), Ct);

        Assert.Null((await ledger.GetAsync("t1", Ct))!.Result);
    }

    private async Task<(DynamoDbTaskLedger Ledger, string Table)> NewLedgerAsync()
    {
        var table = await stack.NewTableAsync();
        return (new DynamoDbTaskLedger(stack.Dynamo, table, TimeSpan.FromDays(30), clock), table);
    }

    [Fact]
    public async Task Complete_WithEveryValueType_ReadsBackWholeNumbersAsLong()
    {
        var (ledger, _) = await NewLedgerAsync();
        var claim = Assert.IsType<ClaimResult.Claimed>(await ledger.ClaimAsync("t1", Source, clock.GetUtcNow().AddMinutes(1), Ct));
        var result = new Dictionary<string, object?> { ["text"] = "a", ["flag"] = true, ["int"] = 7, ["long"] = 1L << 40, ["ratio"] = 1.5, ["absent"] = null };

        await ledger.CompleteAsync("t1", claim.LeaseToken, TaskCompletion.Recording(result), Ct);

        var read = (await ledger.GetAsync("t1", Ct))!.Result!;
        Assert.Equal(["a", true, 7L, 1L << 40, 1.5], new[] { read["text"], read["flag"], read["int"], read["long"], read["ratio"] });
        Assert.False(read.ContainsKey("absent"));
    }
}
