using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using Amazon.DynamoDBv2;
using Amazon.S3;
using Amazon.S3.Model;
using Amazon.SQS;
using Amazon.SQS.Model;

namespace ImagePattern.Tool.Local;

/// <summary>
/// Queue URLs and ARNs the provisioner created: the thumbnailer's, and in <see cref="Consumers"/> every running
/// consumer's (<see cref="LocalLayout.Consumers"/>, the thumbnailer first).
/// </summary>
public sealed record ProvisionedQueues(string QueueUrl, string QueueArn, string DeadLetterQueueUrl, string DeadLetterQueueArn)
{
    /// <summary>Each running consumer's queue and DLQ by handler name, in <see cref="LocalLayout.Consumers"/> order.</summary>
    public IReadOnlyDictionary<string, ProvisionedQueues> Consumers { get; init; } = new Dictionary<string, ProvisionedQueues>();
}

/// <summary>
/// Creates on the local stack what the Terraform stack creates in AWS: buckets, queue + DLQ, table, and the route of
/// <see cref="LocalLayout.Trigger"/> — a queue notification, or (fan-out) a queue + DLQ and table for each further
/// consumer and an SNS topic with one subscription per consumer queue, or one EventBridge rule and target per consumer. Order as Terraform's dependencies give it: queues, then topic/rules, then the bucket notification
/// (local/README.md, "Fan-out"). SNS and EventBridge calls are plain HTTP on the stack's port: no .NET SDK for
/// either is pinned.
/// </summary>
public static class LocalProvisioner
{
    /// <summary>Provisions everything in <paramref name="layout"/>; safe to run again.</summary>
    /// <param name="layout">Names and settings.</param>
    /// <param name="s3">S3 client on the stack.</param>
    /// <param name="dynamo">DynamoDB client on the stack.</param>
    /// <param name="sqs">SQS client on the stack.</param>
    /// <param name="stack">The stack's S3/SQS/SNS/EventBridge port (its SQS endpoint), for the SNS and EventBridge calls.</param>
    /// <param name="cancellationToken">Cancels provisioning.</param>
    /// <exception cref="InvalidOperationException">The SNS or EventBridge emulation refused a call (its message is included).</exception>
    public static async Task<ProvisionedQueues> ProvisionAsync(
        LocalLayout layout, IAmazonS3 s3, IAmazonDynamoDB dynamo, IAmazonSQS sqs, Uri stack, CancellationToken cancellationToken = default)
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

        var byConsumer = new Dictionary<string, ProvisionedQueues>(StringComparer.Ordinal);
        foreach (var consumer in layout.Consumers)
        {
            byConsumer[consumer] = await CreateQueueAsync(layout, layout.QueueNameOf(consumer), layout.DeadLetterQueueNameOf(consumer), sqs, cancellationToken);
            await TasksTable.CreateAsync(dynamo, layout.TableNameOf(consumer), cancellationToken);
        }

        var queues = byConsumer[LocalLayout.Thumbnails] with { Consumers = byConsumer };
        var consumerQueueArns = byConsumer.ToDictionary(c => c.Key, c => c.Value.QueueArn, StringComparer.Ordinal);

        var request = new PutBucketNotificationRequest { BucketName = layout.SourceBucket };
        switch (layout.Trigger)
        {
            case "sns-fanout":
                using (var http = new HttpClient { BaseAddress = stack })
                {
                    var topicArn = await CreateTopicAsync(http, layout.TopicName, cancellationToken);
                    foreach (var consumer in layout.Consumers)
                    {
                        // Enveloped, not raw: the function reads the SNS envelope, as terraform/main.tf subscribes it.
                        await SnsAsync(
                            http,
                            new()
                            {
                                ["Action"] = "Subscribe", ["TopicArn"] = topicArn, ["Protocol"] = "sqs", ["Endpoint"] = consumerQueueArns[consumer],
                                ["Attributes.entry.1.key"] = "RawMessageDelivery", ["Attributes.entry.1.value"] = "false",
                            },
                            cancellationToken);
                    }

                    request.TopicConfigurations = layout.NotificationRules.Select(rule => new TopicConfiguration
                    {
                        Id = rule.Id,
                        Topic = topicArn,
                        Events = [EventType.ObjectCreatedAll],
                        Filter = PrefixFilter(rule.Prefix),
                    }).ToList();
                }

                break;
            case "eventbridge":
                using (var http = new HttpClient { BaseAddress = stack })
                {
                    foreach (var consumer in layout.Consumers)
                    {
                        var rule = layout.RuleName(consumer);
                        await EventsAsync(http, "PutRule", new JsonObject { ["Name"] = rule, ["EventPattern"] = layout.EventPattern }, cancellationToken);
                        await EventsAsync(
                            http,
                            "PutTargets",
                            new JsonObject { ["Rule"] = rule, ["Targets"] = new JsonArray(new JsonObject { ["Id"] = "queue", ["Arn"] = consumerQueueArns[consumer] }) },
                            cancellationToken);
                    }
                }

                request.EventBridgeConfiguration = new EventBridgeConfiguration();
                break;
            default:
                request.QueueConfigurations = layout.NotificationRules.Select(rule => new QueueConfiguration
                {
                    Id = rule.Id,
                    Queue = queues.QueueArn,
                    Events = [EventType.ObjectCreatedAll],
                    Filter = PrefixFilter(rule.Prefix),
                }).ToList();
                break;
        }

