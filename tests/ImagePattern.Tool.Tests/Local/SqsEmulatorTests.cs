using Amazon.SQS.Model;
using ImagePattern.Testing;
using ImagePattern.Tool.Operations;
using ImagePattern.Tool.Tests.Support;

namespace ImagePattern.Tool.Tests.Local;

/// <summary>
/// The local SQS emulator answers what AWSSDK.SQS sends (the JSON protocol, <c>X-Amz-Target</c> headers) with what
/// the tooling reads back: bodies, system attributes, depths, batch results and error codes.
/// </summary>
public sealed class SqsEmulatorTests(LocalStackFixture stack)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private Task<string> NewQueueAsync(int visibility = 30) =>
        stack.Sqs.NewQueueAsync("q-" + Guid.NewGuid().ToString("N")[..10], new Dictionary<string, string> { ["VisibilityTimeout"] = visibility.ToString(System.Globalization.CultureInfo.InvariantCulture) }, Ct);

    [Fact]
    public async Task SendReceiveDelete_RoundTripsBodiesAndAttributes()
    {
        var queue = await NewQueueAsync();

        var sent = await stack.Sqs.SendAsync(queue, ["{\"n\":1}", "two é"], Ct);
        var received = await stack.Sqs.ReceiveAsync(queue, 10, 1, null, Ct);
        var deleted = await stack.Sqs.DeleteAsync(queue, received, Ct);

        Assert.Equal(["0", "1"], sent.Successful.Order(StringComparer.Ordinal));
        Assert.Equal(["two é", "{\"n\":1}"], received.Select(m => m.Body).Order(StringComparer.Ordinal));
        Assert.All(received, m => Assert.Equal("1", m.Attributes["ApproximateReceiveCount"]));
        Assert.All(received, m => Assert.False(string.IsNullOrEmpty(m.MD5OfBody)));
        Assert.Equal(2, deleted.Successful.Count);
        Assert.Empty(await stack.Sqs.ReceiveAsync(queue, 10, 0, null, Ct));
    }

    [Fact]
    public async Task GetQueueAttributes_ReportsDepthAndArn()
    {
        var queue = await NewQueueAsync();
        await stack.Sqs.SendAsync(queue, ["x", "y", "z"], Ct);

        var attributes = await stack.Sqs.AttributesAsync(queue, ["All"], Ct);

        Assert.Equal("3", attributes["ApproximateNumberOfMessages"]);
        Assert.StartsWith("arn:aws:sqs:", attributes["QueueArn"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Receive_VisibilityTimeoutHidesThenReturnsMessage()
    {
        var queue = await NewQueueAsync(visibility: 1);
        await stack.Sqs.SendAsync(queue, ["x"], Ct);

        var first = await stack.Sqs.ReceiveAsync(queue, 1, 0, null, Ct);
        var hidden = await stack.Sqs.ReceiveAsync(queue, 1, 0, null, Ct);
        var again = await stack.Sqs.ReceiveAsync(queue, 1, 5, null, Ct);

        Assert.Single(first);
        Assert.Empty(hidden);
        Assert.Equal("2", Assert.Single(again).Attributes["ApproximateReceiveCount"]);
    }

    [Fact]
    public async Task UnknownQueue_ThrowsWithServiceErrorCode()
    {
        var error = await Assert.ThrowsAsync<QueueDoesNotExistException>(() => stack.Sqs.GetQueueUrlAsync("does-not-exist-" + Guid.NewGuid().ToString("N")[..8], Ct));

        Assert.False(SqsRetry.IsTransient(error, Ct));
    }
}
