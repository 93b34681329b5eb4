using System.Text.Json.Serialization;

namespace ImagePattern.Function.Events;

/// <summary>The event Lambda's SQS event source mapping delivers: a batch of messages, field names as AWS sends them.</summary>
public sealed class SqsEvent
{
    /// <summary>The messages of the batch.</summary>
    [JsonPropertyName("Records")]
    public IReadOnlyList<SqsMessage>? Records { get; init; }
}

/// <summary>One SQS message as the event source mapping hands it to the function.</summary>
public sealed class SqsMessage
{
    /// <summary>Unique id; the <c>itemIdentifier</c> of a batch item failure.</summary>
    [JsonPropertyName("messageId")]
    public string? MessageId { get; init; }

    /// <summary>Handle the poller uses to delete or re-time the message.</summary>
    [JsonPropertyName("receiptHandle")]
    public string? ReceiptHandle { get; init; }

    /// <summary>The message body: here, an S3 event notification.</summary>
    [JsonPropertyName("body")]
    public string? Body { get; init; }

    /// <summary>System attributes such as <c>ApproximateReceiveCount</c> and <c>SentTimestamp</c>.</summary>
    [JsonPropertyName("attributes")]
    public IReadOnlyDictionary<string, string>? Attributes { get; init; }

    /// <summary>MD5 of the body.</summary>
    [JsonPropertyName("md5OfBody")]
    public string? Md5OfBody { get; init; }

    /// <summary>Always <c>aws:sqs</c>.</summary>
    [JsonPropertyName("eventSource")]
    public string? EventSource { get; init; }

    /// <summary>ARN of the queue the message came from.</summary>
    [JsonPropertyName("eventSourceARN")]
    public string? EventSourceArn { get; init; }

    /// <summary>Region of the queue.</summary>
    [JsonPropertyName("awsRegion")]
    public string? AwsRegion { get; init; }

    /// <summary>How many times SQS has handed this message out, or 0 when absent.</summary>
    [JsonIgnore]
    public int ReceiveCount =>
        Attributes is not null
        && Attributes.TryGetValue("ApproximateReceiveCount", out var raw)
        && int.TryParse(raw, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var count)
            ? count
            : 0;
}

/// <summary>The partial-batch response: only the messages listed here are retried.</summary>
public sealed class SqsBatchResponse
{
    /// <summary>Messages to leave on the queue for another attempt.</summary>
    [JsonPropertyName("batchItemFailures")]
    public IReadOnlyList<BatchItemFailure> BatchItemFailures { get; init; } = [];
}

/// <summary>One message to retry.</summary>
/// <param name="ItemIdentifier">The message id.</param>
public sealed record BatchItemFailure([property: JsonPropertyName("itemIdentifier")] string ItemIdentifier);
