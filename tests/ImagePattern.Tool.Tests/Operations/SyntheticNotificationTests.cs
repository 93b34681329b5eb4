using System.Text.Json;
using ImagePattern.Function.Events;
using ImagePattern.Tool.Operations;

namespace ImagePattern.Tool.Tests.Operations;

public sealed class SyntheticNotificationTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 4, 5, 6, 7, 891, TimeSpan.Zero);

    [Theory]
    [InlineData("photos/cat.jpg")]
    [InlineData("a b+c (1)/ü€ 写真.jpeg")]
    [InlineData("100%/x%41~y*z.png")]
    [InlineData("../../etc/passwd.jpg")]
    [InlineData("semi;colon,comma=equals&amp?q#hash.gif")]
    public void Create_ParsedByTheFunction_NamesTheSameObjectAndTask(string key)
    {
        var listed = new ListedObject(key, 1234, "\"0123456789abcdef0123456789abcdef\"", null, Now.AddDays(-30));

        var body = SyntheticNotification.Create("source-bucket", listed, "eu-west-1", Now, 1);
        var parsed = Assert.IsType<MessageContent.Objects>(new NotificationParser("source-bucket").Parse(body));

        var item = Assert.Single(parsed.Items);
        Assert.Empty(parsed.Ignored);
        Assert.Empty(parsed.UnreadableRecords);
        var expected = new SourceObject("source-bucket", key, 1234, "0123456789abcdef0123456789abcdef", null, Now, "ObjectCreated:Put");
        Assert.Equal(expected, item);
        Assert.Equal(TaskIdentity.For(expected, "abcd1234"), TaskIdentity.For(item, "abcd1234"));
    }

    [Theory]
    [InlineData("a b+c.jpg", "a+b%2Bc.jpg")]
    [InlineData("folder/sub folder/(1).jpeg", "folder/sub+folder/%281%29.jpeg")]
    [InlineData("été 100%.jpg", "%C3%A9t%C3%A9+100%25.jpg")]
    public void EncodeKey_AsS3WritesItIntoNotifications(string key, string encoded)
    {
        Assert.Equal(encoded, S3KeyEncoding.Encode(key));
        Assert.Equal(key, S3KeyCodec.Decode(encoded));
    }

    [Fact]
    public void Create_HasTheFieldsOfAnS3NotificationRecord()
    {
        var body = SyntheticNotification.Create("b", new ListedObject("k.jpg", 5, "e", null, Now), "cn-north-1", Now, 255);

        using var json = JsonDocument.Parse(body);
        var record = Assert.Single(json.RootElement.GetProperty("Records").EnumerateArray().ToList());
        Assert.Equal("2.1", record.GetProperty("eventVersion").GetString());
        Assert.Equal("aws:s3", record.GetProperty("eventSource").GetString());
        Assert.Equal("cn-north-1", record.GetProperty("awsRegion").GetString());
        Assert.Equal("ObjectCreated:Put", record.GetProperty("eventName").GetString());
        Assert.Equal(Now, record.GetProperty("eventTime").GetDateTimeOffset());
        var s3 = record.GetProperty("s3");
        Assert.Equal("1.0", s3.GetProperty("s3SchemaVersion").GetString());
        Assert.Equal(SyntheticNotification.ConfigurationId, s3.GetProperty("configurationId").GetString());
        Assert.Equal("arn:aws-cn:s3:::b", s3.GetProperty("bucket").GetProperty("arn").GetString());
        Assert.Equal("00000000000000FF", s3.GetProperty("object").GetProperty("sequencer").GetString());
        Assert.False(s3.GetProperty("object").TryGetProperty("versionId", out _));
    }

    [Theory]
    [InlineData("3HL4kqtJlcpXroDTDmJ", "3HL4kqtJlcpXroDTDmJ")]
    [InlineData("null", null)] // the version S3 gives objects written while versioning was off or suspended
    public void Create_VersionedObject_CarriesTheVersionIdLikeS3(string listedVersion, string? expected)
    {
        var body = SyntheticNotification.Create("b", new ListedObject("k.jpg", 5, "e", listedVersion, Now), "us-east-1", Now, 1);

        var item = Assert.Single(Assert.IsType<MessageContent.Objects>(new NotificationParser("b").Parse(body)).Items);
        Assert.Equal(expected, item.VersionId);
    }
}
