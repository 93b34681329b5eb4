using System.Text.Json.Serialization;

namespace ImagePattern.Function.Events;

/// <summary>
/// The body S3 sends to the queue: either <c>Records</c> of object events, or the <c>s3:TestEvent</c>
/// (<c>Service</c>/<c>Event</c>/<c>Bucket</c>) sent when a notification configuration is saved.
/// </summary>
public sealed class S3EventNotification
{
    /// <summary>Object events; absent on the test event.</summary>
    [JsonPropertyName("Records")]
    public IReadOnlyList<S3EventRecord>? Records { get; init; }

    /// <summary><c>Amazon S3</c> on the test event.</summary>
    [JsonPropertyName("Service")]
    public string? Service { get; init; }

    /// <summary><c>s3:TestEvent</c> on the test event.</summary>
    [JsonPropertyName("Event")]
    public string? Event { get; init; }

    /// <summary>Bucket name on the test event.</summary>
    [JsonPropertyName("Bucket")]
    public string? Bucket { get; init; }

    /// <summary>Time on the test event.</summary>
    [JsonPropertyName("Time")]
    public string? Time { get; init; }
}

/// <summary>One S3 object event (event version 2.x).</summary>
public sealed class S3EventRecord
{
    /// <summary>For example <c>2.1</c>.</summary>
    [JsonPropertyName("eventVersion")]
    public string? EventVersion { get; init; }

    /// <summary>Always <c>aws:s3</c>.</summary>
    [JsonPropertyName("eventSource")]
    public string? EventSource { get; init; }

    /// <summary>Region of the bucket.</summary>
    [JsonPropertyName("awsRegion")]
    public string? AwsRegion { get; init; }

    /// <summary>When S3 finished the request (ISO 8601).</summary>
    [JsonPropertyName("eventTime")]
    public DateTimeOffset? EventTime { get; init; }

    /// <summary>For example <c>ObjectCreated:Put</c>; the <c>s3:</c> prefix is not sent.</summary>
    [JsonPropertyName("eventName")]
    public string? EventName { get; init; }

    /// <summary>Bucket and object.</summary>
    [JsonPropertyName("s3")]
    public S3Entity? S3 { get; init; }
}

/// <summary>The <c>s3</c> part of a record.</summary>
public sealed class S3Entity
{
    /// <summary>Always <c>1.0</c>.</summary>
    [JsonPropertyName("s3SchemaVersion")]
    public string? SchemaVersion { get; init; }

    /// <summary>Id of the notification configuration that matched.</summary>
    [JsonPropertyName("configurationId")]
    public string? ConfigurationId { get; init; }

    /// <summary>The bucket.</summary>
    [JsonPropertyName("bucket")]
    public S3BucketEntity? Bucket { get; init; }

    /// <summary>The object.</summary>
    [JsonPropertyName("object")]
    public S3ObjectEntity? ObjectInfo { get; init; }
}

/// <summary>The bucket of a record.</summary>
public sealed class S3BucketEntity
{
    /// <summary>Bucket name.</summary>
    [JsonPropertyName("name")]
    public string? Name { get; init; }

    /// <summary>Bucket ARN.</summary>
    [JsonPropertyName("arn")]
    public string? Arn { get; init; }
}

/// <summary>The object of a record.</summary>
public sealed class S3ObjectEntity
{
    /// <summary>Form-URL-encoded key: <c>+</c> is a space, <c>%XX</c> escapes UTF-8 bytes.</summary>
    [JsonPropertyName("key")]
    public string? Key { get; init; }

    /// <summary>Object size in bytes.</summary>
    [JsonPropertyName("size")]
    public long? Size { get; init; }

    /// <summary>Entity tag, without quotes.</summary>
    [JsonPropertyName("eTag")]
    public string? ETag { get; init; }

    /// <summary>Version id when the bucket is versioned.</summary>
    [JsonPropertyName("versionId")]
    public string? VersionId { get; init; }

    /// <summary>Hex string ordering events for the same key.</summary>
    [JsonPropertyName("sequencer")]
    public string? Sequencer { get; init; }
}
