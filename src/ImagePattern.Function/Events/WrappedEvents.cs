using System.Text.Json.Serialization;

namespace ImagePattern.Function.Events;

/// <summary>
/// The envelope SNS puts around a message it delivers to an SQS queue without raw message delivery: the published
/// text (here, an S3 event notification's JSON) is the string <c>Message</c>. Field names as SNS sends them.
/// </summary>
public sealed class SnsEnvelope
{
    /// <summary><c>Notification</c> for a published message (<c>SubscriptionConfirmation</c> and <c>UnsubscribeConfirmation</c> otherwise).</summary>
    [JsonPropertyName("Type")]
    public string? Type { get; init; }

    /// <summary>SNS's id of the published message (not the SQS message id).</summary>
    [JsonPropertyName("MessageId")]
    public string? MessageId { get; init; }

    /// <summary>ARN of the topic the message was published to.</summary>
    [JsonPropertyName("TopicArn")]
    public string? TopicArn { get; init; }

    /// <summary>Optional subject; S3 sets <c>Amazon S3 Notification</c>.</summary>
    [JsonPropertyName("Subject")]
    public string? Subject { get; init; }

    /// <summary>The published text: the S3 event notification JSON, as a string.</summary>
    [JsonPropertyName("Message")]
    public string? Message { get; init; }

    /// <summary>When SNS published the message (ISO 8601, UTC).</summary>
    [JsonPropertyName("Timestamp")]
    public string? Timestamp { get; init; }
}

/// <summary>
/// An Amazon S3 event as EventBridge delivers it to a rule target such as an SQS queue (event structure
/// <c>version</c> 0): <c>detail-type</c> names the event (<c>Object Created</c>, <c>Object Deleted</c>, …), <c>source</c>
/// is <c>aws.s3</c>.
/// </summary>
public sealed class S3EventBridgeEvent
{
    /// <summary>Envelope version, <c>0</c>.</summary>
    [JsonPropertyName("version")]
    public string? Version { get; init; }

    /// <summary>UUID of the event.</summary>
    [JsonPropertyName("id")]
    public string? Id { get; init; }

    /// <summary>For example <c>Object Created</c>.</summary>
    [JsonPropertyName("detail-type")]
    public string? DetailType { get; init; }

    /// <summary><c>aws.s3</c> for S3 events.</summary>
    [JsonPropertyName("source")]
    public string? Source { get; init; }

    /// <summary>Account that owns the bucket.</summary>
    [JsonPropertyName("account")]
    public string? Account { get; init; }

    /// <summary>When the event happened (ISO 8601, whole seconds).</summary>
    [JsonPropertyName("time")]
    public DateTimeOffset? Time { get; init; }

    /// <summary>Region of the bucket.</summary>
    [JsonPropertyName("region")]
    public string? Region { get; init; }

    /// <summary>The bucket ARN.</summary>
    [JsonPropertyName("resources")]
    public IReadOnlyList<string>? Resources { get; init; }

    /// <summary>What happened to which object.</summary>
    [JsonPropertyName("detail")]
    public S3EventBridgeDetail? Detail { get; init; }
}

/// <summary>The <c>detail</c> of an S3 event in EventBridge.</summary>
public sealed class S3EventBridgeDetail
{
    /// <summary>Detail version, <c>0</c>.</summary>
    [JsonPropertyName("version")]
    public string? Version { get; init; }

    /// <summary>The bucket.</summary>
    [JsonPropertyName("bucket")]
    public S3BucketEntity? Bucket { get; init; }

    /// <summary>The object.</summary>
    [JsonPropertyName("object")]
    public S3EventBridgeObject? ObjectInfo { get; init; }

    /// <summary>The API that created the object: <c>PutObject</c>, <c>POST Object</c>, <c>CopyObject</c>, <c>CompleteMultipartUpload</c>.</summary>
    [JsonPropertyName("reason")]
    public string? Reason { get; init; }

    /// <summary>S3 request id.</summary>
    [JsonPropertyName("request-id")]
    public string? RequestId { get; init; }

    /// <summary>Account or service principal that made the request.</summary>
    [JsonPropertyName("requester")]
    public string? Requester { get; init; }
}

/// <summary>The object of an S3 event in EventBridge. Unlike the direct notification, the key is NOT URL-encoded.</summary>
public sealed class S3EventBridgeObject
{
    /// <summary>The object key, as stored (not encoded).</summary>
    [JsonPropertyName("key")]
    public string? Key { get; init; }

    /// <summary>Size in bytes.</summary>
    [JsonPropertyName("size")]
    public long? Size { get; init; }

    /// <summary>Entity tag, without quotes (note the lowercase name, unlike the notification's <c>eTag</c>).</summary>
    [JsonPropertyName("etag")]
    public string? ETag { get; init; }

    /// <summary>Version id when the bucket is versioned.</summary>
    [JsonPropertyName("version-id")]
    public string? VersionId { get; init; }

    /// <summary>Hex string ordering events for the same key.</summary>
    [JsonPropertyName("sequencer")]
    public string? Sequencer { get; init; }
}
