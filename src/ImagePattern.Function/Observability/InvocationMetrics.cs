using System.Collections.Concurrent;
using System.Text.Json;

namespace ImagePattern.Function.Observability;

/// <summary>The metrics one invocation emits, collected from parallel workers and flushed once as CloudWatch EMF.</summary>
public sealed class InvocationMetrics
{
    /// <summary>Metric names, shared with the Terraform alarms.</summary>
    public static class Names
    {
        /// <summary>Tasks completed.</summary>
        public const string Processed = "Processed";
        /// <summary>Deliveries of tasks that had already ended.</summary>
        public const string Duplicates = "Duplicates";
        /// <summary>Tasks recorded as FAILED.</summary>
        public const string PermanentFailures = "PermanentFailures";
        /// <summary>Messages handed back for another delivery.</summary>
        public const string Retries = "Retries";
        /// <summary>
        /// Messages or records acknowledged without work: <c>s3:TestEvent</c>, other events, other buckets, folder
        /// markers, keys whose extension is not in <c>IMAGE_SUFFIXES</c>.
        /// </summary>
        public const string Ignored = "Ignored";
        /// <summary>Messages that could not be read (not JSON, or of no known shape): kept for retry and the DLQ.</summary>
        public const string Unreadable = "Unreadable";
        /// <summary>Claim-to-complete time per task.</summary>
        public const string ProcessingTime = "ProcessingTime";
        /// <summary>Bytes of source objects read.</summary>
        public const string SourceBytes = "SourceBytes";
        /// <summary>Now minus the S3 event time, per task.</summary>
        public const string NotificationLatency = "NotificationLatency";
    }

    private readonly ConcurrentDictionary<string, long> counters = new();
    private readonly ConcurrentQueue<(string Name, double Value)> samples = new();

    /// <summary>Adds <paramref name="amount"/> to a count metric.</summary>
    public void Count(string name, long amount = 1) => counters.AddOrUpdate(name, amount, (_, v) => v + amount);

    /// <summary>Records one value of a distribution metric.</summary>
    public void Sample(string name, double value) => samples.Enqueue((name, value));

    /// <summary>The count of <paramref name="name"/> so far.</summary>
    public long CountOf(string name) => counters.GetValueOrDefault(name);

    /// <summary>
    /// Writes one Embedded Metric Format line. Counts are always written (zeros included) so alarms see data points.
    /// </summary>
    public void Flush(TextWriter output, string metricsNamespace, string service, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(output);
        var units = new List<(string Name, string Unit)>
        {
            (Names.Processed, "Count"), (Names.Duplicates, "Count"), (Names.PermanentFailures, "Count"),
            (Names.Retries, "Count"), (Names.Ignored, "Count"), (Names.Unreadable, "Count"),
        };
        var countMetrics = units.Count;
        var grouped = samples.GroupBy(s => s.Name).ToDictionary(g => g.Key, g => g.Select(s => s.Value).ToList());
        foreach (var name in grouped.Keys)
        {
            units.Add((name, name == Names.SourceBytes ? "Bytes" : "Milliseconds"));
        }

        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream))
        {
            json.WriteStartObject();
            json.WriteStartObject("_aws");
            json.WriteNumber("Timestamp", at.ToUnixTimeMilliseconds());
            json.WriteStartArray("CloudWatchMetrics");
            json.WriteStartObject();
            json.WriteString("Namespace", metricsNamespace);
            json.WriteStartArray("Dimensions");
            json.WriteStartArray();
            json.WriteStringValue("service");
            json.WriteEndArray();
            json.WriteEndArray();
            json.WriteStartArray("Metrics");
            foreach (var (name, unit) in units)
            {
                json.WriteStartObject();
                json.WriteString("Name", name);
                json.WriteString("Unit", unit);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteString("service", service);
            foreach (var (name, _) in units.Take(countMetrics))
            {
                json.WriteNumber(name, CountOf(name));
            }

            foreach (var (name, values) in grouped)
            {
                json.WriteStartArray(name);
                foreach (var value in values)
                {
                    json.WriteNumberValue(Math.Round(value, 3));
                }

                json.WriteEndArray();
            }

            json.WriteEndObject();
        }

        output.WriteLine(System.Text.Encoding.UTF8.GetString(stream.ToArray()));
    }
}
