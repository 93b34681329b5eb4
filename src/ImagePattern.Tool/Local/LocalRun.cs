using System.Globalization;
using System.Text.Json.Serialization;
using Amazon.Runtime;
using Amazon.S3.Model;
using ImagePattern.Function.Events;
using ImagePattern.Function.Ledger;
using ImagePattern.Function.Pipeline;

namespace ImagePattern.Tool.Local;

/// <summary>One thumbnail in the report.</summary>
public sealed record ReportOutput(
    [property: JsonPropertyName("key")] string Key,
    [property: JsonPropertyName("width")] int Width,
    [property: JsonPropertyName("height")] int Height,
    [property: JsonPropertyName("bytes")] long Bytes,
    [property: JsonPropertyName("format")] string Format);

/// <summary>Another consumer's record of one upload (fan-out modes): the thumbnailer's peers in <see cref="LocalLayout.Consumers"/>.</summary>
/// <param name="Status">COMPLETED, FAILED, or MISSING while (or if never) recorded.</param>
/// <param name="Result">The record's <c>result</c> map, values as text (empty when it has none).</param>
/// <param name="Error">The FAILED record's reason.</param>
/// <param name="Expected">The outcome it had to record (<see cref="ExpectedOf"/>).</param>
public sealed record ReportConsumer(
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("result")] IReadOnlyDictionary<string, string> Result,
    [property: JsonPropertyName("error")] string? Error,
    [property: JsonPropertyName("expected")] string Expected)
{
    /// <summary>
    /// What <paramref name="consumer"/> must record of an upload whose thumbnail task ended <paramref name="thumbnails"/>
    /// (COMPLETED or FAILED): the same outcome when it decodes images (an image thumbnailed is an image described; a
    /// file that is not one fails all), COMPLETED when it takes any bytes (<see cref="Consumer.DecodesImages"/>).
    /// </summary>
    public static string ExpectedOf(Consumer consumer, string thumbnails)
    {
        ArgumentNullException.ThrowIfNull(consumer);
        return consumer.DecodesImages ? thumbnails : Local.Expected.Completed;
    }
}

/// <summary>What became of one uploaded file.</summary>
/// <param name="Key">Object key in the source bucket.</param>
/// <param name="Status">Observed outcome: COMPLETED, FAILED, DUPLICATE, IGNORED, SKIPPED, LOST or MISSING (see <see cref="Expected"/>).</param>
/// <param name="Expected">The outcome it had to reach, or ENDED (<see cref="Local.Expected.Ended"/>) for a user's file.</param>
/// <param name="TaskId">Its task id (whether or not a task was recorded).</param>
/// <param name="Outputs">Thumbnails of a completed task.</param>
/// <param name="Error">The FAILED task's reason.</param>
/// <param name="Reason">Why a SKIPPED, IGNORED or LOST upload got no task.</param>
/// <param name="Consumers">
/// In fan-out modes, each other consumer's record (by handler name) of an upload whose thumbnail task ended; null
/// otherwise.
/// </param>
public sealed record ReportEntry(
    [property: JsonPropertyName("key")] string Key,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("expected")] string Expected,
    [property: JsonPropertyName("task_id")] string TaskId,
    [property: JsonPropertyName("outputs")] IReadOnlyList<ReportOutput> Outputs,
    [property: JsonPropertyName("error")] string? Error,
    [property: JsonPropertyName("reason")] string? Reason = null,
    [property: JsonPropertyName("consumers")] IReadOnlyDictionary<string, ReportConsumer>? Consumers = null)
{
    /// <summary>
    /// The file reached the outcome it had to, and where other consumers run, each recorded the first upload of every
    /// ended task with the outcome it had to (<see cref="ReportConsumer.ExpectedOf"/>).
    /// </summary>
    /// <remarks>
    /// A user's file (<see cref="Local.Expected.Ended"/>) is as expected when it ended with a reason: COMPLETED or a
    /// DUPLICATE, FAILED with an error, IGNORED or SKIPPED with why — and every other consumer recorded it too.
    /// </remarks>
    [JsonPropertyName("as_expected")]
    public bool AsExpected => Expected == Local.Expected.Ended
        ? Status switch
        {
            Local.Expected.Completed or Local.Expected.Duplicate => true,
            Local.Expected.Failed => Error is not null,
            Local.Expected.Ignored or Local.Expected.Skipped => Reason is not null,
            _ => false,
        } && (Consumers is null || Consumers.Values.All(c => c.Status != Local.Expected.Missing))
        : Status == Expected && (Consumers is null || Consumers.Values.All(c => c.Status == c.Expected));
}

