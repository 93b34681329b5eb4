using ImagePattern.Tool.Local;
using ImagePattern.Tool.Operations;

namespace ImagePattern.Tool.Tests.Operations;

/// <summary>Which queues backfill and redrive act on: the local stack's consumers, by name or by a URL copied from it.</summary>
public sealed class OperationsTargetTests
{
    private static readonly LocalSession Session = new(
        "http://127.0.0.1:4566/", "http://127.0.0.1:4566/", "http://127.0.0.1:4567/", "us-east-1", "imagepattern",
        "http://127.0.0.1:4566/000000000000/imagepattern-notifications", "arn:q",
        "http://127.0.0.1:4566/000000000000/imagepattern-notifications-dlq", "arn:d", Environment.ProcessId,
        [
            new SessionConsumer("thumbnails", "http://127.0.0.1:4566/000000000000/imagepattern-notifications", "http://127.0.0.1:4566/000000000000/imagepattern-notifications-dlq", "imagepattern-tasks"),
            new SessionConsumer("metadata", "http://127.0.0.1:4566/000000000000/imagepattern-metadata", "http://127.0.0.1:4566/000000000000/imagepattern-metadata-dlq", "imagepattern-metadata"),
        ]);

    [Fact]
    public void IsOn_QueueOfTheLocalSqsEndpoint_IsLocal()
    {
        Assert.True(OperationsTarget.IsOn(Session, "http://127.0.0.1:4566/000000000000/imagepattern-metadata-dlq"));
    }

    [Fact]
    public void IsOn_AwsQueueOrOtherPort_IsNotLocal()
    {
        Assert.False(OperationsTarget.IsOn(Session, "https://sqs.eu-west-1.amazonaws.com/123456789012/imagepattern-metadata-dlq"));
        Assert.False(OperationsTarget.IsOn(Session, "http://127.0.0.1:9324/000000000000/imagepattern-metadata-dlq"));
        Assert.False(OperationsTarget.IsOn(Session, null));
    }

    [Fact]
    public void Consumer_ByName_IsThatConsumersQueuePair()
    {
        var metadata = OperationsTarget.Consumer(Session, "metadata");

        Assert.Equal("http://127.0.0.1:4566/000000000000/imagepattern-metadata", metadata?.QueueUrl);
        Assert.Equal("http://127.0.0.1:4566/000000000000/imagepattern-metadata-dlq", metadata?.DeadLetterQueueUrl);
    }

    [Fact]
    public void Consumer_ByItsDeadLetterQueue_RedrivesIntoItsOwnQueue()
    {
        var owner = OperationsTarget.Consumer(Session, null, "http://127.0.0.1:4566/000000000000/imagepattern-metadata-dlq");

        Assert.Equal("metadata", owner?.Name);
        Assert.Null(OperationsTarget.Consumer(Session, null, null));
    }

    [Fact]
    public void Consumer_UnknownName_FailsNamingTheRunningOnes()
    {
        var error = Assert.Throws<UserErrorException>(() => OperationsTarget.Consumer(Session, "checksum"));

        Assert.Contains("thumbnails, metadata", error.Message, StringComparison.Ordinal);
    }
}
