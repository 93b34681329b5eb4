using System.Globalization;
using System.Text.Json;
using Amazon.DynamoDBv2.Model;
using Amazon.S3.Model;
using ImagePattern.Function.Events;
using ImagePattern.Tool.Local;
using ImagePattern.Tool.Emulators.LambdaEventSourceMapping;
using Amazon.SQS.Model;

namespace ImagePattern.Bench.Pipeline;

/// <summary>A notification taken off the queue, as the event source mapping would hand it to the function.</summary>
internal sealed record QueuedNotification(string Key, SqsMessage Record);

/// <summary>A task record's timestamps, read back from the table after a run.</summary>
internal sealed record TaskTimes(string Key, string Status, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

/// <summary>What the suites read from the local stack besides what the tool's own types expose.</summary>
internal static class StackProbe
{
    private static int? emulatorPid;

    public static async Task UploadAsync(LocalPipeline pipeline, string key, byte[] data, CancellationToken cancellationToken)
    {
        using var content = new MemoryStream(data, writable: false);
        await pipeline.S3.PutObjectAsync(
            new PutObjectRequest { BucketName = pipeline.Layout.SourceBucket, Key = key, InputStream = content, AutoCloseStream = false },
            cancellationToken);
    }

    /// <summary>
    /// Receives until <paramref name="count"/> object notifications are in hand (the <c>s3:TestEvent</c> that saving the
    /// configuration sent is deleted on the way). They stay invisible for the queue's visibility timeout.
    /// </summary>
    public static async Task<List<QueuedNotification>> ReceiveNotificationsAsync(LocalPipeline pipeline, int count, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var timeLimit = new CancellationTokenSource(timeout, TimeProvider.System);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeLimit.Token);
        var found = new List<QueuedNotification>(count);
        while (found.Count < count)
        {
            var received = await pipeline.Sqs.ReceiveMessageAsync(
                new ReceiveMessageRequest { QueueUrl = pipeline.Queues.QueueUrl, MaxNumberOfMessages = 10, WaitTimeSeconds = 1, MessageSystemAttributeNames = ["All"] },
                limit.Token);
            foreach (var message in received.Messages ?? [])
            {
                var body = JsonSerializer.Deserialize(message.Body, EventJsonContext.Default.S3EventNotification);
                var key = body?.Records is [{ S3.ObjectInfo.Key: { } encoded }] ? S3KeyCodec.Decode(encoded) : null;
                if (key is null)
                {
                    await pipeline.Sqs.DeleteMessageAsync(pipeline.Queues.QueueUrl, message.ReceiptHandle, limit.Token);
                    continue;
                }

                found.Add(new QueuedNotification(key, AsDelivered(pipeline, message)));
            }
        }

        return found;
    }

    /// <summary>The record shape the mapping delivers, built by the poller's own mapping.</summary>
    public static SqsMessage AsDelivered(LocalPipeline pipeline, Message message) =>
        EventSourceMappingPoller.ToSqsMessage(message, pipeline.Queues.QueueArn, pipeline.Endpoints.Region);

    /// <summary>Every task record whose source key starts with <paramref name="prefix"/>.</summary>
    public static async Task<List<TaskTimes>> ScanTasksAsync(LocalPipeline pipeline, string prefix, CancellationToken cancellationToken)
    {
        var rows = new List<TaskTimes>();
        Dictionary<string, AttributeValue>? start = null;
        do
        {
            var page = await pipeline.Dynamo.ScanAsync(
                new ScanRequest
                {
                    TableName = pipeline.Layout.TableName,
                    ProjectionExpression = "#status, #source, created_at, updated_at",
                    ExpressionAttributeNames = new Dictionary<string, string> { ["#status"] = "status", ["#source"] = "source" },
                    ExclusiveStartKey = start,
                },
                cancellationToken);
            foreach (var item in page.Items ?? [])
            {
                var key = item.TryGetValue("source", out var source) && source.M?.TryGetValue("key", out var k) == true ? k.S : null;
                if (key is not null && key.StartsWith(prefix, StringComparison.Ordinal))
                {
                    rows.Add(new TaskTimes(key, item["status"].S, Iso(item["created_at"].S), Iso(item["updated_at"].S)));
                }
            }

            start = page.LastEvaluatedKey is { Count: > 0 } next ? next : null;
        }
        while (start is not null);

        return rows;
    }

    private static DateTimeOffset Iso(string value) => DateTimeOffset.Parse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

    /// <summary>
    /// CPU time (user + system, ms) used so far by the emulators' Node process, a child of this one; null when it
    /// cannot be read (not Linux). Lets the suites say how much of a cost is the emulators'.
    /// </summary>
    public static double? EmulatorCpuMs()
    {
        var self = Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
        if (emulatorPid is { } known && ReadCpuMs(known, self) is { } cpu)
        {
            return cpu;
        }

        if (!Directory.Exists("/proc"))
        {
            return null;
        }

        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && ReadCpuMs(pid, self) is { } found)
            {
                emulatorPid = pid;
                return found;
            }
        }

        return null;
    }

    // Null unless the process is the stack script and a child of parentPid.
    private static double? ReadCpuMs(int pid, string parentPid)
    {
        try
        {
            var dir = Path.Combine("/proc", pid.ToString(CultureInfo.InvariantCulture));
            var stat = File.ReadAllText(Path.Combine(dir, "stat"));
            // Fields after the parenthesised command name: state, ppid, …; utime and stime are the 12th and 13th.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            if (fields[1] != parentPid || !File.ReadAllText(Path.Combine(dir, "cmdline")).Contains("stack.mjs", StringComparison.Ordinal))
            {
                return null;
            }

            var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
            return ticks * 10.0; // USER_HZ is 100 on Linux
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            // A process that exited meanwhile, or one we may not read.
            return null;
        }
    }
}