/// <summary>The machine-readable result of a local run.</summary>
public sealed record RunReport(
    [property: JsonPropertyName("entries")] IReadOnlyList<ReportEntry> Entries,
    [property: JsonPropertyName("totals")] IReadOnlyDictionary<string, int> Totals,
    [property: JsonPropertyName("wall_seconds")] double WallSeconds,
    [property: JsonPropertyName("dead_lettered")] long DeadLettered)
{
    /// <summary>Every file reached its expected outcome and no consumer dead-lettered a message.</summary>
    [JsonPropertyName("ok")]
    public bool Ok => DeadLettered == 0 && Entries.All(e => e.AsExpected);
}

/// <summary>How far a run is while it waits: uploads accounted for so far, by outcome.</summary>
/// <param name="Accounted">Uploads whose outcome is known.</param>
/// <param name="Total">Uploads sent.</param>
/// <param name="ByOutcome">Known outcomes and their counts.</param>
public sealed record RunProgress(int Accounted, int Total, IReadOnlyDictionary<string, int> ByOutcome)
{
    /// <summary>For example <c>3/5 accounted for: COMPLETED 2, SKIPPED 1</c>.</summary>
    public override string ToString() =>
        $"{Accounted}/{Total} accounted for" + (ByOutcome.Count == 0 ? "" : ": " + string.Join(", ", ByOutcome.Select(o => $"{o.Key} {o.Value}")));
}

[JsonSourceGenerationOptions(WriteIndented = true)]
[JsonSerializable(typeof(RunReport))]
internal sealed partial class ReportJsonContext : JsonSerializerContext;

/// <summary>
/// Uploads files into a running local pipeline and accounts for every one of them. Outcomes are observed, not
/// predicted: an upload no notification rule routes (read back from the bucket) is SKIPPED; a routed upload with an
/// ended task record is COMPLETED, FAILED or a DUPLICATE; a routed upload with no task record once the queue and
/// everything in flight have drained was acknowledged without work: IGNORED when the function documents why (its
/// extension, a control character in its key), else LOST.
/// </summary>
/// <param name="pipeline">The running pipeline.</param>
/// <param name="clock">Times the run and its waits; the system clock by default.</param>
public sealed class LocalRun(LocalPipeline pipeline, TimeProvider? clock = null)
{
    // NotRouted: why no task can exist (no notification rule routes it, or it was never uploaded); null when one may.
    private sealed record Sent(Upload Upload, string TaskId, string? NotRouted, string ObjectRevision);

    private readonly List<Sent> sent = [];
    private readonly Lazy<Task<NotificationRouting>> routing =
        new(() => NotificationRouting.ReadAsync(pipeline.S3, pipeline.Layout));
    private readonly TaskTableReader tasks = new(pipeline.Dynamo, pipeline.Layout.TableName);
    private readonly TimeProvider time = clock ?? TimeProvider.System;
    private readonly long started = (clock ?? TimeProvider.System).GetTimestamp();

