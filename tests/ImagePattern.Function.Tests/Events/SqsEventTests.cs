using System.Text.Json;
using ImagePattern.Function.Events;
using ImagePattern.Function.Tests.Support;
using ImagePattern.Tool.Local;

namespace ImagePattern.Function.Tests.Events;

public sealed class SqsEventTests
{
    [Fact]
    public void Deserialize_AwsShapedBatch_ReadsFields()
    {
        var batch = JsonSerializer.Deserialize(Fixture.Read("sqs-batch.json"), EventJsonContext.Default.SqsEvent)!;

        var message = Assert.Single(batch.Records!);
        Assert.Equal("059f36b4-87a3-44ab-83d2-661975830a7d", message.MessageId);
        Assert.Equal(3, message.ReceiveCount);
        Assert.Equal("arn:aws:sqs:eu-west-1:123456789012:photos-events", message.EventSourceArn);
        Assert.Contains("s3:TestEvent", message.Body, StringComparison.Ordinal);
    }

    [Fact]
    public void DocsExample_ForMakeInvoke_NamesOneObjectOfTheLocalSourceBucket()
    {
        var json = File.ReadAllText(Path.Combine(RepositoryRoot.Find(), "docs", "examples", "sqs-event.json"));
        var batch = JsonSerializer.Deserialize(json, EventJsonContext.Default.SqsEvent)!;
        var source = new LocalLayout().SourceBucket;

        var message = Assert.Single(batch.Records!);
        var content = Assert.IsType<MessageContent.Objects>(new NotificationParser(source).Parse(message.Body!));
        var item = Assert.Single(content.Items);
        Assert.Empty(content.Ignored);
        Assert.Equal(source, item.Bucket);
        Assert.Equal("example.jpg", item.Key);
        Assert.Equal("ObjectCreated:Put", item.EventName);
    }

    [Fact]
    public void Serialize_BatchResponse_UsesAwsFieldNames()
    {
        var response = new SqsBatchResponse { BatchItemFailures = [new BatchItemFailure("m-1")] };

        var json = JsonSerializer.Serialize(response, EventJsonContext.Default.SqsBatchResponse);

        Assert.Equal("""{"batchItemFailures":[{"itemIdentifier":"m-1"}]}""", json);
    }
}
