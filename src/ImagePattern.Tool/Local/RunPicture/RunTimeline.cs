namespace ImagePattern.Tool.Local.RunPicture;

/// <summary>What one consumer did in a local run: when its tasks ended and how long notifications took to reach it.</summary>
/// <param name="Name">Consumer name, e.g. <c>thumbnails</c> or <c>metadata</c>.</param>
/// <param name="Ended">When each of its tasks ended (COMPLETED or FAILED; the task record's <c>updated_at</c>).</param>
/// <param name="NotificationLatencyMs">
/// Every <c>NotificationLatency</c> sample of its EMF lines, in milliseconds: S3 event time to the claim of the task.
/// </param>
public sealed record ConsumerTimeline(string Name, IReadOnlyList<DateTimeOffset> Ended, IReadOnlyList<double> NotificationLatencyMs);

/// <summary>A local run as the picture draws it.</summary>
/// <param name="Started">When the first upload started; the time axis counts seconds from here.</param>
/// <param name="Uploads">When each upload finished (PutObject answered).</param>
/// <param name="Consumers">One timeline per consumer, in the order they are drawn.</param>
public sealed record RunTimeline(DateTimeOffset Started, IReadOnlyList<DateTimeOffset> Uploads, IReadOnlyList<ConsumerTimeline> Consumers);

/// <summary>The figures the picture prints for one consumer.</summary>
/// <param name="Name">Consumer name.</param>
/// <param name="Uploads">Uploads in the run.</param>
/// <param name="Ended">Tasks that ended.</param>
/// <param name="LastEndedSeconds">Seconds from the run's start to its last ended task; 0 when none ended.</param>
/// <param name="Samples">NotificationLatency samples.</param>
/// <param name="P50Ms">Median notification latency (nearest rank), ms; null without samples.</param>
/// <param name="P95Ms">95th percentile notification latency (nearest rank), ms; null without samples.</param>
/// <param name="MaxMs">Largest notification latency, ms; null without samples.</param>
public sealed record ConsumerSummary(string Name, int Uploads, int Ended, double LastEndedSeconds, int Samples, double? P50Ms, double? P95Ms, double? MaxMs)
{
    /// <summary>Summarises <paramref name="consumer"/> of <paramref name="run"/>.</summary>
    public static ConsumerSummary Of(RunTimeline run, ConsumerTimeline consumer)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(consumer);
        var latencies = consumer.NotificationLatencyMs;
        return new ConsumerSummary(
            consumer.Name,
            run.Uploads.Count,
            consumer.Ended.Count,
            consumer.Ended.Count == 0 ? 0 : (consumer.Ended.Max() - run.Started).TotalSeconds,
            latencies.Count,
            Percentile.NearestRank(latencies, 50),
            Percentile.NearestRank(latencies, 95),
            latencies.Count == 0 ? null : latencies.Max());
    }
}
