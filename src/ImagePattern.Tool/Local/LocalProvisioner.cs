using System.Globalization;
using Amazon.DynamoDBv2;
using Amazon.S3;
using Amazon.S3.Model;
using Amazon.SQS;
using Amazon.SQS.Model;

namespace ImagePattern.Tool.Local;

/// <summary>Queue URLs and ARNs the provisioner created.</summary>
public sealed record ProvisionedQueues(string QueueUrl, string QueueArn, string DeadLetterQueueUrl, string DeadLetterQueueArn);

/// <summary>Creates on the local stack what the Terraform stack creates in AWS: buckets, queue + DLQ, table, notification.</summary>
public static class LocalProvisioner
{
    /// <summary>Provisions everything in <paramref name="layout"/>; safe to run again.</summary>
    public static async Task<ProvisionedQueues> ProvisionAsync(
        LocalLayout layout, IAmazonS3 s3, IAmazonDynamoDB dynamo, IAmazonSQS sqs, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(layout);
        ArgumentNullException.ThrowIfNull(s3);
        ArgumentNullException.ThrowIfNull(sqs);
        foreach (var bucket in new[] { layout.SourceBucket, layout.OutputBucket })
        {
            try
            {
                await s3.PutBucketAsync(bucket, cancellationToken);
            }
            catch (AmazonS3Exception ex) when (ex.ErrorCode is "BucketAlreadyOwnedByYou" or "BucketAlreadyExists")
            {
                // Kept state from an earlier run.
            }
        }

        var dlqUrl = (await sqs.CreateQueueAsync(
            new CreateQueueRequest
            {
                QueueName = layout.DeadLetterQueueName,
                Attributes = new Dictionary<string, string> { ["MessageRetentionPeriod"] = Seconds(layout.DeadLetterRetention) },
            },
            cancellationToken)).QueueUrl;
        var dlqArn = await ArnOfAsync(sqs, dlqUrl, cancellationToken);

        var queueUrl = (await sqs.CreateQueueAsync(
            new CreateQueueRequest
            {
                QueueName = layout.QueueName,
                Attributes = new Dictionary<string, string>
                {
                    ["VisibilityTimeout"] = Seconds(layout.VisibilityTimeout),
                    ["MessageRetentionPeriod"] = Seconds(layout.MessageRetention),
                    ["RedrivePolicy"] = $$"""{"deadLetterTargetArn":"{{dlqArn}}","maxReceiveCount":{{layout.MaxReceiveCount}}}""",
                },
            },
            cancellationToken)).QueueUrl;
        var queueArn = await ArnOfAsync(sqs, queueUrl, cancellationToken);
        try
        {
            await sqs.SetQueueAttributesAsync(
                new SetQueueAttributesRequest
                {
                    QueueUrl = dlqUrl,
                    Attributes = new Dictionary<string, string>
                    {
                        ["RedriveAllowPolicy"] = $$"""{"redrivePermission":"byQueue","sourceQueueArns":["{{queueArn}}"]}""",
                    },
                },
                cancellationToken);
        }
        catch (InvalidAttributeNameException)
        {
            // fauxqs has no redrive-allow policy; it only restricts who may use the DLQ, which locally is nobody else.
        }

        await TasksTable.CreateAsync(dynamo, layout.TableName, cancellationToken);

        await s3.PutBucketNotificationAsync(
            new PutBucketNotificationRequest
            {
                BucketName = layout.SourceBucket,
                QueueConfigurations = layout.NotificationRules.Select(rule => new QueueConfiguration
                {
                    Id = rule.Id,
                    Queue = queueArn,
                    Events = [EventType.ObjectCreatedAll],
                    Filter = string.IsNullOrEmpty(rule.Prefix)
                        ? null
                        : new Filter { S3KeyFilter = new S3KeyFilter { FilterRules = [new FilterRule("prefix", rule.Prefix)] } },
                }).ToList(),
            },
            cancellationToken);

        return new ProvisionedQueues(queueUrl, queueArn, dlqUrl, dlqArn);
    }

    private static async Task<string> ArnOfAsync(IAmazonSQS sqs, string queueUrl, CancellationToken cancellationToken) =>
        (await sqs.GetQueueAttributesAsync(new GetQueueAttributesRequest { QueueUrl = queueUrl, AttributeNames = ["QueueArn"] }, cancellationToken)).Attributes["QueueArn"];

    private static string Seconds(TimeSpan span) => ((long)span.TotalSeconds).ToString(CultureInfo.InvariantCulture);
}
