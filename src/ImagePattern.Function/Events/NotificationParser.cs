using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace ImagePattern.Function.Events;

/// <summary>What an SQS message body turned out to hold.</summary>
public abstract record MessageContent
{
    private MessageContent()
    {
    }

    /// <summary>The <c>s3:TestEvent</c> S3 sends when a notification configuration is saved: acknowledge and skip.</summary>
    public sealed record TestEvent : MessageContent;

    /// <summary>
    /// Objects to thumbnail, records that are known to need no work (<paramref name="Ignored"/>: other events, other
    /// buckets) and records that could not be read (<paramref name="UnreadableRecords"/>), each with its reason.
    /// </summary>
    public sealed record Objects(IReadOnlyList<SourceObject> Items, IReadOnlyList<string> Ignored, IReadOnlyList<string> UnreadableRecords) : MessageContent;

    /// <summary>
    /// Not JSON, or JSON of no known shape. Never acknowledged: the message goes back to the queue and, after
    /// <c>maxReceiveCount</c> receives, rests in the DLQ for a person to look at (DESIGN §3.1).
    /// </summary>
    public sealed record Unreadable(string Reason) : MessageContent;
}

/// <summary>
/// Turns SQS message bodies into source objects. Pure parsing: no I/O, no SDK. Three routes deliver the same
/// upload, and each gives the same <see cref="SourceObject"/> (so the same task id):
/// the direct S3 event notification (<c>Records</c>, keys form-URL-encoded), that notification inside an SNS
/// envelope (<c>Type: Notification</c>, the notification JSON as the string <c>Message</c>), and the EventBridge
/// <c>Object Created</c> event (<c>detail.bucket.name</c>, <c>detail.object.key</c> not encoded, <c>etag</c>,
/// <c>version-id</c>).
/// </summary>
public sealed class NotificationParser(string sourceBucket)
{
    private const string ObjectCreatedPrefix = "ObjectCreated:";
    private const string TestEventName = "s3:TestEvent";
    private const string EventBridgeSource = "aws.s3";
    private const string EventBridgeObjectCreated = "Object Created";

