using System.Globalization;
using System.Text.Json;
using Amazon.S3.Model;
using ImagePattern.Function.Events;
using ImagePattern.Tool.Local;

namespace ImagePattern.Packaging.Tests.Support;

/// <summary>Uploads and the SQS events Lambda's event source mapping would deliver for them, in AWS's shapes.</summary>
internal static class Notifications
{
    public static async Task<(string Key, string ETag, long Size)> UploadAsync(LocalPipeline pipeline, string key, byte[] data)
    {
        using var body = new MemoryStream(data);
        var response = await pipeline.S3.PutObjectAsync(
            new PutObjectRequest { BucketName = pipeline.Layout.SourceBucket, Key = key, InputStream = body },
            TestContext.Current.CancellationToken);
        return (key, response.ETag.Trim('"'), data.Length);
    }

    /// <summary>A direct S3 notification of one upload, whose key must need no URL encoding.</summary>
    public static string Body(string bucket, (string Key, string ETag, long Size) uploaded) =>
        "{\"Records\":[{\"eventVersion\":\"2.1\",\"eventSource\":\"aws:s3\",\"awsRegion\":\"us-east-1\","
        + $"\"eventTime\":\"{TimeProvider.System.GetUtcNow():yyyy-MM-dd'T'HH:mm:ss.fff'Z'}\",\"eventName\":\"ObjectCreated:Put\","
        + $"\"s3\":{{\"s3SchemaVersion\":\"1.0\",\"configurationId\":\"thumbnails\",\"bucket\":{{\"name\":\"{bucket}\",\"arn\":\"arn:aws:s3:::{bucket}\"}},"
        + $"\"object\":{{\"key\":\"{uploaded.Key}\",\"size\":{uploaded.Size.ToString(CultureInfo.InvariantCulture)},\"eTag\":\"{uploaded.ETag}\",\"sequencer\":\"0055AED6DCD90281E5\"}}}}}}]}}";

    public const string TestEventBody = """{"Service":"Amazon S3","Event":"s3:TestEvent","Time":"2026-11-30T12:00:00.000Z","Bucket":"b","RequestId":"r","HostId":"h"}""";

    public static SqsMessage Message(string id, string body) => new()
    {
        MessageId = id,
        ReceiptHandle = "rh-" + id,
        Body = body,
        Attributes = new Dictionary<string, string> { ["ApproximateReceiveCount"] = "1" },
        EventSource = "aws:sqs",
        EventSourceArn = "arn:aws:sqs:us-east-1:000000000000:runtime-notifications",
        AwsRegion = "us-east-1",
    };

    public static byte[] Event(params SqsMessage[] messages) =>
        JsonSerializer.SerializeToUtf8Bytes(new SqsEvent { Records = messages }, EventJsonContext.Default.SqsEvent);

    public static SqsBatchResponse Response(ImagePattern.Tool.Emulators.LambdaRuntime.InvocationResult result) =>
        JsonSerializer.Deserialize(Assert.IsType<ImagePattern.Tool.Emulators.LambdaRuntime.InvocationResult.Response>(result).Body, EventJsonContext.Default.SqsBatchResponse)!;
}
