using ImagePattern.Function.Events;
using ImagePattern.Function.Tests.Support;

namespace ImagePattern.Function.Tests.Events;

public sealed class NotificationParserTests
{
    private readonly NotificationParser parser = new("photos-in");

    private SourceObject Single(string body)
    {
        var content = Assert.IsType<MessageContent.Objects>(parser.Parse(body));
        Assert.Empty(content.Ignored);
        Assert.Empty(content.UnreadableRecords);
        return Assert.Single(content.Items);
    }

    [Theory]
    [InlineData("photos/two\nlines.jpg")]
    [InlineData("bell\u0007.jpg")]
    public void ReasonToIgnoreKey_KeyWithAControlCharacter_NamesThePolicy(string key) =>
        Assert.Contains("control characters", NotificationParser.ReasonToIgnoreKey(key), StringComparison.Ordinal);

    [Theory]
    [InlineData("photos/été 2026/IMG 1.JPG")]
    [InlineData("a+b%20c.png")]
    public void ReasonToIgnoreKey_PrintableKey_IsNull(string key) =>
        Assert.Null(NotificationParser.ReasonToIgnoreKey(key));

    [Fact]
    public void Parse_PutEvent_DecodesKeyAndReadsObject()
    {
        var item = Single(Fixture.Read("s3-put.json"));

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
        var item = Single(Fixture.Read("s3-versioned-copy.json"));

        Assert.Equal("写真/a b.png", item.Key);
        Assert.Equal("3HL4kqtJlcpXroDTDmJ+rmSpXd3dIbrHY", item.Revision);
    }

    [Fact]
    public void Parse_SnsWrappedNotification_GivesTheSameObjectAsTheDirectOne()
    {
        var direct = Single(Fixture.Read("s3-put.json"));

        var wrapped = Single(Fixture.Read("sns-s3-put.json"));

        Assert.Equal(direct, wrapped);
        Assert.Equal(TaskIdentity.For(direct, "r1"), TaskIdentity.For(wrapped, "r1"));
    }

    [Fact]
    public void Parse_EventBridgeObjectCreated_KeyIsNotDecodedAndTaskIdMatchesTheDirectNotification()
    {
        var direct = Single(Fixture.Read("s3-put.json"));

        var bridged = Single(Fixture.Read("eventbridge-object-created.json"));

        // The literal '+' survives: EventBridge sends the key as stored, the notification form-URL-encodes it.
        Assert.Equal("holiday/beach day + sunset été.jpg", bridged.Key);
        Assert.Equal(direct.Size, bridged.Size);
        Assert.Equal(direct.ETag, bridged.ETag);
        Assert.Equal("ObjectCreated:Put", bridged.EventName);
        Assert.Equal(new DateTimeOffset(2026, 11, 22, 9, 15, 30, TimeSpan.Zero), bridged.EventTime);
        Assert.Equal(TaskIdentity.For(direct, "r1"), TaskIdentity.For(bridged, "r1"));
    }

    [Fact]
    public void Parse_EventBridgeVersionedCopy_UsesVersionIdLikeTheNotification()
    {
        var direct = Single(Fixture.Read("s3-versioned-copy.json"));

        var bridged = Single(Fixture.Read("eventbridge-versioned-copy.json"));

        Assert.Equal("3HL4kqtJlcpXroDTDmJ+rmSpXd3dIbrHY", bridged.VersionId);
        Assert.Equal("ObjectCreated:Copy", bridged.EventName);
        Assert.Equal(TaskIdentity.For(direct, "r1"), TaskIdentity.For(bridged, "r1"));
    }

