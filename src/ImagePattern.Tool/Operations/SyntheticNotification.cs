using System.Globalization;
using System.Text.Json;
using ImagePattern.Function.Events;

namespace ImagePattern.Tool.Operations;

/// <summary>An object as a bucket listing describes it.</summary>
/// <param name="Key">Object key (not encoded).</param>
/// <param name="Size">Bytes.</param>
/// <param name="ETag">Entity tag, with or without quotes.</param>
/// <param name="VersionId">Version id of the current version in a versioned bucket, else null.</param>
/// <param name="LastModified">When the object was written.</param>
internal sealed record ListedObject(string Key, long Size, string ETag, string? VersionId, DateTimeOffset LastModified);

/// <summary>
/// The S3 event notification S3 would have sent for an existing object, built from the function's own event types
/// and key encoding so that the function derives the same task id from it as from the real notification.
/// </summary>
internal static class SyntheticNotification
{
    /// <summary>
    /// Marks records made by tooling in the slot where S3 names the notification configuration that matched, so logs
    /// can tell a backfill from an upload; the function does not read it.
    /// </summary>
    public const string ConfigurationId = "imagepattern-backfill";

    /// <summary>The JSON body of one queue message holding one <c>ObjectCreated:Put</c> record.</summary>
    /// <param name="bucket">Bucket of the object.</param>
    /// <param name="item">The listed object.</param>
    /// <param name="region">Region of the bucket.</param>
    /// <param name="eventTime">
    /// When the synthetic event happens (now). Not the object's LastModified: the function measures notification
    /// latency from it, and a backfill of old objects would otherwise trip the latency alarm.
    /// </param>
    /// <param name="sequence">Orders the records of one run, as S3's sequencer orders events.</param>
    public static string Create(string bucket, ListedObject item, string region, DateTimeOffset eventTime, long sequence)
    {
        ArgumentNullException.ThrowIfNull(item);
        var notification = new S3EventNotification
        {
            Records =
            [
                new S3EventRecord
                {
                    EventVersion = "2.1",
                    EventSource = "aws:s3",
                    AwsRegion = region,
                    // Milliseconds, like S3's own timestamps.
                    EventTime = new DateTimeOffset(eventTime.UtcTicks - (eventTime.UtcTicks % TimeSpan.TicksPerMillisecond), TimeSpan.Zero),
                    EventName = "ObjectCreated:Put",
                    S3 = new S3Entity
                    {
                        SchemaVersion = "1.0",
                        ConfigurationId = ConfigurationId,
                        Bucket = new S3BucketEntity { Name = bucket, Arn = $"arn:{Partition(region)}:s3:::{bucket}" },
                        ObjectInfo = new S3ObjectEntity
                        {
                            Key = S3KeyEncoding.Encode(item.Key),
                            Size = item.Size,
                            ETag = item.ETag.Trim('"'),
                            VersionId = string.IsNullOrEmpty(item.VersionId) || item.VersionId == "null" ? null : item.VersionId,
                            Sequencer = sequence.ToString("X16", CultureInfo.InvariantCulture),
                        },
                    },
                },
            ],
        };
        return JsonSerializer.Serialize(notification, EventJsonContext.Default.S3EventNotification);
    }

    private static string Partition(string region) =>
        region.StartsWith("cn-", StringComparison.Ordinal) ? "aws-cn"
        : region.StartsWith("us-gov-", StringComparison.Ordinal) ? "aws-us-gov"
        : "aws";
}
