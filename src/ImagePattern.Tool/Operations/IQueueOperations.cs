using ImagePattern.Tool.Sqs;

namespace ImagePattern.Tool.Operations;

/// <summary>
/// The SQS calls backfill and redrive make, behind a port so that tests can inject throttling and partial failures
/// that no emulator produces on demand.
/// </summary>
internal interface IQueueOperations
{
    Task<SqsBatchResult> SendBatchAsync(string queueUrl, IReadOnlyList<SqsSendEntry> entries, CancellationToken cancellationToken);

    Task<IReadOnlyList<SqsReceivedMessage>> ReceiveAsync(string queueUrl, int maxMessages, int waitSeconds, int visibilityTimeout, CancellationToken cancellationToken);

    Task<SqsBatchResult> DeleteBatchAsync(string queueUrl, IReadOnlyList<SqsDeleteEntry> entries, CancellationToken cancellationToken);

    Task<IReadOnlyDictionary<string, string>> GetAttributesAsync(string queueUrl, IReadOnlyList<string> names, CancellationToken cancellationToken);

    Task<string?> StartMessageMoveTaskAsync(string sourceArn, string? destinationArn, CancellationToken cancellationToken);
}

/// <summary><see cref="IQueueOperations"/> on the project's SQS client (local stack or AWS).</summary>
internal sealed class SqsQueueOperations(SqsClient sqs) : IQueueOperations
{
    public Task<SqsBatchResult> SendBatchAsync(string queueUrl, IReadOnlyList<SqsSendEntry> entries, CancellationToken cancellationToken) =>
        sqs.SendMessageBatchAsync(queueUrl, entries, cancellationToken);

    public Task<IReadOnlyList<SqsReceivedMessage>> ReceiveAsync(string queueUrl, int maxMessages, int waitSeconds, int visibilityTimeout, CancellationToken cancellationToken) =>
        sqs.ReceiveMessagesAsync(queueUrl, maxMessages, waitSeconds, visibilityTimeout, cancellationToken);

    public Task<SqsBatchResult> DeleteBatchAsync(string queueUrl, IReadOnlyList<SqsDeleteEntry> entries, CancellationToken cancellationToken) =>
        sqs.DeleteMessageBatchAsync(queueUrl, entries, cancellationToken);

    public Task<IReadOnlyDictionary<string, string>> GetAttributesAsync(string queueUrl, IReadOnlyList<string> names, CancellationToken cancellationToken) =>
        sqs.GetQueueAttributesAsync(queueUrl, names, cancellationToken);

    public Task<string?> StartMessageMoveTaskAsync(string sourceArn, string? destinationArn, CancellationToken cancellationToken) =>
        sqs.StartMessageMoveTaskAsync(sourceArn, destinationArn, cancellationToken);
}
