using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using ImagePattern.Function.Events;
using ImagePattern.Function.Ledger;
using ImagePattern.Testing;
using Microsoft.Extensions.Time.Testing;

namespace ImagePattern.Function.Tests.Tasks;

/// <summary>The claim/complete/fail/release state machine against a real DynamoDB emulator (dynalite).</summary>
public sealed class DynamoDbTaskLedgerTests(LocalStackFixture stack)
{
    private static readonly SourceObject Source = new("in", "a.jpg", 10, "etag", null, null, "ObjectCreated:Put");
    private readonly FakeTimeProvider clock = new(new DateTimeOffset(2026, 11, 22, 10, 0, 0, TimeSpan.Zero));
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<DynamoDbTaskLedger> NewLedgerAsync() =>
        new(stack.Dynamo, await stack.NewTableAsync(), TimeSpan.FromDays(30), clock);

    private DateTimeOffset Lease => clock.GetUtcNow().AddMinutes(1);

    [Fact]
    public async Task Claim_NewTask_ClaimsWithFirstAttempt()
    {
        var ledger = await NewLedgerAsync();

        var claim = Assert.IsType<ClaimResult.Claimed>(await ledger.ClaimAsync("t1", Source, Lease, Ct));

        Assert.Equal(1, claim.Attempts);
        var record = await ledger.GetAsync("t1", Ct);
        Assert.Equal(TaskState.InProgress, record!.Status);
        Assert.Equal(claim.LeaseToken, record.LeaseToken);
        Assert.Equal(Lease, record.LeaseExpiresAt);
    }

    [Fact]
    public async Task Claim_WhenLeaseLive_ReportsHeldByAnother()
    {
        var ledger = await NewLedgerAsync();
        await ledger.ClaimAsync("t1", Source, Lease, Ct);

        var second = await ledger.ClaimAsync("t1", Source, Lease, Ct);

        Assert.Equal(Lease, Assert.IsType<ClaimResult.HeldByAnother>(second).LeaseExpiresAt);
    }

