using System.Globalization;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.SQS;
using Amazon.SQS.Model;

namespace ImagePattern.Tool.Local;

/// <summary>A snapshot of the pipeline: queue depths and task counts by status.</summary>
public sealed record PipelineStatus(long Queued, long InFlight, long DeadLettered, IReadOnlyDictionary<string, long> Tasks)
{
    /// <summary>Nothing waiting or being worked on.</summary>
    public bool Idle => Queued == 0 && InFlight == 0;

    /// <summary>Reads queue attributes and scans the task table (fine for local and modest tables).</summary>
    public static async Task<PipelineStatus> ReadAsync(
        IAmazonSQS sqs, string queueUrl, string deadLetterQueueUrl, IAmazonDynamoDB dynamo, string table, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sqs);
        ArgumentNullException.ThrowIfNull(dynamo);
        string[] depth = ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"];
        var queue = (await sqs.GetQueueAttributesAsync(new GetQueueAttributesRequest { QueueUrl = queueUrl, AttributeNames = [.. depth] }, cancellationToken)).Attributes ?? [];
        var dlq = (await sqs.GetQueueAttributesAsync(new GetQueueAttributesRequest { QueueUrl = deadLetterQueueUrl, AttributeNames = [.. depth] }, cancellationToken)).Attributes ?? [];

        var counts = new SortedDictionary<string, long>(StringComparer.Ordinal);
        Dictionary<string, AttributeValue>? start = null;
        do
        {
            var page = await dynamo.ScanAsync(
                new ScanRequest
                {
                    TableName = table,
                    ProjectionExpression = "#s",
                    ExpressionAttributeNames = new Dictionary<string, string> { ["#s"] = "status" },
                    ExclusiveStartKey = start,
                },
                cancellationToken);
            foreach (var item in page.Items ?? [])
            {
                var status = item.TryGetValue("status", out var s) ? s.S : "UNKNOWN";
                counts[status] = counts.GetValueOrDefault(status) + 1;
            }

            start = page.LastEvaluatedKey is { Count: > 0 } next ? next : null;
        }
        while (start is not null);

        return new PipelineStatus(
            Number(queue, depth[0]),
            Number(queue, depth[1]),
            Number(dlq, depth[0]) + Number(dlq, depth[1]),
            counts);
    }

    private static long Number(Dictionary<string, string> attributes, string name) =>
        attributes.TryGetValue(name, out var raw) ? long.Parse(raw, CultureInfo.InvariantCulture) : 0;
}