        await s3.PutBucketNotificationAsync(request, cancellationToken);
        return queues;
    }

    private static Filter? PrefixFilter(string prefix) =>
        string.IsNullOrEmpty(prefix) ? null : new Filter { S3KeyFilter = new S3KeyFilter { FilterRules = [new FilterRule("prefix", prefix)] } };

    private static async Task<ProvisionedQueues> CreateQueueAsync(LocalLayout layout, string name, string dlqName, IAmazonSQS sqs, CancellationToken cancellationToken)
    {
        var dlqUrl = (await sqs.CreateQueueAsync(
            new CreateQueueRequest
            {
                QueueName = dlqName,
                Attributes = new Dictionary<string, string> { ["MessageRetentionPeriod"] = Seconds(layout.DeadLetterRetention) },
            },
            cancellationToken)).QueueUrl;
        var dlqArn = await ArnOfAsync(sqs, dlqUrl, cancellationToken);

        var queueUrl = (await sqs.CreateQueueAsync(
            new CreateQueueRequest
            {
                QueueName = name,
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

        return new ProvisionedQueues(queueUrl, queueArn, dlqUrl, dlqArn);
    }

    private static async Task<string> CreateTopicAsync(HttpClient http, string name, CancellationToken cancellationToken)
    {
        var answer = await SnsAsync(http, new() { ["Action"] = "CreateTopic", ["Name"] = name }, cancellationToken);
        return answer.Descendants().FirstOrDefault(e => e.Name.LocalName == "TopicArn")?.Value
            ?? throw new InvalidOperationException($"SNS CreateTopic answered without a TopicArn: {answer}");
    }

    // SNS query protocol: a form POST to the service root, an XML answer.
    private static async Task<XDocument> SnsAsync(HttpClient http, Dictionary<string, string> form, CancellationToken cancellationToken)
    {
        form["Version"] = "2010-03-31";
        using var content = new FormUrlEncodedContent(form);
        using var response = await http.PostAsync(new Uri("/", UriKind.Relative), content, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"SNS {form["Action"]} failed ({(int)response.StatusCode}): {body}");
        }

        return XDocument.Parse(body);
    }

    // EventBridge JSON 1.1 protocol: the action in X-Amz-Target.
    private static async Task EventsAsync(HttpClient http, string action, JsonObject body, CancellationToken cancellationToken)
    {
        using var content = new StringContent(body.ToJsonString(), Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-amz-json-1.1");
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/", UriKind.Relative)) { Content = content };
        request.Headers.Add("X-Amz-Target", $"AWSEvents.{action}");
        using var response = await http.SendAsync(request, cancellationToken);
        var answer = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode || (action == "PutTargets" && JsonNode.Parse(answer)?["FailedEntryCount"]?.GetValue<int>() is > 0))
        {
            throw new InvalidOperationException($"EventBridge {action} failed ({(int)response.StatusCode}): {answer}");
        }
    }

    private static async Task<string> ArnOfAsync(IAmazonSQS sqs, string queueUrl, CancellationToken cancellationToken) =>
        (await sqs.GetQueueAttributesAsync(new GetQueueAttributesRequest { QueueUrl = queueUrl, AttributeNames = ["QueueArn"] }, cancellationToken)).Attributes["QueueArn"];

    private static string Seconds(TimeSpan span) => ((long)span.TotalSeconds).ToString(CultureInfo.InvariantCulture);
}