    [Fact]
    public async Task Claim_WhenLeaseExpired_TakesOver()
    {
        var ledger = await NewLedgerAsync();
        var first = Assert.IsType<ClaimResult.Claimed>(await ledger.ClaimAsync("t1", Source, Lease, Ct));
        clock.Advance(TimeSpan.FromMinutes(2));

        var second = Assert.IsType<ClaimResult.Claimed>(await ledger.ClaimAsync("t1", Source, Lease, Ct));

        Assert.NotEqual(first.LeaseToken, second.LeaseToken);
        Assert.Equal(2, second.Attempts);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Claim_WhenTaskEnded_ReportsFinished(bool completed)
    {
        var ledger = await NewLedgerAsync();
        var claim = Assert.IsType<ClaimResult.Claimed>(await ledger.ClaimAsync("t1", Source, Lease, Ct));
        Assert.True(completed
            ? await ledger.CompleteAsync("t1", claim.LeaseToken, TaskCompletion.Of([]), Ct)
            : await ledger.FailAsync("t1", claim.LeaseToken, "Corrupt: bad", Ct));
        clock.Advance(TimeSpan.FromHours(1));

        var again = Assert.IsType<ClaimResult.Finished>(await ledger.ClaimAsync("t1", Source, Lease, Ct));

        Assert.Equal(completed ? TaskState.Completed : TaskState.Failed, again.Status);
    }

    [Fact]
    public async Task Complete_ByStaleWorkerAfterTakeover_IsRefused()
    {
        var ledger = await NewLedgerAsync();
        var stale = Assert.IsType<ClaimResult.Claimed>(await ledger.ClaimAsync("t1", Source, Lease, Ct));
        clock.Advance(TimeSpan.FromMinutes(2));
        var owner = Assert.IsType<ClaimResult.Claimed>(await ledger.ClaimAsync("t1", Source, Lease, Ct));

        Assert.False(await ledger.CompleteAsync("t1", stale.LeaseToken, TaskCompletion.Of([new TaskOutput("k", "1x1", 1, 1, 1, "webp")]), Ct));
        Assert.False(await ledger.FailAsync("t1", stale.LeaseToken, "late", Ct));

        var record = await ledger.GetAsync("t1", Ct);
        Assert.Equal(TaskState.InProgress, record!.Status);
        Assert.Equal(owner.LeaseToken, record.LeaseToken);
        Assert.Empty(record.Outputs);
    }

    [Fact]
    public async Task Complete_ByOwner_StoresOutputsAndClearsLease()
    {
        var ledger = await NewLedgerAsync();
        var claim = Assert.IsType<ClaimResult.Claimed>(await ledger.ClaimAsync("t1", Source, Lease, Ct));
        var outputs = new[] { new TaskOutput("thumbs/128x128/a.webp", "128x128", 128, 96, 2048, "webp") };

        Assert.True(await ledger.CompleteAsync("t1", claim.LeaseToken, TaskCompletion.Of(outputs), Ct));

        var record = await ledger.GetAsync("t1", Ct);
        Assert.Equal(TaskState.Completed, record!.Status);
        Assert.Equal(outputs, record.Outputs);
        Assert.Null(record.LeaseToken);
        Assert.Null(record.Error);
    }

    [Fact]
    public async Task Fail_ByOwner_RecordsReason()
    {
        var ledger = await NewLedgerAsync();
        var claim = Assert.IsType<ClaimResult.Claimed>(await ledger.ClaimAsync("t1", Source, Lease, Ct));

        Assert.True(await ledger.FailAsync("t1", claim.LeaseToken, "Corrupt: premature end of JPEG", Ct));

        var record = await ledger.GetAsync("t1", Ct);
        Assert.Equal(TaskState.Failed, record!.Status);
        Assert.Equal("Corrupt: premature end of JPEG", record.Error);
    }

    [Fact]
    public async Task Release_LetsNextDeliveryClaimAtOnce()
    {
        var ledger = await NewLedgerAsync();
        var first = Assert.IsType<ClaimResult.Claimed>(await ledger.ClaimAsync("t1", Source, Lease, Ct));

        await ledger.ReleaseAsync("t1", first.LeaseToken, "throttled", Ct);
        var second = await ledger.ClaimAsync("t1", Source, Lease, Ct);

        Assert.Equal(2, Assert.IsType<ClaimResult.Claimed>(second).Attempts);
        Assert.Equal("throttled", (await ledger.GetAsync("t1", Ct))!.Error);
    }

    [Fact]
    public async Task Release_ByStaleWorker_DoesNotFreeTheNewOwnersLease()
    {
        var ledger = await NewLedgerAsync();
        var stale = Assert.IsType<ClaimResult.Claimed>(await ledger.ClaimAsync("t1", Source, Lease, Ct));
        clock.Advance(TimeSpan.FromMinutes(2));
        await ledger.ClaimAsync("t1", Source, Lease, Ct);

        await ledger.ReleaseAsync("t1", stale.LeaseToken, "late", Ct);

        Assert.IsType<ClaimResult.HeldByAnother>(await ledger.ClaimAsync("t1", Source, Lease, Ct));
    }

    [Fact]
    public async Task Claim_WhenEndpointIgnoresReturnValuesOnConditionCheckFailure_FallsBackToConsistentRead()
    {
        var table = await stack.NewTableAsync();
        using var plain = new ForgetfulEndpointClient(stack.Endpoints.DynamoDb, stack.Endpoints.Region);
        var ledger = new DynamoDbTaskLedger(plain, table, TimeSpan.FromDays(30), clock);
        var first = Assert.IsType<ClaimResult.Claimed>(await ledger.ClaimAsync("t1", Source, Lease, Ct));
        Assert.IsType<ClaimResult.HeldByAnother>(await ledger.ClaimAsync("t1", Source, Lease, Ct));
        Assert.True(await ledger.CompleteAsync("t1", first.LeaseToken, TaskCompletion.Of([]), Ct));

        var again = await ledger.ClaimAsync("t1", Source, Lease, Ct);

        Assert.Equal(TaskState.Completed, Assert.IsType<ClaimResult.Finished>(again).Status);
        // Both refused claims saw no old item in the error, so both outcomes came from the consistent read.
        Assert.Equal(2, plain.ConditionFailuresWithoutItem);
    }

    [Fact]
    public async Task Claim_ManyConcurrentWorkers_ExactlyOneWins()
    {
        var ledger = await NewLedgerAsync();

        var results = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => ledger.ClaimAsync("t1", Source, Lease, Ct)));

        Assert.Single(results.OfType<ClaimResult.Claimed>());
        Assert.Equal(15, results.OfType<ClaimResult.HeldByAnother>().Count());
    }

    /// <summary>
    /// An endpoint that, like dynalite, does not return the old item on a failed condition: the request option is
    /// dropped before sending, so the ledger must read the item itself.
    /// </summary>
    private sealed class ForgetfulEndpointClient(Uri endpoint, string region)
        : AmazonDynamoDBClient(ImagePattern.Tool.Local.LocalEndpoints.Credentials, new AmazonDynamoDBConfig { ServiceURL = endpoint.ToString(), AuthenticationRegion = region })
    {
        public int ConditionFailuresWithoutItem { get; private set; }

        public override async Task<UpdateItemResponse> UpdateItemAsync(UpdateItemRequest request, CancellationToken cancellationToken = default)
        {
            request.ReturnValuesOnConditionCheckFailure = null;
            try
            {
                return await base.UpdateItemAsync(request, cancellationToken);
            }
            catch (ConditionalCheckFailedException ex) when (ex.Item is null or { Count: 0 })
            {
                ConditionFailuresWithoutItem++;
                throw;
            }
        }
    }
}