    /// <summary>
    /// Uploads one file (in order: a duplicate must follow its original) and remembers its task id. A file with a
    /// <see cref="Upload.SkipReason"/>, or one the local S3 refuses, is reported SKIPPED with the reason; this never
    /// throws for a file (only for cancellation), so a run always ends with its table.
    /// </summary>
    public async Task UploadAsync(Upload upload, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(upload);
        var rules = await routing.Value.WaitAsync(cancellationToken);
        var skipped = upload.SkipReason;
        PutObjectResponse? response = null;
        if (skipped is null)
        {
            try
            {
                using var content = new MemoryStream(upload.Data, writable: false);
                response = await pipeline.S3.PutObjectAsync(
                    new PutObjectRequest { BucketName = pipeline.Layout.SourceBucket, Key = upload.Key, InputStream = content, AutoCloseStream = false },
                    cancellationToken);
            }
            catch (Exception e) when ((e is AmazonServiceException or HttpRequestException or IOException) && !cancellationToken.IsCancellationRequested)
            {
                // Not expected: the entry keeps its expected outcome, so the run reports it and exits non-zero.
                skipped = $"upload failed: {e.GetType().Name}: {e.Message}";
            }
        }

        var source = new SourceObject(pipeline.Layout.SourceBucket, upload.Key, upload.Data.Length, response?.ETag?.Trim('"') ?? "", null, null, "ObjectCreated:Put");
        if (skipped is not null)
        {
            lock (sent)
            {
                sent.Add(new Sent(upload, TaskIdentity.For(source, pipeline.Settings.Recipe), skipped, TaskIdentity.ObjectRevision(source)));
            }

            return;
        }

        var notRouted = rules.ReasonNotRouted(upload.Key);
        // EventBridge rules match extensions themselves: a file the function would acknowledge as Ignored never
        // reaches a queue there.
        var expected = notRouted is not null && rules.RulesFilterExtensions && upload.Expect == Expected.Ignored ? upload with { Expect = Expected.Skipped } : upload;
        lock (sent)
        {
            sent.Add(new Sent(expected, TaskIdentity.For(source, pipeline.Settings.Recipe), notRouted, TaskIdentity.ObjectRevision(source)));
        }
    }

    /// <summary>
    /// Waits until every upload is accounted for: the queue and the messages in flight have drained (twice in a row,
    /// so a redelivery between receive and visibility is not missed) and no task is left in progress, or until
    /// <paramref name="timeout"/>. <paramref name="progress"/> gets each change of the tally.
    /// </summary>
    public async Task<RunReport> WaitAsync(TimeSpan timeout, Action<RunProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var taskIds = sent.Where(s => s.NotRouted is null).Select(s => s.TaskId).Distinct(StringComparer.Ordinal).ToList();
        var records = new Dictionary<string, TaskRecord>(StringComparer.Ordinal);
        var until = time.GetUtcNow() + timeout;
        var idleSeen = 0;
        RunProgress? last = null;
        while (true)
        {
            foreach (var id in taskIds.Where(t => !records.TryGetValue(t, out var r) || r.Status == TaskState.InProgress))
            {
                if (await tasks.GetAsync(id, cancellationToken) is { } record)
                {
                    records[id] = record;
                }
            }

            // The other consumers' tables, each keyed by object revision: their recipes are theirs, not the report's.
            var others = new Dictionary<string, Dictionary<string, TaskRecord>>(StringComparer.Ordinal);
            foreach (var consumer in pipeline.Consumers.Skip(1))
            {
                others[consumer.Name] = (await consumer.Records.ScanAsync(cancellationToken))
                    .ToDictionary(r => r.TaskId[..r.TaskId.LastIndexOf('#')], StringComparer.Ordinal);
            }

            var idle = true;
            foreach (var consumer in pipeline.Consumers)
            {
                idle &= (await ReadStatusAsync(consumer, cancellationToken)).Idle;
            }

            idleSeen = idle ? idleSeen + 1 : 0;
            var drained = idleSeen >= 2
                && records.Values.All(r => r.Status != TaskState.InProgress)
                && others.Values.All(table => table.Values.All(r => r.Status != TaskState.InProgress));
            var now = Classify(records, others, drained);
            var tally = Tally(now);
            if (last is null || last.ToString() != tally.ToString())
            {
                progress?.Invoke(tally);
                last = tally;
            }

            if (drained || time.GetUtcNow() >= until)
            {
                return await BuildReportAsync(now, cancellationToken);
            }

            await Task.Delay(TimeSpan.FromMilliseconds(250), time, cancellationToken);
        }
    }

    private Task<PipelineStatus> ReadStatusAsync(LocalConsumer consumer, CancellationToken cancellationToken) =>
        PipelineStatus.ReadAsync(pipeline.Sqs, consumer.Queues.QueueUrl, consumer.Queues.DeadLetterQueueUrl, pipeline.Dynamo, consumer.TableName, cancellationToken);

