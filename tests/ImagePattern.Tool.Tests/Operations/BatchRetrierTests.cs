using System.Net;
using ImagePattern.Tool.Operations;
using ImagePattern.Tool.Sqs;

namespace ImagePattern.Tool.Tests.Operations;

public sealed class BatchRetrierTests
{
    private readonly List<TimeSpan> waits = [];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private Backoff Backoff(int attempts = 5) => new(TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(2), attempts, (wait, _) =>
    {
        waits.Add(wait);
        return Task.CompletedTask;
    }, new Random(7));

    private static List<SqsSendEntry> Entries(int count) =>
        Enumerable.Range(0, count).Select(i => new SqsSendEntry(i.ToString(System.Globalization.CultureInfo.InvariantCulture), "body " + i)).ToList();

    private Task<BatchOutcome<SqsSendEntry>> RunAsync(FakeQueue queue, List<SqsSendEntry> entries, int attempts = 5) =>
        new BatchRetrier(Backoff(attempts)).RunAsync(entries, e => e.Id, (pending, ct) => queue.SendBatchAsync("q", pending, ct), Ct);

    [Fact]
    public async Task Run_WholeCallThrottledTwice_RetriesWithBackoffThenSendsEverything()
    {
        var queue = new FakeQueue { OnSend = (_, call) => call <= 2 ? throw FakeQueue.Throttled() : null };

        var outcome = await RunAsync(queue, Entries(10));

        Assert.Equal(10, outcome.Succeeded.Count);
        Assert.Empty(outcome.Failed);
        Assert.Equal(2, outcome.Retries);
        Assert.Equal(3, queue.SendCalls.Count);
        Assert.Equal(2, waits.Count);
    }

    [Fact]
    public async Task Run_PartialServerFailure_ResendsOnlyTheFailedEntries()
    {
        var queue = new FakeQueue
        {
            OnSend = (entries, call) => call == 1
                ? new SqsBatchResult(
                    entries.Where(e => e.Id is not "3" and not "7").Select(e => e.Id).ToList(),
                    [new SqsBatchError("3", "InternalError", "try again", false), new SqsBatchError("7", "ServiceUnavailable", null, false)])
                : null,
        };

        var outcome = await RunAsync(queue, Entries(10));

        Assert.Equal(10, outcome.Succeeded.Count);
        Assert.Equal(["3", "7"], queue.SendCalls[1].Select(e => e.Id));
        Assert.Equal(1, outcome.Retries);
    }

    [Fact]
    public async Task Run_SenderFaultEntry_FailsAtOnceWithoutResending()
    {
        var queue = new FakeQueue
        {
            OnSend = (entries, _) => new SqsBatchResult(
                entries.Where(e => e.Id != "4").Select(e => e.Id).ToList(),
                [new SqsBatchError("4", "InvalidMessageContents", "bad character", true)]),
        };

        var outcome = await RunAsync(queue, Entries(6));

        var failure = Assert.Single(outcome.Failed);
        Assert.Equal("4", failure.Entry.Id);
        Assert.Equal("InvalidMessageContents", failure.Code);
        Assert.Single(queue.SendCalls);
        Assert.Equal(5, outcome.Succeeded.Count);
    }

    [Fact]
    public async Task Run_ThrottledEveryTime_GivesUpAfterMaxAttemptsAndReportsEveryEntry()
    {
        var queue = new FakeQueue { OnSend = (_, _) => throw FakeQueue.Throttled() };

        var outcome = await RunAsync(queue, Entries(3), attempts: 4);

        Assert.Equal(4, queue.SendCalls.Count);
        Assert.Equal(3, outcome.Failed.Count);
        Assert.All(outcome.Failed, f => Assert.Equal("ThrottlingException", f.Code));
        Assert.Empty(outcome.Succeeded);
    }

    [Fact]
    public async Task Run_NonTransientError_IsThrownNotRetried()
    {
        var queue = new FakeQueue { OnSend = (_, _) => throw new SqsException("AccessDenied", "not allowed", HttpStatusCode.Forbidden) };

        var error = await Assert.ThrowsAsync<SqsException>(() => RunAsync(queue, Entries(2)));

        Assert.Equal("AccessDenied", error.Code);
        Assert.Single(queue.SendCalls);
    }

    [Fact]
    public async Task Run_EntryNamedNeitherSuccessfulNorFailed_IsSentAgain()
    {
        var queue = new FakeQueue { OnSend = (entries, call) => call == 1 ? new SqsBatchResult(entries.Skip(1).Select(e => e.Id).ToList(), []) : null };

        var outcome = await RunAsync(queue, Entries(3));

        Assert.Equal(3, outcome.Succeeded.Count);
        Assert.Equal(["0"], queue.SendCalls[1].Select(e => e.Id));
    }

    [Fact]
    public void Backoff_CeilingDoublesFromTheBaseAndStopsAtTheCap()
    {
        var backoff = Backoff();

        Assert.Equal(
            [100, 200, 400, 800, 1600, 2000, 2000],
            Enumerable.Range(1, 7).Select(n => backoff.CeilingAfter(n).TotalMilliseconds));
    }

    [Fact]
    public async Task Backoff_Waits_AreJitteredWithinTheCeiling()
    {
        var backoff = Backoff();
        for (var attempt = 1; attempt <= 6; attempt++)
        {
            await backoff.WaitAsync(attempt, Ct);
        }

        Assert.All(waits.Select((w, i) => (Wait: w, Ceiling: backoff.CeilingAfter(i + 1))), p => Assert.InRange(p.Wait, TimeSpan.Zero, p.Ceiling));
        // Full jitter: not simply the ceiling every time.
        Assert.NotEqual(waits, Enumerable.Range(1, 6).Select(backoff.CeilingAfter));
    }
}
