using System.Net;
using Amazon.SQS;
using Amazon.SQS.Model;
using ImagePattern.Tool.Operations;
using ImagePattern.Tool.Tests.Support;

namespace ImagePattern.Tool.Tests.Operations;

public sealed class BatchRetrierTests
{
    private static readonly SqsRetry Retry = new(5, TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(2));

    private readonly InstantTimeProvider time = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static List<SendMessageBatchRequestEntry> Entries(int count) =>
        Enumerable.Range(0, count).Select(i => new SendMessageBatchRequestEntry(i.ToString(System.Globalization.CultureInfo.InvariantCulture), "body " + i)).ToList();

    private static BatchResultErrorEntry Refusal(string id, string code, bool senderFault) => new() { Id = id, Code = code, SenderFault = senderFault };

    private Task<BatchOutcome<SendMessageBatchRequestEntry>> RunAsync(FakeQueue queue, List<SendMessageBatchRequestEntry> entries, SqsRetry? retry = null) =>
        new BatchRetrier(retry ?? Retry, time).RunAsync(entries, e => e.Id, (pending, ct) => queue.SendBatchAsync("q", pending, ct), Ct);

    [Fact]
    public async Task Run_WholeCallThrottledTwice_RetriesWithBackoffThenSendsEverything()
    {
        var queue = new FakeQueue { OnSend = (_, call) => call <= 2 ? throw FakeQueue.Throttled() : null };

        var outcome = await RunAsync(queue, Entries(10));

        Assert.Equal(10, outcome.Succeeded.Count);
        Assert.Empty(outcome.Failed);
        Assert.Equal(2, outcome.Retries);
        Assert.Equal(3, queue.SendCalls.Count);
        Assert.Equal(2, time.Waits.Count);
    }

    [Fact]
    public async Task Run_PartialServerFailure_ResendsOnlyTheFailedEntries()
    {
        var queue = new FakeQueue
        {
            OnSend = (entries, call) => call == 1
                ? new BatchAnswer(
                    entries.Where(e => e.Id is not "3" and not "7").Select(e => e.Id).ToList(),
                    [Refusal("3", "InternalError", false), Refusal("7", "ServiceUnavailable", false)])
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
            OnSend = (entries, _) => new BatchAnswer(
                entries.Where(e => e.Id != "4").Select(e => e.Id).ToList(),
                [Refusal("4", "InvalidMessageContents", true)]),
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

        var outcome = await RunAsync(queue, Entries(3), Retry with { MaxAttempts = 4 });

        Assert.Equal(4, queue.SendCalls.Count);
        Assert.Equal(3, outcome.Failed.Count);
        Assert.All(outcome.Failed, f => Assert.Equal("ThrottlingException", f.Code));
        Assert.Empty(outcome.Succeeded);
    }

    [Fact]
    public async Task Run_EntryRefusedRetryablyEveryTime_GivesUpWithItsLastCode()
    {
        var queue = new FakeQueue { OnSend = (entries, _) => new BatchAnswer([], [Refusal(entries[0].Id, "InternalError", false)]) };

        var outcome = await RunAsync(queue, Entries(1), Retry with { MaxAttempts = 3 });

        Assert.Equal(3, queue.SendCalls.Count);
        Assert.Equal("InternalError", Assert.Single(outcome.Failed).Code);
    }

    [Fact]
    public async Task Run_NonTransientError_IsThrownNotRetried()
    {
        var queue = new FakeQueue { OnSend = (_, _) => throw new AmazonSQSException("not allowed") { ErrorCode = "AccessDenied", StatusCode = HttpStatusCode.Forbidden } };

        var error = await Assert.ThrowsAsync<AmazonSQSException>(() => RunAsync(queue, Entries(2)));

        Assert.Equal("AccessDenied", error.ErrorCode);
        Assert.Single(queue.SendCalls);
    }

    [Fact]
    public async Task Run_EntryNamedNeitherSuccessfulNorFailed_IsSentAgain()
    {
        var queue = new FakeQueue { OnSend = (entries, call) => call == 1 ? new BatchAnswer(entries.Skip(1).Select(e => e.Id).ToList(), []) : null };

        var outcome = await RunAsync(queue, Entries(3));

        Assert.Equal(3, outcome.Succeeded.Count);
        Assert.Equal(["0"], queue.SendCalls[1].Select(e => e.Id));
    }

    [Fact]
    public async Task Run_Waits_AreJitteredAndNeverPassTheCap()
    {
        var queue = new FakeQueue { OnSend = (_, _) => throw FakeQueue.Throttled() };

        await RunAsync(queue, Entries(1), Retry with { MaxAttempts = 8 });

        Assert.Equal(7, time.Waits.Count);
        Assert.All(time.Waits, w => Assert.InRange(w, TimeSpan.FromTicks(1), Retry.MaxDelay));
        // Jitter: many senders throttled together must not all wait the same.
        Assert.True(time.Waits.Distinct().Count() > 1, string.Join(", ", time.Waits));
    }
}
