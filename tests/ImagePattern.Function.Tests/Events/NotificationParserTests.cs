using ImagePattern.Function.Events;
using ImagePattern.Function.Tests.Support;

namespace ImagePattern.Function.Tests.Events;

public sealed class NotificationParserTests
{
    private readonly NotificationParser parser = new("photos-in");

    [Fact]
    public void Parse_PutEvent_DecodesKeyAndReadsObject()
    {
        var content = Assert.IsType<MessageContent.Objects>(parser.Parse(Fixture.Read("s3-put.json")));

        var item = Assert.Single(content.Items);
        Assert.Empty(content.Skipped);
        Assert.Equal("photos-in", item.Bucket);
        Assert.Equal("holiday/beach day + sunset été.jpg", item.Key);
        Assert.Equal(1024, item.Size);
        Assert.Equal("d41d8cd98f00b204e9800998ecf8427e", item.ETag);
        Assert.Null(item.VersionId);
        Assert.Equal("d41d8cd98f00b204e9800998ecf8427e", item.Revision);
        Assert.Equal(new DateTimeOffset(2026, 11, 22, 9, 15, 30, 123, TimeSpan.Zero), item.EventTime);
        Assert.Equal("ObjectCreated:Put", item.EventName);
    }

    [Fact]
    public void Parse_VersionedCopy_UsesVersionIdAsRevision()
    {
        var content = Assert.IsType<MessageContent.Objects>(parser.Parse(Fixture.Read("s3-versioned-copy.json")));

        var item = Assert.Single(content.Items);
        Assert.Equal("写真/a b.png", item.Key);
        Assert.Equal("3HL4kqtJlcpXroDTDmJ+rmSpXd3dIbrHY", item.Revision);
    }

    [Fact]
    public void Parse_TestEvent_IsRecognised() =>
        Assert.IsType<MessageContent.TestEvent>(parser.Parse(Fixture.Read("s3-test-event.json")));

    [Fact]
    public void Parse_RemovedEvent_IsSkippedWithReason()
    {
        var content = Assert.IsType<MessageContent.Objects>(parser.Parse(Fixture.Read("s3-delete.json")));

        Assert.Empty(content.Items);
        Assert.Contains("not ObjectCreated", Assert.Single(content.Skipped), StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_OtherBucket_IsSkipped()
    {
        var content = Assert.IsType<MessageContent.Objects>(new NotificationParser("another-bucket").Parse(Fixture.Read("s3-put.json")));

        Assert.Empty(content.Items);
        Assert.Contains("not the configured source bucket", Assert.Single(content.Skipped), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not json")]
    [InlineData("{\"Records\": 5}")]
    [InlineData("[1,2,3]")]
    [InlineData("null")]
    [InlineData("{\"hello\":\"world\"}")]
    [InlineData("{\"Service\":\"Amazon S3\",\"Event\":\"s3:SomethingElse\"}")]
    public void Parse_NotANotification_IsMalformed(string body) =>
        Assert.IsType<MessageContent.Malformed>(parser.Parse(body));

    [Theory]
    [InlineData("""{"Records":[{"eventName":"ObjectCreated:Put","s3":{"bucket":{"name":"photos-in"},"object":{"key":"a.jpg","eTag":"e"}}}]}""", "size")]
    [InlineData("""{"Records":[{"eventName":"ObjectCreated:Put","s3":{"bucket":{"name":"photos-in"},"object":{"size":1,"eTag":"e"}}}]}""", "key")]
    [InlineData("""{"Records":[{"eventName":"ObjectCreated:Put","s3":{"bucket":{"name":"photos-in"},"object":{"key":"a%00b.jpg","size":1,"eTag":"e"}}}]}""", "control")]
    [InlineData("""{"Records":[{"s3":{"bucket":{"name":"photos-in"},"object":{"key":"a.jpg","size":1,"eTag":"e"}}}]}""", "eventName")]
    public void Parse_IncompleteRecord_IsSkippedNotThrown(string body, string reasonMentions)
    {
        var content = Assert.IsType<MessageContent.Objects>(parser.Parse(body));

        Assert.Empty(content.Items);
        Assert.Contains(reasonMentions, Assert.Single(content.Skipped), StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_TwoRecords_KeepsGoodOneAndSkipsOther()
    {
        const string body = """
            {"Records":[
              {"eventName":"ObjectCreated:Put","s3":{"bucket":{"name":"photos-in"},"object":{"key":"a.jpg","size":1,"eTag":"\"e1\""}}},
              {"eventName":"ObjectRemoved:Delete","s3":{"bucket":{"name":"photos-in"},"object":{"key":"b.jpg"}}}
            ]}
            """;

        var content = Assert.IsType<MessageContent.Objects>(parser.Parse(body));

        Assert.Equal("e1", Assert.Single(content.Items).ETag);
        Assert.Single(content.Skipped);
    }
}
