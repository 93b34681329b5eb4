using System.Globalization;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using ImagePattern.Function.Events;

namespace ImagePattern.Function.Ledger;

/// <summary>
/// <see cref="ITaskLedger"/> on a DynamoDB table keyed by <c>pk</c>, TTL on <c>expires_at</c>.
/// Works whether or not the endpoint honours <c>ReturnValuesOnConditionCheckFailure</c> (dynalite ignores it).
/// </summary>
public sealed class DynamoDbTaskLedger(IAmazonDynamoDB dynamo, string tableName, TimeSpan retention, TimeProvider time) : ITaskLedger
{
    private const string InProgress = "IN_PROGRESS";
    private const string Completed = "COMPLETED";
    private const string Failed = "FAILED";

    // A claim races another worker at most a couple of times (record vanished by TTL, lease expired in between).
    private const int MaxClaimRounds = 3;

    private const string ClaimUpdate =
        "SET #status = :in_progress, lease_token = :token, lease_expires_at = :lease, #source = :source, " +
        "created_at = if_not_exists(created_at, :now_iso), updated_at = :now_iso, expires_at = :expires " +
        "ADD attempts :one";

    private const string ClaimCondition = "attribute_not_exists(pk) OR (#status = :in_progress AND lease_expires_at < :now_ms)";

    // Reserved words in DynamoDB expressions; DynamoDB also rejects names an expression does not use.
    private static readonly Dictionary<string, string> Names = new()
    {
        ["#status"] = "status",
        ["#source"] = "source",
        ["#error"] = "error",
        ["#result"] = "result",
    };

    /// <inheritdoc />
    public async Task<ClaimResult> ClaimAsync(string taskId, SourceObject source, DateTimeOffset leaseExpiresAt, CancellationToken cancellationToken)
    {
        for (var round = 1; ; round++)
        {
            var now = time.GetUtcNow();
            var token = Guid.NewGuid().ToString("N");
            // UpdateItem rather than PutItem: an upsert under the same condition that keeps created_at and counts attempts.
            var request = new UpdateItemRequest
            {
                TableName = tableName,
                Key = KeyOf(taskId),
                UpdateExpression = ClaimUpdate,
                ConditionExpression = ClaimCondition,
                ExpressionAttributeNames = NamesUsedIn(ClaimUpdate + ClaimCondition),
                ExpressionAttributeValues = new Dictionary<string, AttributeValue>
                {
                    [":in_progress"] = S(InProgress),
                    [":token"] = S(token),
                    [":lease"] = N(leaseExpiresAt.ToUnixTimeMilliseconds()),
                    [":source"] = SourceAttribute(source),
                    [":now_iso"] = S(Iso(now)),
                    [":now_ms"] = N(now.ToUnixTimeMilliseconds()),
                    [":expires"] = N((now + retention).ToUnixTimeSeconds()),
                    [":one"] = N(1),
                },
                ReturnValues = ReturnValue.ALL_NEW,
                ReturnValuesOnConditionCheckFailure = ReturnValuesOnConditionCheckFailure.ALL_OLD,
            };

            Dictionary<string, AttributeValue>? existing;
            try
            {
                var response = await dynamo.UpdateItemAsync(request, cancellationToken);
                return new ClaimResult.Claimed(token, IntOf(response.Attributes, "attempts"));
            }
            catch (ConditionalCheckFailedException ex)
            {
                existing = ex.Item is { Count: > 0 } ? ex.Item : await GetItemAsync(taskId, cancellationToken);
            }

            if (existing is not null)
            {
                var status = StatusOf(existing);
                if (status != TaskState.InProgress)
                {
                    return new ClaimResult.Finished(status);
                }

                var leaseEnd = DateTimeOffset.FromUnixTimeMilliseconds(LongOf(existing, "lease_expires_at"));
                if (leaseEnd >= time.GetUtcNow() || round >= MaxClaimRounds)
                {
                    return new ClaimResult.HeldByAnother(leaseEnd);
                }
            }
            else if (round >= MaxClaimRounds)
            {
                return new ClaimResult.HeldByAnother(time.GetUtcNow());
            }
        }
    }

