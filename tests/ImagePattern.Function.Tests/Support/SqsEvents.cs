using ImagePattern.Function.Events;

namespace ImagePattern.Function.Tests.Support;

/// <summary>Builds SQS events holding S3 notifications in the exact AWS shapes.</summary>
internal static class SqsEvents
{
    public static string Notification(string bucket, string key, long size, string etag, string eventName = "ObjectCreated:Put") =>
        System.Text.Json.JsonSerializer.Serialize(
            new S3EventNotification
            {
                Records =
                [
                    new S3EventRecord
                    {
                        EventVersion = "2.1",
                        EventSource = "aws:s3",
                        AwsRegion = "us-east-1",
                        EventTime = TimeProvider.System.GetUtcNow(),
                        EventName = eventName,
                        S3 = new S3Entity
                        {
                            SchemaVersion = "1.0",
                            ConfigurationId = "thumbnails",
                            Bucket = new S3BucketEntity { Name = bucket, Arn = $"arn:aws:s3:::{bucket}" },
                            ObjectInfo = new S3ObjectEntity { Key = EncodeKey(key), Size = size, ETag = etag, Sequencer = "0055AED6DCD90281E5" },
                        },
                    },
                ],
            },
            EventJsonContext.Default.S3EventNotification);

    /// <summary>The notification S3 sends for <paramref name="uploaded"/> (its event name, key, size and ETag).</summary>
    public static string Notification(SourceObject uploaded) =>
        Notification(uploaded.Bucket, uploaded.Key, uploaded.Size, uploaded.ETag, uploaded.EventName);

    // Form-URL encoding as S3 writes keys into notifications (a space is '+'); '/' escaped too, which decoding undoes.
    public static string EncodeKey(string key) => Uri.EscapeDataString(key).Replace("%20", "+", StringComparison.Ordinal);

    public static SqsMessage Message(string id, string body) => new()
    {
        MessageId = id,
        ReceiptHandle = "rh-" + id,
        Body = body,
        Attributes = new Dictionary<string, string> { ["ApproximateReceiveCount"] = "1" },
        EventSource = "aws:sqs",
        EventSourceArn = "arn:aws:sqs:us-east-1:000000000000:imagepattern-events",
        AwsRegion = "us-east-1",
    };

    public static SqsEvent Batch(params SqsMessage[] messages) => new() { Records = messages };

    /// <summary>An SQS event stored as a fixture (the shape Lambda hands the function).</summary>
    public static SqsEvent FromFile(string name) =>
        System.Text.Json.JsonSerializer.Deserialize(Fixture.Read(name), EventJsonContext.Default.SqsEvent)!;
}
