using System.Globalization;
using Amazon.DynamoDBv2.Model;
using ImagePattern.Function.Configuration;
using ImagePattern.Function.Observability;
using ImagePattern.Function.Pipeline;
using ImagePattern.Imaging;

namespace ImagePattern.Tool.Local.RunPicture;

/// <summary>
/// Gathers a finished local run from its sources — the upload times the run noted, every consumer's task table
/// (<c>updated_at</c> of each ended task) and the function's EMF lines in its log — and writes <c>run.png</c>.
/// </summary>
public static class RunPictureWriter
{
    /// <summary>File name of the picture in the run's output folder.</summary>
    public const string FileName = "run.png";

    /// <summary>
    /// Writes <c>run.png</c> into <paramref name="directory"/> and returns its path. Tasks count for a consumer when
    /// they ended (COMPLETED or FAILED) at or after <paramref name="started"/>; each consumer's latencies are the
    /// <c>NotificationLatency</c> samples of the EMF lines carrying its service name.
    /// </summary>
    public static async Task<string> WriteAsync(
        LocalPipeline pipeline, DateTimeOffset started, IReadOnlyList<DateTimeOffset> uploads, string functionLog, string directory, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(pipeline);
        var layout = pipeline.Layout;
        var lines = File.Exists(functionLog) ? await ReadSharedAsync(functionLog, cancellationToken) : [];
        var latencies = EmfLog.Samples(lines, InvocationMetrics.Names.NotificationLatency);

        var consumers = new List<ConsumerTimeline>();
        foreach (var consumer in layout.Consumers)
        {
            var table = layout.TableNameOf(consumer);
            var service = consumer == LocalLayout.Thumbnails
                ? SettingsReader.Read(Lookup(layout.FunctionEnvironment)).Pipeline.ServiceName
                : ConsumerSettings.Read(Lookup(layout.EnvironmentOf(consumer)), EngineCapabilities.Skia, consumer).ServiceName;
            var ended = await EndedAsync(pipeline, table, started, cancellationToken);
            consumers.Add(new ConsumerTimeline(consumer, ended, latencies.TryGetValue(service, out var samples) ? samples : []));
        }

        var run = new RunTimeline(started, uploads, consumers);
        var title = string.Create(
            CultureInfo.InvariantCulture,
            $"ImagePattern local run {started:yyyy-MM-dd HH:mm:ss}Z: {uploads.Count} uploads ({layout.Trigger}, engine {layout.ImageEngine})");
        var path = Path.Combine(directory, FileName);
        await File.WriteAllBytesAsync(path, RunChart.Draw(run, title), cancellationToken);
        return path;
    }

    private static Func<string, string?> Lookup(IReadOnlyDictionary<string, string> environment) => name => environment.GetValueOrDefault(name);

    // The log is still open for writing by the run; read it without asking for exclusive access.
    private static async Task<List<string>> ReadSharedAsync(string path, CancellationToken cancellationToken)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream);
        var lines = new List<string>();
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            lines.Add(line);
        }

        return lines;
    }

    private static async Task<List<DateTimeOffset>> EndedAsync(LocalPipeline pipeline, string table, DateTimeOffset started, CancellationToken cancellationToken)
    {
        var ended = new List<DateTimeOffset>();
        Dictionary<string, AttributeValue>? start = null;
        do
        {
            var page = await pipeline.Dynamo.ScanAsync(
                new ScanRequest { TableName = table, ExclusiveStartKey = start, ConsistentRead = true, ProjectionExpression = "#s, updated_at", ExpressionAttributeNames = new() { ["#s"] = "status" } },
                cancellationToken);
            foreach (var item in page.Items ?? [])
            {
                if (item.GetValueOrDefault("status")?.S is "COMPLETED" or "FAILED"
                    && DateTimeOffset.TryParse(item.GetValueOrDefault("updated_at")?.S, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
                    && at >= started)
                {
                    ended.Add(at);
                }
            }

            start = page.LastEvaluatedKey is { Count: > 0 } next ? next : null;
        }
        while (start is not null);

        return ended;
    }
}
