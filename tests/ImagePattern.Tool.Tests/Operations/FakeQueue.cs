using System.Net;
using Amazon.SQS;
using Amazon.SQS.Model;
using ImagePattern.Tool.Operations;

namespace ImagePattern.Tool.Tests.Operations;

/// <summary>
/// Wraps real SQS operations (or none) and lets a test decide, call by call, to throw, to fail entries, or to answer
/// in place of the queue.
/// </summary>
internal sealed class FakeQueue(IQueueOperations? inner = null) : IQueueOperations
{
    public Func<IReadOnlyList<SendMessageBatchRequestEntry>, int, BatchAnswer?>? OnSend { get; set; }

    public Func<IReadOnlyList<DeleteMessageBatchRequestEntry>, int, BatchAnswer?>? OnDelete { get; set; }

    public Func<string, string?, string?>? OnMoveTask { get; set; }

    public List<IReadOnlyList<SendMessageBatchRequestEntry>> SendCalls { get; } = [];

    public int ReceiveCalls { get; private set; }

    public static AmazonSQSException Throttled() => new("Rate exceeded") { ErrorCode = "ThrottlingException", StatusCode = HttpStatusCode.BadRequest };

    public async Task<BatchAnswer> SendBatchAsync(string queueUrl, IReadOnlyList<SendMessageBatchRequestEntry> entries, CancellationToken cancellationToken)
    {
        SendCalls.Add(entries);
        if (OnSend?.Invoke(entries, SendCalls.Count) is { } answer)
        {
            // Entries the fake answered as failed are not sent; the others go to the real queue, if any.
            var failed = answer.Failed.Select(f => f.Id).ToHashSet(StringComparer.Ordinal);
            var rest = entries.Where(e => !failed.Contains(e.Id)).ToList();
            if (inner is not null && rest.Count > 0)
            {
                var real = await inner.SendBatchAsync(queueUrl, rest, cancellationToken);
                return new BatchAnswer(real.Successful, [.. real.Failed, .. answer.Failed]);
            }

            return answer;
        }

        return inner is null
            ? new BatchAnswer(entries.Select(e => e.Id).ToList(), [])
            : await inner.SendBatchAsync(queueUrl, entries, cancellationToken);
    }

    public async Task<IReadOnlyList<Message>> ReceiveAsync(string queueUrl, int maxMessages, int waitSeconds, int? visibilityTimeout, CancellationToken cancellationToken)
    {
        ReceiveCalls++;
        return inner is null ? [] : await inner.ReceiveAsync(queueUrl, maxMessages, waitSeconds, visibilityTimeout, cancellationToken);
    }

    public async Task<BatchAnswer> DeleteBatchAsync(string queueUrl, IReadOnlyList<DeleteMessageBatchRequestEntry> entries, CancellationToken cancellationToken)
    {
        if (OnDelete?.Invoke(entries, 0) is { } answer)
        {
            var failed = answer.Failed.Select(f => f.Id).ToHashSet(StringComparer.Ordinal);
            var rest = entries.Where(e => !failed.Contains(e.Id)).ToList();
            if (inner is not null && rest.Count > 0)
            {
                var real = await inner.DeleteBatchAsync(queueUrl, rest, cancellationToken);
                return new BatchAnswer(real.Successful, [.. real.Failed, .. answer.Failed]);
            }

            return answer;
        }

        return inner is null ? new BatchAnswer(entries.Select(e => e.Id).ToList(), []) : await inner.DeleteBatchAsync(queueUrl, entries, cancellationToken);
    }

    public Task<IReadOnlyDictionary<string, string>> GetAttributesAsync(string queueUrl, IReadOnlyList<string> names, CancellationToken cancellationToken) =>
        inner is null
            ? Task.FromResult<IReadOnlyDictionary<string, string>>(new Dictionary<string, string> { ["QueueArn"] = "arn:aws:sqs:us-east-1:000000000000:" + queueUrl.Split('/')[^1], ["ApproximateNumberOfMessages"] = "7", ["ApproximateNumberOfMessagesNotVisible"] = "0" })
            : inner.GetAttributesAsync(queueUrl, names, cancellationToken);

    public Task<string?> StartMessageMoveTaskAsync(string sourceArn, string? destinationArn, CancellationToken cancellationToken) =>
        OnMoveTask is not null ? Task.FromResult(OnMoveTask(sourceArn, destinationArn)) : inner!.StartMessageMoveTaskAsync(sourceArn, destinationArn, cancellationToken);
}