    /// <summary>Parses one message body.</summary>
    public MessageContent Parse(string? body)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return new MessageContent.Unreadable("empty body");
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException ex)
        {
            return new MessageContent.Unreadable($"body is not JSON: {ex.Message}");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return new MessageContent.Unreadable($"body is a JSON {root.ValueKind.ToString().ToLowerInvariant()}, not an object");
            }

            if (root.TryGetProperty("Type", out _))
            {
                return FromSns(root);
            }

            if (root.TryGetProperty("detail-type", out _))
            {
                return FromEventBridge(root);
            }

            return FromS3Notification(root, "body");
        }
    }

    private MessageContent FromSns(JsonElement root)
    {
        var envelope = Deserialize(root, EventJsonContext.Default.SnsEnvelope, out var shapeError);
        if (shapeError is not null)
        {
            return new MessageContent.Unreadable($"SNS envelope of an unexpected shape: {shapeError}");
        }

        if (envelope?.Type != "Notification")
        {
            // A SubscriptionConfirmation needs a person (someone must confirm it): the DLQ is where one will see it.
            return new MessageContent.Unreadable($"SNS message of type '{envelope?.Type}', not a Notification");
        }

        if (string.IsNullOrWhiteSpace(envelope.Message))
        {
            return new MessageContent.Unreadable("SNS Notification without a Message");
        }

        JsonDocument inner;
        try
        {
            inner = JsonDocument.Parse(envelope.Message);
        }
        catch (JsonException ex)
        {
            return new MessageContent.Unreadable($"SNS Message is not JSON: {ex.Message}");
        }

        using (inner)
        {
            return inner.RootElement.ValueKind == JsonValueKind.Object
                ? FromS3Notification(inner.RootElement, "SNS Message")
                : new MessageContent.Unreadable("SNS Message is not a JSON object");
        }
    }

    private MessageContent FromS3Notification(JsonElement root, string where)
    {
        var notification = Deserialize(root, EventJsonContext.Default.S3EventNotification, out var shapeError);
        if (shapeError is not null)
        {
            return new MessageContent.Unreadable($"{where} is not an S3 event notification: {shapeError}");
        }

        if (notification?.Records is null)
        {
            return notification?.Event == TestEventName
                ? new MessageContent.TestEvent()
                : new MessageContent.Unreadable($"{where} is JSON of no known shape: no Records, no s3:TestEvent, no SNS envelope, no EventBridge detail-type");
        }

        if (notification.Records.Count == 0)
        {
            return new MessageContent.Unreadable($"{where} has an empty Records array");
        }

        return Sort(notification.Records.Select(ReadRecord));
    }

    private MessageContent FromEventBridge(JsonElement root)
    {
        var bridged = Deserialize(root, EventJsonContext.Default.S3EventBridgeEvent, out var shapeError);
        if (shapeError is not null)
        {
            return new MessageContent.Unreadable($"EventBridge event of an unexpected shape: {shapeError}");
        }

        if (bridged?.Source != EventBridgeSource)
        {
            return new MessageContent.Unreadable($"EventBridge event from '{bridged?.Source}', not {EventBridgeSource}");
        }

        return Sort([ReadEventBridge(bridged)]);
    }

    // A body of an unexpected shape becomes an Unreadable message (and so the DLQ), never an exception out of Parse.
    private static T? Deserialize<T>(JsonElement root, JsonTypeInfo<T> type, out string? error)
    {
        try
        {
            error = null;
            return root.Deserialize(type);
        }
        catch (JsonException ex)
        {
            error = ex.Message;
            return default;
        }
    }

    private static MessageContent.Objects Sort(IEnumerable<RecordResult> results)
    {
        var items = new List<SourceObject>();
        var ignored = new List<string>();
        var unreadable = new List<string>();
        foreach (var result in results)
        {
            switch (result)
            {
                case RecordResult.Work work:
                    items.Add(work.Item);
                    break;
                case RecordResult.NoWork noWork:
                    ignored.Add(noWork.Reason);
                    break;
                case RecordResult.Bad bad:
                    unreadable.Add(bad.Reason);
                    break;
            }
        }

        return new MessageContent.Objects(items, ignored, unreadable);
    }

    private RecordResult ReadRecord(S3EventRecord? record)
    {
        if (record?.EventName is not { } eventName || record.S3?.Bucket?.Name is not { } bucket || record.S3.ObjectInfo is not { } obj)
        {
            return new RecordResult.Bad("record lacks eventName, s3.bucket.name or s3.object");
        }

        if (!eventName.StartsWith(ObjectCreatedPrefix, StringComparison.Ordinal))
        {
            return new RecordResult.NoWork($"event {eventName} is not ObjectCreated");
        }

        if (string.IsNullOrEmpty(obj.Key) || string.IsNullOrEmpty(obj.ETag) || obj.Size is not { } size || size < 0)
        {
            return new RecordResult.Bad("object lacks key, eTag or a valid size");
        }

        return Checked(bucket, S3KeyCodec.Decode(obj.Key), size, obj.ETag, obj.VersionId, record.EventTime, eventName);
    }

    private RecordResult ReadEventBridge(S3EventBridgeEvent bridged)
    {
        if (bridged.DetailType != EventBridgeObjectCreated)
        {
            return new RecordResult.NoWork($"EventBridge event {bridged.DetailType} is not {EventBridgeObjectCreated}");
        }

        if (bridged.Detail?.Bucket?.Name is not { } bucket || bridged.Detail.ObjectInfo is not { } obj)
        {
            return new RecordResult.Bad("EventBridge event lacks detail.bucket.name or detail.object");
        }

        if (string.IsNullOrEmpty(obj.Key) || string.IsNullOrEmpty(obj.ETag) || obj.Size is not { } size || size < 0)
        {
            return new RecordResult.Bad("EventBridge object lacks key, etag or a valid size");
        }

        // The reason names the API; the notification's event names the same operations with these suffixes.
        var eventName = ObjectCreatedPrefix + (bridged.Detail.Reason switch
        {
            "PutObject" => "Put",
            "POST Object" => "Post",
            "CopyObject" => "Copy",
            "CompleteMultipartUpload" => "CompleteMultipartUpload",
            _ => "*",
        });

        // EventBridge sends the key as stored: decoding it would turn a literal '+' into a space.
        return Checked(bucket, obj.Key, size, obj.ETag, obj.VersionId, bridged.Time, eventName);
    }

    /// <summary>
    /// Why a decoded object key gets no work by policy whatever its bucket and suffix, or null when it may: a key
    /// holding control characters (S3 stores such keys, but they would travel into logs, task ids and output keys).
    /// </summary>
    /// <param name="key">The object key, decoded as the record carries it.</param>
    public static string? ReasonToIgnoreKey(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return key.Any(char.IsControl) ? "key holds control characters, which are ignored by policy (they would travel into logs, task ids and output keys)" : null;
    }

    private RecordResult Checked(string bucket, string key, long size, string etag, string? versionId, DateTimeOffset? eventTime, string eventName)
    {
        if (!string.Equals(bucket, sourceBucket, StringComparison.Ordinal))
        {
            return new RecordResult.NoWork($"bucket {bucket} is not the configured source bucket");
        }

        if (key.Length == 0)
        {
            return new RecordResult.Bad("decoded key is empty");
        }

        if (ReasonToIgnoreKey(key) is { } policy)
        {
            return new RecordResult.NoWork(policy);
        }

        return new RecordResult.Work(new SourceObject(bucket, key, size, etag.Trim('"'), string.IsNullOrEmpty(versionId) ? null : versionId, eventTime, eventName));
    }

    private abstract record RecordResult
    {
        public sealed record Work(SourceObject Item) : RecordResult;

        public sealed record NoWork(string Reason) : RecordResult;

        public sealed record Bad(string Reason) : RecordResult;
    }
}