    [Fact]
    public void Parse_EventBridgeObjectDeleted_IsIgnoredWithReason()
    {
        var content = Assert.IsType<MessageContent.Objects>(parser.Parse(Fixture.Read("eventbridge-object-deleted.json")));

        Assert.Empty(content.Items);
        Assert.Empty(content.UnreadableRecords);
        Assert.Contains("Object Deleted", Assert.Single(content.Ignored), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("cases/sns-wrapped.json", "evt/sns-wrapped.Jpg")]
    [InlineData("cases/eventbridge-object-created.json", "evt/eventbridge.Jpg")]
    public void Parse_CaseEvents_AreReadLikeTheDirectNotification(string file, string key)
    {
        var body = Assert.Single(SqsEvents.FromFile(file).Records!).Body;

        var item = Single(body!.Replace("imagepattern-source-000000000000-us-east-1", "photos-in", StringComparison.Ordinal));

        Assert.Equal(key, item.Key);
        Assert.Equal("c4979c6b525579552da8c4b015d5b5cf", item.Revision);
    }

    [Fact]
    public void Parse_SnsWrappedTestEvent_IsRecognised()
    {
        var body = System.Text.Json.JsonSerializer.Serialize(new SnsEnvelope { Type = "Notification", TopicArn = "arn:aws:sns:eu-west-1:111122223333:t", Message = Fixture.Read("s3-test-event.json") }, EventJsonContext.Default.SnsEnvelope);

        Assert.IsType<MessageContent.TestEvent>(parser.Parse(body));
    }

    [Fact]
    public void Parse_TestEvent_IsRecognised() =>
        Assert.IsType<MessageContent.TestEvent>(parser.Parse(Fixture.Read("s3-test-event.json")));

    [Fact]
    public void Parse_RemovedEvent_IsIgnoredWithReason()
    {
        var content = Assert.IsType<MessageContent.Objects>(parser.Parse(Fixture.Read("s3-delete.json")));

        Assert.Empty(content.Items);
        Assert.Contains("not ObjectCreated", Assert.Single(content.Ignored), StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_OtherBucket_IsIgnored()
    {
        var content = Assert.IsType<MessageContent.Objects>(new NotificationParser("another-bucket").Parse(Fixture.Read("s3-put.json")));

        Assert.Empty(content.Items);
        Assert.Contains("not the configured source bucket", Assert.Single(content.Ignored), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not json")]
    [InlineData("{\"Records\": [ this is not json")]
    [InlineData("{\"Records\": 5}")]
    [InlineData("{\"Records\": []}")]
    [InlineData("[1,2,3]")]
    [InlineData("null")]
    [InlineData("{\"hello\":\"world\"}")]
    [InlineData("{\"Service\":\"Amazon S3\",\"Event\":\"s3:SomethingElse\"}")]
    [InlineData("{\"Type\":\"SubscriptionConfirmation\",\"TopicArn\":\"arn:aws:sns:eu-west-1:111122223333:t\",\"Message\":\"You have chosen to subscribe\"}")]
    [InlineData("{\"Type\":\"Notification\",\"TopicArn\":\"arn:aws:sns:eu-west-1:111122223333:t\",\"Message\":\"Hello world!\"}")]
    [InlineData("{\"detail-type\":\"Object Created\",\"source\":\"aws.ec2\",\"detail\":{}}")]
    [InlineData("{\"detail-type\":\"Object Created\",\"source\":\"aws.s3\",\"detail\":{\"bucket\":{\"name\":\"photos-in\"}}}")]
    public void Parse_NotJsonOrNoKnownShape_IsUnreadable(string body)
    {
        var content = parser.Parse(body);

        if (content is MessageContent.Objects objects)
        {
            // A record-level problem: the message as a whole must still not be acknowledged.
            Assert.Empty(objects.Items);
            Assert.NotEmpty(objects.UnreadableRecords);
        }
        else
        {
            Assert.False(string.IsNullOrWhiteSpace(Assert.IsType<MessageContent.Unreadable>(content).Reason));
        }
    }

    [Theory]
    [InlineData("""{"Records":[{"eventName":"ObjectCreated:Put","s3":{"bucket":{"name":"photos-in"},"object":{"key":"a.jpg","eTag":"e"}}}]}""", "size")]
    [InlineData("""{"Records":[{"eventName":"ObjectCreated:Put","s3":{"bucket":{"name":"photos-in"},"object":{"size":1,"eTag":"e"}}}]}""", "key")]
    [InlineData("""{"Records":[{"s3":{"bucket":{"name":"photos-in"},"object":{"key":"a.jpg","size":1,"eTag":"e"}}}]}""", "eventName")]
    [InlineData("""{"Records":[null]}""", "eventName")]
    public void Parse_IncompleteRecord_IsUnreadableNotThrown(string body, string reasonMentions)
    {
        var content = Assert.IsType<MessageContent.Objects>(parser.Parse(body));

        Assert.Empty(content.Items);
        Assert.Contains(reasonMentions, Assert.Single(content.UnreadableRecords), StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_KeyWithControlCharacters_IsIgnoredByPolicy()
    {
        var content = Assert.IsType<MessageContent.Objects>(parser.Parse(
            """{"Records":[{"eventName":"ObjectCreated:Put","s3":{"bucket":{"name":"photos-in"},"object":{"key":"a%00b.jpg","size":1,"eTag":"e"}}}]}"""));

        Assert.Empty(content.Items);
        Assert.Contains("control", Assert.Single(content.Ignored), StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_TwoRecords_KeepsGoodOneAndIgnoresOther()
    {
        const string body = """
            {"Records":[
              {"eventName":"ObjectCreated:Put","s3":{"bucket":{"name":"photos-in"},"object":{"key":"a.jpg","size":1,"eTag":"\"e1\""}}},
              {"eventName":"ObjectRemoved:Delete","s3":{"bucket":{"name":"photos-in"},"object":{"key":"b.jpg"}}}
            ]}
            """;

        var content = Assert.IsType<MessageContent.Objects>(parser.Parse(body));

        Assert.Equal("e1", Assert.Single(content.Items).ETag);
        Assert.Single(content.Ignored);
    }
}
