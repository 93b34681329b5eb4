using ImagePattern.Tool.Sqs;
using ImagePattern.Tool.Tests.Support;

namespace ImagePattern.Tool.Tests.Sqs;

/// <summary>The JSON-protocol client against a real SQS emulator.</summary>
public sealed class SqsClientTests(LocalStackFixture stack)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private Task<string> NewQueueAsync(int visibility = 30) =>
        stack.Sqs.CreateQueueAsync("q-" + Guid.NewGuid().ToString("N")[..10], new Dictionary<string, string> { ["VisibilityTimeout"] = visibility.ToString(System.Globalization.CultureInfo.InvariantCulture) }, Ct);

    [Fact]
    public async Task SendReceiveDelete_RoundTripsBodiesAndAttributes()
    {
        var queue = await NewQueueAsync();

        var sent = await stack.Sqs.SendMessageBatchAsync(queue, [new("a", "{\"n\":1}"), new("b", "two é")], Ct);
        var received = await stack.Sqs.ReceiveMessagesAsync(queue, 10, 1, cancellationToken: Ct);
        var deleted = await stack.Sqs.DeleteMessageBatchAsync(queue, received.Select((m, i) => new SqsDeleteEntry($"d{i}", m.ReceiptHandle)).ToList(), Ct);

        Assert.Equal(["a", "b"], sent.Successful.Order());
        Assert.Equal(["two é", "{\"n\":1}"], received.Select(m => m.Body).Order(StringComparer.Ordinal));
        Assert.All(received, m => Assert.Equal("1", m.Attributes!["ApproximateReceiveCount"]));
        Assert.Equal(2, deleted.Successful.Count);
        Assert.Empty(await stack.Sqs.ReceiveMessagesAsync(queue, 10, 0, cancellationToken: Ct));
    }

    [Fact]
    public async Task GetQueueAttributes_ReportsDepthAndArn()
    {
        var queue = await NewQueueAsync();
        await stack.Sqs.SendMessageBatchAsync(queue, [new("a", "x"), new("b", "y"), new("c", "z")], Ct);

        var attributes = await stack.Sqs.GetQueueAttributesAsync(queue, ["All"], Ct);

        Assert.Equal("3", attributes["ApproximateNumberOfMessages"]);
        Assert.StartsWith("arn:aws:sqs:", attributes["QueueArn"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Receive_VisibilityTimeoutHidesThenReturnsMessage()
    {
        var queue = await NewQueueAsync(visibility: 1);
        await stack.Sqs.SendMessageBatchAsync(queue, [new("a", "x")], Ct);

        var first = await stack.Sqs.ReceiveMessagesAsync(queue, 1, 0, cancellationToken: Ct);
        var hidden = await stack.Sqs.ReceiveMessagesAsync(queue, 1, 0, cancellationToken: Ct);
        var again = await stack.Sqs.ReceiveMessagesAsync(queue, 1, 5, cancellationToken: Ct);

        Assert.Single(first);
        Assert.Empty(hidden);
        Assert.Equal("2", Assert.Single(again).Attributes!["ApproximateReceiveCount"]);
    }

    [Fact]
    public async Task UnknownQueue_ThrowsWithServiceErrorCode()
    {
        var error = await Assert.ThrowsAsync<SqsException>(() => stack.Sqs.GetQueueUrlAsync("does-not-exist-" + Guid.NewGuid().ToString("N")[..8], Ct));

        Assert.Equal("QueueDoesNotExist", error.Code);
        Assert.False(error.IsRetryable);
    }
}
