using System.Globalization;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using ImagePattern.Function.Ledger;

namespace ImagePattern.Tool.Local;

/// <summary>
/// Reads the task table for tooling (local reports, status, drills): the item layout of DESIGN §3.3 as
/// <see cref="DynamoDbTaskLedger"/> writes it — <c>pk</c>, <c>status</c>, <c>attempts</c>, <c>lease_token</c>,
/// <c>lease_expires_at</c> (epoch ms), <c>outputs</c> (list of maps), <c>error</c>, and a consumer's <c>result</c> map. Reads are strongly consistent.
/// Tooling keeps its own reader so that the function's ledger exposes nothing for tooling's sake.
/// </summary>
/// <param name="dynamo">A DynamoDB client.</param>
/// <param name="tableName">The task table.</param>
public sealed class TaskTableReader(IAmazonDynamoDB dynamo, string tableName)
{
    /// <summary>One task, or null when the table has no item for <paramref name="taskId"/>.</summary>
    public async Task<TaskRecord?> GetAsync(string taskId, CancellationToken cancellationToken)
    {
        var response = await dynamo.GetItemAsync(
            new GetItemRequest { TableName = tableName, Key = new() { ["pk"] = new AttributeValue { S = taskId } }, ConsistentRead = true },
            cancellationToken);
        return response.Item is { Count: > 0 } item ? Read(item) : null;
    }

    /// <summary>Every task in the table (a full scan: fine locally and for modest tables).</summary>
    public async Task<IReadOnlyList<TaskRecord>> ScanAsync(CancellationToken cancellationToken)
    {
        var records = new List<TaskRecord>();
        Dictionary<string, AttributeValue>? start = null;
        do
        {
            var page = await dynamo.ScanAsync(new ScanRequest { TableName = tableName, ExclusiveStartKey = start, ConsistentRead = true }, cancellationToken);
            records.AddRange((page.Items ?? []).Select(Read));
            start = page.LastEvaluatedKey is { Count: > 0 } next ? next : null;
        }
        while (start is not null);

        return records;
    }

    /// <summary>One raw item as a record; absent attributes read as empty, zero or null.</summary>
    internal static TaskRecord Read(Dictionary<string, AttributeValue> item)
    {
        string? Text(string name) => item.GetValueOrDefault(name)?.S;
        long? Number(IReadOnlyDictionary<string, AttributeValue> from, string name) =>
            from.GetValueOrDefault(name)?.N is { } n ? long.Parse(n, NumberStyles.Integer, CultureInfo.InvariantCulture) : null;

        var state = Text("status") switch
        {
            "COMPLETED" => TaskState.Completed,
            "FAILED" => TaskState.Failed,
            _ => TaskState.InProgress,
        };
        var outputs = (item.GetValueOrDefault("outputs")?.L ?? [])
            .Select(o => o.M)
            .Select(m => new TaskOutput(
                m["key"].S,
                m["label"].S,
                (int)(Number(m, "width") ?? 0),
                (int)(Number(m, "height") ?? 0),
                Number(m, "bytes") ?? 0,
                m["format"].S))
            .ToList();
        return new TaskRecord(
            item["pk"].S,
            state,
            (int)(Number(item, "attempts") ?? 0),
            Text("lease_token"),
            Number(item, "lease_expires_at") is { } ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null,
            outputs,
            Text("error"),
            item.GetValueOrDefault("result")?.M is { Count: > 0 } m ? ReadResult(m) : null);
    }

    // A consumer's result map as DynamoDbTaskLedger writes it: S, BOOL, and N (whole numbers as long).
    private static Dictionary<string, object?> ReadResult(Dictionary<string, AttributeValue> map) =>
        map.ToDictionary(
            field => field.Key,
            field => field.Value switch
            {
                { S: { } text } => text,
                { BOOL: { } flag } => flag,
                { N: { } n } when long.TryParse(n, NumberStyles.Integer, CultureInfo.InvariantCulture, out var whole) => whole,
                { N: { } n } => (object?)double.Parse(n, NumberStyles.Float, CultureInfo.InvariantCulture),
                _ => null,
            },
            StringComparer.Ordinal);
}
