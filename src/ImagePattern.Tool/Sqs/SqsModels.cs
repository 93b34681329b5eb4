using System.Text.Json.Serialization;

namespace ImagePattern.Tool.Sqs;

/// <summary>A message as <c>ReceiveMessage</c> returns it.</summary>
public sealed record SqsReceivedMessage(
    string MessageId,
    string ReceiptHandle,
    string Body,
    string? MD5OfBody,
    IReadOnlyDictionary<string, string>? Attributes);

/// <summary>One entry of a batch request that failed.</summary>
public sealed record SqsBatchError(string Id, string Code, string? Message, bool SenderFault);

/// <summary>The result of a batch call: ids that succeeded and entries that failed.</summary>
public sealed record SqsBatchResult(IReadOnlyList<string> Successful, IReadOnlyList<SqsBatchError> Failed);

/// <summary>An entry for <c>SendMessageBatch</c>.</summary>
public sealed record SqsSendEntry(string Id, string MessageBody);

/// <summary>An entry for <c>DeleteMessageBatch</c>.</summary>
public sealed record SqsDeleteEntry(string Id, string ReceiptHandle);

/// <summary>An entry for <c>ChangeMessageVisibilityBatch</c>.</summary>
public sealed record SqsVisibilityEntry(string Id, string ReceiptHandle, int VisibilityTimeout);

internal sealed record CreateQueueRequest(string QueueName, IReadOnlyDictionary<string, string>? Attributes);

internal sealed record QueueNameRequest(string QueueName);

internal sealed record QueueUrlRequest(string QueueUrl);

internal sealed record QueueUrlResponse(string? QueueUrl);

internal sealed record GetQueueAttributesRequest(string QueueUrl, IReadOnlyList<string> AttributeNames);

internal sealed record GetQueueAttributesResponse(Dictionary<string, string>? Attributes);

internal sealed record SetQueueAttributesRequest(string QueueUrl, IReadOnlyDictionary<string, string> Attributes);

internal sealed record ReceiveMessageRequest(
    string QueueUrl,
    int MaxNumberOfMessages,
    int WaitTimeSeconds,
    int? VisibilityTimeout,
    IReadOnlyList<string> MessageSystemAttributeNames,
    IReadOnlyList<string> AttributeNames);

internal sealed record ReceiveMessageResponse(List<SqsReceivedMessage>? Messages);

internal sealed record SendMessageBatchRequest(string QueueUrl, IReadOnlyList<SqsSendEntry> Entries);

internal sealed record DeleteMessageBatchRequest(string QueueUrl, IReadOnlyList<SqsDeleteEntry> Entries);

internal sealed record ChangeMessageVisibilityBatchRequest(string QueueUrl, IReadOnlyList<SqsVisibilityEntry> Entries);

internal sealed record BatchResultEntry(string Id);

internal sealed record BatchResponse(List<BatchResultEntry>? Successful, List<SqsBatchError>? Failed);

internal sealed record StartMessageMoveTaskRequest(string SourceArn, string? DestinationArn);

internal sealed record StartMessageMoveTaskResponse(string? TaskHandle);

internal sealed record ListQueuesRequest(string? QueueNamePrefix);

internal sealed record ListQueuesResponse(List<string>? QueueUrls);

internal sealed record ErrorResponse(
    [property: JsonPropertyName("__type")] string? Type,
    [property: JsonPropertyName("message")] string? Message,
    [property: JsonPropertyName("Message")] string? MessageUpper);

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(CreateQueueRequest))]
[JsonSerializable(typeof(QueueNameRequest))]
[JsonSerializable(typeof(QueueUrlRequest))]
[JsonSerializable(typeof(QueueUrlResponse))]
[JsonSerializable(typeof(GetQueueAttributesRequest))]
[JsonSerializable(typeof(GetQueueAttributesResponse))]
[JsonSerializable(typeof(SetQueueAttributesRequest))]
[JsonSerializable(typeof(ReceiveMessageRequest))]
[JsonSerializable(typeof(ReceiveMessageResponse))]
[JsonSerializable(typeof(SendMessageBatchRequest))]
[JsonSerializable(typeof(DeleteMessageBatchRequest))]
[JsonSerializable(typeof(ChangeMessageVisibilityBatchRequest))]
[JsonSerializable(typeof(BatchResponse))]
[JsonSerializable(typeof(StartMessageMoveTaskRequest))]
[JsonSerializable(typeof(StartMessageMoveTaskResponse))]
[JsonSerializable(typeof(ListQueuesRequest))]
[JsonSerializable(typeof(ListQueuesResponse))]
[JsonSerializable(typeof(ErrorResponse))]
internal sealed partial class SqsJsonContext : JsonSerializerContext;