    /// <inheritdoc />
    public Task<bool> CompleteAsync(string taskId, string leaseToken, TaskCompletion completion, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(completion);
        var now = time.GetUtcNow();
        var values = new Dictionary<string, AttributeValue>
        {
            [":status"] = S(Completed),
            [":outputs"] = new() { L = completion.Outputs.Select(OutputAttribute).ToList() },
            [":now_iso"] = S(Iso(now)),
            [":expires"] = N((now + retention).ToUnixTimeSeconds()),
        };
        var update = "SET #status = :status, outputs = :outputs, updated_at = :now_iso, expires_at = :expires";
        if (completion.Result is { Count: > 0 } result)
        {
            update += ", #result = :result";
            values[":result"] = ResultAttribute(result);
        }

        return FencedUpdateAsync(taskId, leaseToken, update + " REMOVE lease_token, lease_expires_at, #error", values, cancellationToken);
    }

    /// <inheritdoc />
    public Task<bool> FailAsync(string taskId, string leaseToken, string reason, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        return FencedUpdateAsync(
            taskId,
            leaseToken,
            "SET #status = :status, #error = :error, updated_at = :now_iso, expires_at = :expires REMOVE lease_token, lease_expires_at",
            new Dictionary<string, AttributeValue>
            {
                [":status"] = S(Failed),
                [":error"] = S(Truncate(reason)),
                [":now_iso"] = S(Iso(now)),
                [":expires"] = N((now + retention).ToUnixTimeSeconds()),
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public Task ReleaseAsync(string taskId, string leaseToken, string reason, CancellationToken cancellationToken) =>
        // Expiring the lease (rather than deleting the item) keeps the attempt count for the next claim.
        FencedUpdateAsync(
            taskId,
            leaseToken,
            "SET lease_expires_at = :zero, #error = :error, updated_at = :now_iso",
            new Dictionary<string, AttributeValue>
            {
                [":zero"] = N(0),
                [":error"] = S(Truncate(reason)),
                [":now_iso"] = S(Iso(time.GetUtcNow())),
            },
            cancellationToken);

    /// <inheritdoc />
    public async Task<TaskRecord?> GetAsync(string taskId, CancellationToken cancellationToken)
    {
        var item = await GetItemAsync(taskId, cancellationToken);
        return item is null ? null : ToRecord(item);
    }

    private static TaskRecord ToRecord(Dictionary<string, AttributeValue> item)
    {
        ArgumentNullException.ThrowIfNull(item);
        var lease = item.TryGetValue("lease_expires_at", out var l) && l.N is not null ? LongOf(item, "lease_expires_at") : (long?)null;
        var outputs = item.TryGetValue("outputs", out var o) && o.L is not null
            ? o.L.Select(ReadOutput).ToList()
            : [];
        return new TaskRecord(
            item["pk"].S,
            StatusOf(item),
            IntOf(item, "attempts"),
            item.TryGetValue("lease_token", out var t) ? t.S : null,
            lease is null ? null : DateTimeOffset.FromUnixTimeMilliseconds(lease.Value),
            outputs,
            item.TryGetValue("error", out var e) ? e.S : null,
            item.TryGetValue("result", out var r) && r.M is { Count: > 0 } ? ReadResult(r.M) : null);
    }

    private async Task<bool> FencedUpdateAsync(
        string taskId, string leaseToken, string update, Dictionary<string, AttributeValue> values, CancellationToken cancellationToken)
    {
        values[":mine"] = S(leaseToken);
        try
        {
            await dynamo.UpdateItemAsync(
                new UpdateItemRequest
                {
                    TableName = tableName,
                    Key = KeyOf(taskId),
                    UpdateExpression = update,
                    ConditionExpression = "lease_token = :mine",
                    ExpressionAttributeNames = NamesUsedIn(update),
                    ExpressionAttributeValues = values,
                },
                cancellationToken);
            return true;
        }
        catch (ConditionalCheckFailedException)
        {
            return false;
        }
    }

    private async Task<Dictionary<string, AttributeValue>?> GetItemAsync(string taskId, CancellationToken cancellationToken)
    {
        var response = await dynamo.GetItemAsync(
            new GetItemRequest { TableName = tableName, Key = KeyOf(taskId), ConsistentRead = true },
            cancellationToken);
        return response.Item is { Count: > 0 } item ? item : null;
    }

    private static Dictionary<string, string> NamesUsedIn(string expression) =>
        Names.Where(n => expression.Contains(n.Key, StringComparison.Ordinal)).ToDictionary();

    private static Dictionary<string, AttributeValue> KeyOf(string taskId) => new() { ["pk"] = S(taskId) };

    private static AttributeValue SourceAttribute(SourceObject source) => new()
    {
        M = new Dictionary<string, AttributeValue>
        {
            ["bucket"] = S(source.Bucket),
            ["key"] = S(source.Key),
            ["etag"] = S(source.ETag),
            ["size"] = N(source.Size),
        },
    };

    private static AttributeValue OutputAttribute(TaskOutput output) => new()
    {
        M = new Dictionary<string, AttributeValue>
        {
            ["key"] = S(output.Key),
            ["label"] = S(output.Label),
            ["width"] = N(output.Width),
            ["height"] = N(output.Height),
            ["bytes"] = N(output.Bytes),
            ["format"] = S(output.Format),
        },
    };

    private static AttributeValue ResultAttribute(IReadOnlyDictionary<string, object?> result)
    {
        var map = new Dictionary<string, AttributeValue>();
        foreach (var (name, value) in result)
        {
            // Absent facts are left out rather than stored as NULLs.
            switch (value)
            {
                case null: break;
                case string text: map[name] = S(Truncate(text)); break;
                case bool flag: map[name] = new AttributeValue { BOOL = flag }; break;
                case int number: map[name] = N(number); break;
                case long number: map[name] = N(number); break;
                case double number: map[name] = new AttributeValue { N = number.ToString("R", CultureInfo.InvariantCulture) }; break;
                default: throw new ArgumentException($"result '{name}' is a {value.GetType().Name}: only string, bool, int, long and double are stored", nameof(result));
            }
        }

        return new AttributeValue { M = map };
    }

    /// <summary>The <c>result</c> map as written: S as string, BOOL as bool, N as long when whole, else double.</summary>
    internal static Dictionary<string, object?> ReadResult(Dictionary<string, AttributeValue> map)
    {
        var result = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (name, value) in map)
        {
            result[name] = value switch
            {
                { S: { } text } => text,
                { BOOL: { } flag } => flag,
                { N: { } number } when long.TryParse(number, NumberStyles.Integer, CultureInfo.InvariantCulture, out var whole) => whole,
                { N: { } number } => double.Parse(number, NumberStyles.Float, CultureInfo.InvariantCulture),
                _ => null,
            };
        }

        return result;
    }

    private static TaskOutput ReadOutput(AttributeValue value)
    {
        var m = value.M;
        return new TaskOutput(m["key"].S, m["label"].S, IntOf(m, "width"), IntOf(m, "height"), LongOf(m, "bytes"), m["format"].S);
    }

    private static TaskState StatusOf(Dictionary<string, AttributeValue> item) =>
        item.TryGetValue("status", out var s) ? s.S switch
        {
            Completed => TaskState.Completed,
            Failed => TaskState.Failed,
            _ => TaskState.InProgress,
        } : TaskState.InProgress;

    private static long LongOf(Dictionary<string, AttributeValue>? item, string name) =>
        item is not null && item.TryGetValue(name, out var v) && v.N is not null
            ? long.Parse(v.N, NumberStyles.Integer, CultureInfo.InvariantCulture)
            : 0;

    private static int IntOf(Dictionary<string, AttributeValue>? item, string name) => (int)LongOf(item, name);

    private static AttributeValue S(string value) => new() { S = value };

    private static AttributeValue N(long value) => new() { N = value.ToString(CultureInfo.InvariantCulture) };

    private static string Iso(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private static string Truncate(string text) => text.Length <= 1000 ? text : text[..1000];
}
