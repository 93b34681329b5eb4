using System.Globalization;
using Amazon.SQS;
using Amazon.SQS.Model;
using ImagePattern.Tool.Operations;

namespace ImagePattern.Tool.Tests.Support;

/// <summary>The few SQS calls the tests make, in one line each, on the SDK client.</summary>
internal static class SqsCalls
{
    public static async Task<string> NewQueueAsync(this IAmazonSQS sqs, string name, Dictionary<string, string>? attributes, CancellationToken cancellationToken) =>
        (await sqs.CreateQueueAsync(new CreateQueueRequest { QueueName = name, Attributes = attributes }, cancellationToken)).QueueUrl;

    public static async Task<Dictionary<string, string>> AttributesAsync(this IAmazonSQS sqs, string queueUrl, IEnumerable<string> names, CancellationToken cancellationToken) =>
        (await sqs.GetQueueAttributesAsync(new GetQueueAttributesRequest { QueueUrl = queueUrl, AttributeNames = [.. names] }, cancellationToken)).Attributes ?? [];

    public static async Task<string> ArnAsync(this IAmazonSQS sqs, string queueUrl, CancellationToken cancellationToken) =>
        (await sqs.AttributesAsync(queueUrl, ["QueueArn"], cancellationToken))["QueueArn"];

    public static async Task<List<Message>> ReceiveAsync(this IAmazonSQS sqs, string queueUrl, int maxMessages, int waitSeconds, int? visibilityTimeout, CancellationToken cancellationToken) =>
        [.. await new SqsQueueOperations(sqs).ReceiveAsync(queueUrl, maxMessages, waitSeconds, visibilityTimeout, cancellationToken)];

    /// <summary>Sends up to 10 bodies in one batch; entry ids are their positions.</summary>
    public static Task<BatchAnswer> SendAsync(this IAmazonSQS sqs, string queueUrl, IEnumerable<string> bodies, CancellationToken cancellationToken) =>
        new SqsQueueOperations(sqs).SendBatchAsync(
            queueUrl, bodies.Select((b, i) => new SendMessageBatchRequestEntry(i.ToString(CultureInfo.InvariantCulture), b)).ToList(), cancellationToken);

    /// <summary>Deletes up to 10 received messages in one batch.</summary>
    public static Task<BatchAnswer> DeleteAsync(this IAmazonSQS sqs, string queueUrl, IEnumerable<Message> messages, CancellationToken cancellationToken) =>
        new SqsQueueOperations(sqs).DeleteBatchAsync(
            queueUrl, messages.Select((m, i) => new DeleteMessageBatchRequestEntry(i.ToString(CultureInfo.InvariantCulture), m.ReceiptHandle)).ToList(), cancellationToken);
}
