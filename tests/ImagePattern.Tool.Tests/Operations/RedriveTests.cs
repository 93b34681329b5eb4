using ImagePattern.Testing;
using ImagePattern.Tool.Operations;
using ImagePattern.Tool.Tests.Support;

namespace ImagePattern.Tool.Tests.Operations;

/// <summary>Redrive against the emulator's SQS (which has no StartMessageMoveTask) and against fakes where it has.</summary>
public sealed class RedriveTests(LocalStackFixture stack)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly SqsRetry Retry = SqsRetry.Default with { MaxAttempts = 3 };

    private readonly InstantTimeProvider time = new();

    private async Task<(string Source, string Dlq)> QueuesWithDeadLettersAsync(params string[] bodies)
    {
        var name = "r-" + Guid.NewGuid().ToString("N")[..10];
        var dlq = await stack.Sqs.NewQueueAsync(name + "-dlq", null, Ct);
        var dlqArn = await stack.Sqs.ArnAsync(dlq, Ct);
        var source = await stack.Sqs.NewQueueAsync(name, new Dictionary<string, string>
        {
            ["RedrivePolicy"] = $$"""{"deadLetterTargetArn":"{{dlqArn}}","maxReceiveCount":5}""",
        }, Ct);
        foreach (var chunk in bodies.Chunk(10))
        {
            var sent = await stack.Sqs.SendAsync(dlq, chunk, Ct);
            Assert.Empty(sent.Failed);
        }

        return (source, dlq);
    }

    private async Task<List<string>> BodiesInAsync(string queueUrl)
    {
        var bodies = new List<string>();
        for (var empty = 0; empty < 2;)
        {
            var received = await stack.Sqs.ReceiveAsync(queueUrl, 10, 0, 300, Ct);
            empty = received.Count == 0 ? empty + 1 : 0;
            bodies.AddRange(received.Select(m => m.Body));
        }

        return bodies;
    }

    private static string[] Bodies(int count) => Enumerable.Range(0, count).Select(i => $$"""{"n":{{i}}}""").ToArray();

    [Fact]
    public async Task Redrive_WithoutMoveTask_MovesEveryMessageOnceAndEmptiesTheDlq()
    {
        var (source, dlq) = await QueuesWithDeadLettersAsync(Bodies(25));

        var result = await new Redrive(new SqsQueueOperations(stack.Sqs), Retry, time).RunAsync(new RedriveRequest(dlq, source), _ => true, Ct);

        Assert.Equal(("receive-send-delete", 25L, 25L, 0L, 0L), (result.Method, result.Found, result.Moved, result.NotSent, result.SentNotDeleted));
        Assert.Equal(Bodies(25).Order(StringComparer.Ordinal), (await BodiesInAsync(source)).Order(StringComparer.Ordinal));
        Assert.Empty(await BodiesInAsync(dlq));
    }

    [Fact]
    public async Task Redrive_SendRejected_KeepsThatMessageInTheDlqAndMovesTheRest()
    {
        var (source, dlq) = await QueuesWithDeadLettersAsync(Bodies(5));
        var queue = new FakeQueue(new SqsQueueOperations(stack.Sqs))
        {
            OnSend = (entries, _) => entries.FirstOrDefault(e => e.MessageBody == """{"n":3}""") is { } poisoned
                ? new BatchAnswer([], [new() { Id = poisoned.Id, Code = "InvalidMessageContents", SenderFault = true }])
                : null,
        };

        var result = await new Redrive(queue, Retry, time).RunAsync(new RedriveRequest(dlq, source), _ => true, Ct);

        Assert.Equal((4L, 1L), (result.Moved, result.NotSent));
        Assert.DoesNotContain("""{"n":3}""", await BodiesInAsync(source));
        // Still in the DLQ, invisible until the redrive's receive times out, never deleted.
        var left = await stack.Sqs.AttributesAsync(dlq, ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"], Ct);
        Assert.Equal("1", left["ApproximateNumberOfMessagesNotVisible"]);
        Assert.Equal("0", left["ApproximateNumberOfMessages"]);
    }

    [Fact]
    public async Task Redrive_DeleteFailsAfterSend_ReportsItAndLeavesTheMessageInBothQueuesRatherThanNeither()
    {
        var (source, dlq) = await QueuesWithDeadLettersAsync(Bodies(3));
        var queue = new FakeQueue(new SqsQueueOperations(stack.Sqs))
        {
            OnDelete = (entries, _) => new BatchAnswer([], [new() { Id = entries[0].Id, Code = "InternalError", SenderFault = false }]),
        };

        var result = await new Redrive(queue, Retry, time).RunAsync(new RedriveRequest(dlq, source), _ => true, Ct);

        Assert.Equal((2L, 1L), (result.Moved, result.SentNotDeleted));
        Assert.Equal(3, (await BodiesInAsync(source)).Count);
        var left = await stack.Sqs.AttributesAsync(dlq, ["ApproximateNumberOfMessagesNotVisible"], Ct);
        Assert.Equal("1", left["ApproximateNumberOfMessagesNotVisible"]);
    }

    [Fact]
    public async Task Redrive_NotConfirmed_MovesNothing()
    {
        var (source, dlq) = await QueuesWithDeadLettersAsync(Bodies(4));
        DeadLetterCount? asked = null;

        var result = await new Redrive(new SqsQueueOperations(stack.Sqs), Retry, time).RunAsync(new RedriveRequest(dlq, source), c =>
        {
            asked = c;
            return false;
        }, Ct);

        Assert.Equal(4, asked!.Visible);
        Assert.Equal(("none", 0L), (result.Method, result.Moved));
        Assert.Equal(4, (await BodiesInAsync(dlq)).Count);
        Assert.Empty(await BodiesInAsync(source));
    }

    [Fact]
    public async Task Redrive_WhereTheEndpointHasMoveTask_LetsSqsMoveTheMessages()
    {
        string? started = null;
        var queue = new FakeQueue { OnMoveTask = (sourceArn, destinationArn) => (started = $"{sourceArn} -> {destinationArn ?? "origin"}") is not null ? "handle-1" : null };

        var result = await new Redrive(queue, Retry, time).RunAsync(new RedriveRequest("https://sqs/1/app-dlq", null), _ => true, Ct);

        Assert.Equal(("move-task", "handle-1"), (result.Method, result.MoveTaskHandle));
        Assert.Equal("arn:aws:sqs:us-east-1:000000000000:app-dlq -> origin", started);
        Assert.Equal(0, queue.ReceiveCalls);
    }

    [Fact]
    public async Task Redrive_WithoutMoveTaskOrDestination_ExplainsWhatIsMissing()
    {
        var (_, dlq) = await QueuesWithDeadLettersAsync(Bodies(1));

        var error = await Assert.ThrowsAsync<UserErrorException>(
            () => new Redrive(new SqsQueueOperations(stack.Sqs), Retry, time).RunAsync(new RedriveRequest(dlq, null), _ => true, Ct));

        Assert.Contains("--queue-url", error.Message, StringComparison.Ordinal);
    }
}