    /// <summary>Each upload's outcome so far; <see cref="Expected.Missing"/> for one not yet (or never) accounted for.</summary>
    private List<ReportEntry> Classify(Dictionary<string, TaskRecord> records, Dictionary<string, Dictionary<string, TaskRecord>> others, bool drained)
    {
        var filter = new ImageKeyFilter(pipeline.Settings.Pipeline.ImageSuffixes);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var entries = new List<ReportEntry>();
        foreach (var (upload, taskId, notRouted, objectRevision) in sent)
        {
            if (notRouted is not null)
            {
                entries.Add(new ReportEntry(upload.Key, Expected.Skipped, upload.Expect, taskId, [], null, notRouted));
                continue;
            }

            records.TryGetValue(taskId, out var record);
            var first = seen.Add(taskId);
            var ignoredFor = record is null && drained ? ReasonToIgnore(filter, upload) : null;
            var status = record?.Status switch
            {
                null when drained => ignoredFor is null ? Expected.Lost : Expected.Ignored,
                null or TaskState.InProgress => Expected.Missing,
                _ when !first => Expected.Duplicate,
                TaskState.Completed => Expected.Completed,
                _ => Expected.Failed,
            };
            var reason = status switch
            {
                Expected.Ignored => $"acknowledged without a task record: {ignoredFor}",
                Expected.Lost => "acknowledged without a task record, for no reason the function documents (dead-lettered or lost)",
                _ => null,
            };
            var outputs = record?.Outputs.Select(o => new ReportOutput(o.Key, o.Width, o.Height, o.Bytes, o.Format)).ToList() ?? [];
            Dictionary<string, ReportConsumer>? consumers = null;
            if (others.Count > 0 && first && status is Expected.Completed or Expected.Failed)
            {
                consumers = others.ToDictionary(
                    table => table.Key,
                    table => Describe(table.Value.GetValueOrDefault(objectRevision), ReportConsumer.ExpectedOf(ImagePattern.Function.Consumers.Find(table.Key), status)),
                    StringComparer.Ordinal);
            }

            entries.Add(new ReportEntry(upload.Key, status, upload.Expect, taskId, first ? outputs : [], first ? record?.Error : null, reason, consumers));
        }

        return entries;
    }

    // Why the function acknowledges the upload without a task by its documented rules (docs/outcomes.md); null when it must make one.
    private string? ReasonToIgnore(ImageKeyFilter filter, Upload upload) =>
        NotificationParser.ReasonToIgnoreKey(upload.Key)
            ?? filter.ReasonToIgnore(new SourceObject(pipeline.Layout.SourceBucket, upload.Key, upload.Data.Length, "", null, null, "ObjectCreated:Put"));

    private static ReportConsumer Describe(TaskRecord? record, string expected) => new(
        record?.Status switch { TaskState.Completed => Expected.Completed, TaskState.Failed => Expected.Failed, _ => Expected.Missing },
        (record?.Result ?? new Dictionary<string, object?>())
            .Where(field => field.Value is not null)
            .ToDictionary(field => field.Key, field => Convert.ToString(field.Value, CultureInfo.InvariantCulture) ?? "", StringComparer.Ordinal),
        record?.Error,
        expected);

    private static RunProgress Tally(List<ReportEntry> entries)
    {
        var known = entries.Where(e => e.Status != Expected.Missing).ToList();
        return new RunProgress(
            known.Count,
            entries.Count,
            known.GroupBy(e => e.Status).OrderBy(g => g.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal));
    }

    private async Task<RunReport> BuildReportAsync(List<ReportEntry> entries, CancellationToken cancellationToken)
    {
        var totals = entries.GroupBy(e => e.Status).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        // Every consumer's DLQ: a message dead-lettered anywhere is an upload someone must look at.
        long deadLettered = 0;
        foreach (var consumer in pipeline.Consumers)
        {
            deadLettered += (await ReadStatusAsync(consumer, cancellationToken)).DeadLettered;
        }

        return new RunReport(entries, totals, Math.Round(time.GetElapsedTime(started).TotalSeconds, 2), deadLettered);
    }
}
