using System.Text.Json;

namespace ImagePattern.Function.Events;

/// <summary>What an SQS message body turned out to hold.</summary>
public abstract record MessageContent
{
    private MessageContent()
    {
    }

    /// <summary>The <c>s3:TestEvent</c> S3 sends when a notification configuration is saved: acknowledge and skip.</summary>
    public sealed record TestEvent : MessageContent;

    /// <summary>Objects to thumbnail, plus records that were skipped and why.</summary>
    public sealed record Objects(IReadOnlyList<SourceObject> Items, IReadOnlyList<string> Skipped) : MessageContent;

    /// <summary>Not an S3 notification at all: acknowledge, warn and count — retrying cannot fix it.</summary>
    public sealed record Malformed(string Reason) : MessageContent;
}

/// <summary>Turns SQS message bodies into source objects. Pure parsing: no I/O, no SDK.</summary>
public sealed class NotificationParser(string sourceBucket)
{
    private const string ObjectCreatedPrefix = "ObjectCreated:";

    /// <summary>Parses one message body.</summary>
    public MessageContent Parse(string? body)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return new MessageContent.Malformed("empty body");
        }

        S3EventNotification? notification;
        try
        {
            notification = JsonSerializer.Deserialize(body, EventJsonContext.Default.S3EventNotification);
        }
        catch (JsonException ex)
        {
            return new MessageContent.Malformed($"body is not an S3 event notification: {ex.Message}");
        }

        if (notification is null)
        {
            return new MessageContent.Malformed("body is JSON null");
        }

        if (notification.Records is null)
        {
            return notification.Event == "s3:TestEvent"
                ? new MessageContent.TestEvent()
                : new MessageContent.Malformed("body has neither Records nor the s3:TestEvent marker");
        }

        var items = new List<SourceObject>(notification.Records.Count);
        var skipped = new List<string>();
        foreach (var record in notification.Records)
        {
            if (TryRead(record, out var item, out var reason))
            {
                items.Add(item);
            }
            else
            {
                skipped.Add(reason);
            }
        }

        return new MessageContent.Objects(items, skipped);
    }

    private bool TryRead(S3EventRecord? record, out SourceObject item, out string reason)
    {
        item = null!;
        if (record?.EventName is not { } eventName || record.S3?.Bucket?.Name is not { } bucket || record.S3.ObjectInfo is not { } obj)
        {
            reason = "record lacks eventName, s3.bucket.name or s3.object";
            return false;
        }

        if (!eventName.StartsWith(ObjectCreatedPrefix, StringComparison.Ordinal))
        {
            reason = $"event {eventName} is not ObjectCreated";
            return false;
        }

        if (!string.Equals(bucket, sourceBucket, StringComparison.Ordinal))
        {
            reason = $"bucket {bucket} is not the configured source bucket";
            return false;
        }

        if (string.IsNullOrEmpty(obj.Key) || string.IsNullOrEmpty(obj.ETag) || obj.Size is not { } size || size < 0)
        {
            reason = "object lacks key, eTag or a valid size";
            return false;
        }

        var key = S3KeyCodec.Decode(obj.Key);
        if (key.Length == 0 || key.Any(char.IsControl))
        {
            reason = "decoded key is empty or holds control characters";
            return false;
        }

        item = new SourceObject(bucket, key, size, obj.ETag.Trim('"'), obj.VersionId, record.EventTime, eventName);
        reason = string.Empty;
        return true;
    }
}
