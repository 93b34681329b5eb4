using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;

namespace ImagePattern.Tool.Local;

/// <summary>The task table as <c>terraform/modules/tasks_table</c> defines it: key <c>pk</c> (S), on demand, TTL on <c>expires_at</c>.</summary>
public static class TasksTable
{
    /// <summary>Partition key name.</summary>
    public const string PartitionKey = "pk";

    /// <summary>TTL attribute name (epoch seconds).</summary>
    public const string TtlAttribute = "expires_at";

    /// <summary>Creates the table if it does not exist and waits until it is active.</summary>
    public static async Task CreateAsync(IAmazonDynamoDB dynamo, string name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dynamo);
        try
        {
            await dynamo.CreateTableAsync(
                new CreateTableRequest
                {
                    TableName = name,
                    BillingMode = BillingMode.PAY_PER_REQUEST,
                    AttributeDefinitions = [new AttributeDefinition(PartitionKey, ScalarAttributeType.S)],
                    KeySchema = [new KeySchemaElement(PartitionKey, KeyType.HASH)],
                },
                cancellationToken);
        }
        catch (ResourceInUseException)
        {
            // Already there (a kept local state, or a second run): creation is idempotent.
        }

        for (var i = 0; i < 100; i++)
        {
            var table = await dynamo.DescribeTableAsync(name, cancellationToken);
            if (table.Table.TableStatus == TableStatus.ACTIVE)
            {
                break;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(50), TimeProvider.System, cancellationToken);
        }

        try
        {
            await dynamo.UpdateTimeToLiveAsync(
                new UpdateTimeToLiveRequest
                {
                    TableName = name,
                    TimeToLiveSpecification = new TimeToLiveSpecification { AttributeName = TtlAttribute, Enabled = true },
                },
                cancellationToken);
        }
        catch (AmazonDynamoDBException ex) when (ex.ErrorCode is "UnknownOperationException" or "ValidationException")
        {
            // dynalite has no TTL API; expiry only matters in AWS, where Terraform enables it.
        }
    }
}
