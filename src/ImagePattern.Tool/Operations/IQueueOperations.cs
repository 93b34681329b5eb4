using Amazon.SQS;
using Amazon.SQS.Model;

namespace ImagePattern.Tool.Operations;

/// <summary>
/// The SQS calls backfill and redrive make, behind a port so that tests can inject throttling and partial failures
/// that no emulator produces on demand.
/// </summary>
internal interface IQueueOperations
{
    Task<BatchAnswer> SendBatchAsync(string queueUrl, IReadOnlyList<SendMessageBatchRequestEntry> entries, CancellationToken cancellationToken);

    /// <summary>Receives with every system attribute; a null visibility timeout keeps the queue's.</summary>
    Task<IReadOnlyList<Message>> ReceiveAsync(string queueUrl, int maxMessages, int waitSeconds, int? visibilityTimeout, CancellationToken cancellationToken);

    Task<BatchAnswer> DeleteBatchAsync(string queueUrl, IReadOnlyList<DeleteMessageBatchRequestEntry> entries, CancellationToken cancellationToken);

    Task<IReadOnlyDictionary<string, string>> GetAttributesAsync(string queueUrl, IReadOnlyList<string> names, CancellationToken cancellationToken);

    Task<string?> StartMessageMoveTaskAsync(string sourceArn, string? destinationArn, CancellationToken cancellationToken);
}

/// <summary><see cref="IQueueOperations"/> on an SQS client (local stack or AWS).</summary>
internal sealed class SqsQueueOperations(IAmazonSQS sqs) : IQueueOperations
{
    public async Task<BatchAnswer> SendBatchAsync(string queueUrl, IReadOnlyList<SendMessageBatchRequestEntry> entries, CancellationToken cancellationToken) =>
        BatchAnswer.Of(await sqs.SendMessageBatchAsync(new SendMessageBatchRequest { QueueUrl = queueUrl, Entries = [.. entries] }, cancellationToken));

    public async Task<IReadOnlyList<Message>> ReceiveAsync(string queueUrl, int maxMessages, int waitSeconds, int? visibilityTimeout, CancellationToken cancellationToken) =>
        (await sqs.ReceiveMessageAsync(
            new ReceiveMessageRequest
            {
                QueueUrl = queueUrl,
                MaxNumberOfMessages = maxMessages,
                WaitTimeSeconds = waitSeconds,
                VisibilityTimeout = visibilityTimeout,
                MessageSystemAttributeNames = ["All"],
            },
            cancellationToken)).Messages ?? [];

    public async Task<BatchAnswer> DeleteBatchAsync(string queueUrl, IReadOnlyList<DeleteMessageBatchRequestEntry> entries, CancellationToken cancellationToken) =>
        BatchAnswer.Of(await sqs.DeleteMessageBatchAsync(new DeleteMessageBatchRequest { QueueUrl = queueUrl, Entries = [.. entries] }, cancellationToken));

    public async Task<IReadOnlyDictionary<string, string>> GetAttributesAsync(string queueUrl, IReadOnlyList<string> names, CancellationToken cancellationToken) =>
        (await sqs.GetQueueAttributesAsync(new GetQueueAttributesRequest { QueueUrl = queueUrl, AttributeNames = [.. names] }, cancellationToken)).Attributes
            ?? [];

    public async Task<string?> StartMessageMoveTaskAsync(string sourceArn, string? destinationArn, CancellationToken cancellationToken) =>
        (await sqs.StartMessageMoveTaskAsync(new StartMessageMoveTaskRequest { SourceArn = sourceArn, DestinationArn = destinationArn }, cancellationToken)).TaskHandle;
}
