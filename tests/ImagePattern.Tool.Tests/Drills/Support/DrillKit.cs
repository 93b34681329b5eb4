using Amazon.DynamoDBv2;
using Amazon.S3;
using Amazon.S3.Model;
using Amazon.SQS.Model;
using ImagePattern.Function.Ledger;
using ImagePattern.Testing;
using ImagePattern.Tool.Local;
using ImagePattern.Tool.Tests.Support;

namespace ImagePattern.Tool.Tests.Drills.Support;

/// <summary>Small shared steps of the drills: reading the table, the queues and the output bucket; waiting.</summary>
public static class DrillKit
{
    public static Task<IReadOnlyList<TaskRecord>> ScanTasksAsync(IAmazonDynamoDB dynamo, string table, CancellationToken cancellationToken) =>
        new TaskTableReader(dynamo, table).ScanAsync(cancellationToken);

    public static Task<PipelineStatus> StatusAsync(LocalPipeline pipeline, CancellationToken cancellationToken) =>
        StatusAsync(pipeline, pipeline.Consumers[0], cancellationToken);

    /// <summary>The queue, DLQ and table of <paramref name="consumer"/>.</summary>
    public static Task<PipelineStatus> StatusAsync(LocalPipeline pipeline, LocalConsumer consumer, CancellationToken cancellationToken) =>
        PipelineStatus.ReadAsync(pipeline.Sqs, consumer.Queues.QueueUrl, consumer.Queues.DeadLetterQueueUrl, pipeline.Dynamo, consumer.TableName, cancellationToken);

    /// <summary>Polls <paramref name="condition"/> until it holds or <paramref name="limit"/> passes; returns whether it held.</summary>
    public static Task<bool> WaitUntilAsync(Func<Task<bool>> condition, TimeSpan limit, CancellationToken cancellationToken, int pollMilliseconds = 200) =>
        Eventually.HoldsAsync(condition, limit, cancellationToken, TimeSpan.FromMilliseconds(pollMilliseconds));

    public static async Task<IReadOnlyList<S3Object>> ListAsync(IAmazonS3 s3, string bucket, CancellationToken cancellationToken)
    {
        var all = new List<S3Object>();
        string? token = null;
        do
        {
            var page = await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket, ContinuationToken = token }, cancellationToken);
            all.AddRange(page.S3Objects ?? []);
            token = page.IsTruncated == true ? page.NextContinuationToken : null;
        }
        while (token is not null);

        return all;
    }

    /// <summary>
    /// What a process hosting the function needs: the stack's endpoints and the layout's settings for
    /// <paramref name="consumer"/> (the thumbnailer's function settings by default).
    /// </summary>
    public static Dictionary<string, string> WorkerEnvironment(LocalPipeline pipeline, Uri? dynamoDbEndpoint = null, string consumer = LocalLayout.Thumbnails)
    {
        var environment = pipeline.Endpoints.EnvironmentVariablesFor(pipeline.Layout.AccessKeyId(consumer, "function")).Concat(pipeline.Layout.EnvironmentOf(consumer)).ToDictionary();
        if (dynamoDbEndpoint is not null)
        {
            environment["AWS_ENDPOINT_URL_DYNAMODB"] = dynamoDbEndpoint.ToString().TrimEnd('/');
        }

        environment["POWERTOOLS_LOG_LEVEL"] = "INFO";
        return environment;
    }

    /// <summary>Takes <paramref name="expected"/> messages off the queue (within 3 minutes), to hand them to the function in chosen batches.</summary>
    public static Task<List<Message>> DrainAsync(LocalPipeline pipeline, int expected, CancellationToken cancellationToken) =>
        DrainAsync(pipeline, pipeline.Queues.QueueUrl, expected, cancellationToken);

    /// <summary>Takes <paramref name="expected"/> messages off <paramref name="queueUrl"/> (within 3 minutes).</summary>
    public static async Task<List<Message>> DrainAsync(LocalPipeline pipeline, string queueUrl, int expected, CancellationToken cancellationToken)
    {
        var found = new List<Message>();
        // Each receive long-polls for up to a second, so the wait needs no pause of its own.
        await Eventually.HoldsAsync(
            async () =>
            {
                found.AddRange(await pipeline.Sqs.ReceiveAsync(queueUrl, Math.Min(10, expected - found.Count), 1, 300, cancellationToken));
                return found.Count >= expected;
            },
            TimeSpan.FromMinutes(3),
            cancellationToken,
            TimeSpan.Zero);

        Assert.Equal(expected, found.Count);
        return found;
    }
}
