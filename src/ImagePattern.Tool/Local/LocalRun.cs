using System.Diagnostics;
using System.Text.Json.Serialization;
using Amazon.S3.Model;
using ImagePattern.Function.Events;
using ImagePattern.Function.Ledger;

namespace ImagePattern.Tool.Local;

/// <summary>One thumbnail in the report.</summary>
public sealed record ReportOutput(
    [property: JsonPropertyName("key")] string Key,
    [property: JsonPropertyName("width")] int Width,
    [property: JsonPropertyName("height")] int Height,
    [property: JsonPropertyName("bytes")] long Bytes,
    [property: JsonPropertyName("format")] string Format);

/// <summary>What became of one uploaded file.</summary>
public sealed record ReportEntry(
    [property: JsonPropertyName("key")] string Key,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("expected")] string Expected,
    [property: JsonPropertyName("task_id")] string TaskId,
    [property: JsonPropertyName("outputs")] IReadOnlyList<ReportOutput> Outputs,
    [property: JsonPropertyName("error")] string? Error)
{
    /// <summary>The file reached the outcome it had to.</summary>
    [JsonPropertyName("as_expected")]
    public bool AsExpected => Status == Expected;
}

/// <summary>The machine-readable result of a local run.</summary>
public sealed record RunReport(
    [property: JsonPropertyName("entries")] IReadOnlyList<ReportEntry> Entries,
    [property: JsonPropertyName("totals")] IReadOnlyDictionary<string, int> Totals,
    [property: JsonPropertyName("wall_seconds")] double WallSeconds,
    [property: JsonPropertyName("dead_lettered")] long DeadLettered)
{
    /// <summary>Every file reached its expected outcome.</summary>
    [JsonPropertyName("ok")]
    public bool Ok => Entries.All(e => e.AsExpected);
}

[JsonSourceGenerationOptions(WriteIndented = true)]
[JsonSerializable(typeof(RunReport))]
internal sealed partial class ReportJsonContext : JsonSerializerContext;

/// <summary>Uploads files into a running local pipeline and accounts for every one of them.</summary>
public sealed class LocalRun(LocalPipeline pipeline)
{
    private sealed record Sent(Upload Upload, string TaskId);

    private readonly List<Sent> sent = [];
    private readonly Stopwatch clock = Stopwatch.StartNew();

    /// <summary>Uploads one file (in order: a duplicate must follow its original) and remembers its task id.</summary>
    public async Task UploadAsync(Upload upload, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(upload);
        using var content = new MemoryStream(upload.Data, writable: false);
        var response = await pipeline.S3.PutObjectAsync(
            new PutObjectRequest { BucketName = pipeline.Layout.SourceBucket, Key = upload.Key, InputStream = content, AutoCloseStream = false },
            cancellationToken);
        var source = new SourceObject(pipeline.Layout.SourceBucket, upload.Key, upload.Data.Length, response.ETag.Trim('"'), null, null, "ObjectCreated:Put");
        lock (sent)
        {
            sent.Add(new Sent(upload, TaskIdentity.For(source, pipeline.Settings.Recipe)));
        }
    }

    /// <summary>
    /// Waits until every task has ended and the queue is idle (so duplicate notifications were consumed too), or
    /// until <paramref name="timeout"/>; <paramref name="progress"/> gets the number of tasks ended so far.
    /// </summary>
    public async Task<RunReport> WaitAsync(TimeSpan timeout, Action<int, int>? progress = null, CancellationToken cancellationToken = default)
    {
        var tasks = sent.Select(s => s.TaskId).Distinct(StringComparer.Ordinal).ToList();
        var records = new Dictionary<string, TaskRecord>(StringComparer.Ordinal);
        var until = DateTimeOffset.UtcNow + timeout;
        var idleSeen = 0;
        while (DateTimeOffset.UtcNow < until)
        {
            foreach (var id in tasks.Where(t => !records.TryGetValue(t, out var r) || r.Status == TaskState.InProgress))
            {
                if (await pipeline.Tasks.GetAsync(id, cancellationToken) is { } record)
                {
                    records[id] = record;
                }
            }

            var ended = records.Values.Count(r => r.Status != TaskState.InProgress);
            progress?.Invoke(ended, tasks.Count);
            if (ended == tasks.Count)
            {
                var status = await ReadStatusAsync(cancellationToken);
                // Twice idle in a row: a redelivery may be between receive and visibility.
                idleSeen = status.Idle ? idleSeen + 1 : 0;
                if (idleSeen >= 2)
                {
                    break;
                }
            }

            await Task.Delay(TimeSpan.FromMilliseconds(250), cancellationToken);
        }

        return await BuildReportAsync(records, cancellationToken);
    }

    private Task<PipelineStatus> ReadStatusAsync(CancellationToken cancellationToken) =>
        PipelineStatus.ReadAsync(pipeline.Sqs, pipeline.Queues.QueueUrl, pipeline.Queues.DeadLetterQueueUrl, pipeline.Dynamo, pipeline.Layout.TableName, cancellationToken);

    private async Task<RunReport> BuildReportAsync(Dictionary<string, TaskRecord> records, CancellationToken cancellationToken)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var entries = new List<ReportEntry>();
        foreach (var (upload, taskId) in sent)
        {
            var first = seen.Add(taskId);
            records.TryGetValue(taskId, out var record);
            var status = record?.Status switch
            {
                null or TaskState.InProgress => Expected.Missing,
                _ when !first => Expected.Duplicate,
                TaskState.Completed => Expected.Completed,
                _ => Expected.Failed,
            };
            var outputs = record?.Outputs.Select(o => new ReportOutput(o.Key, o.Width, o.Height, o.Bytes, o.Format)).ToList() ?? [];
            entries.Add(new ReportEntry(upload.Key, status, upload.Expect, taskId, first ? outputs : [], first ? record?.Error : null));
        }

        var totals = entries.GroupBy(e => e.Status).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var final = await ReadStatusAsync(cancellationToken);
        return new RunReport(entries, totals, Math.Round(clock.Elapsed.TotalSeconds, 2), final.DeadLettered);
    }
}
