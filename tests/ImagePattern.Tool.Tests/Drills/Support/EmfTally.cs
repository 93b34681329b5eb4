using System.Text;
using System.Text.Json;
using ImagePattern.Function.Observability;

namespace ImagePattern.Tool.Tests.Drills.Support;

/// <summary>
/// Reads the function's own CloudWatch EMF lines (in process as a TextWriter, or from a worker's stdout) and adds up
/// the counts, so the drills report what the function says it did rather than what the test assumes.
/// </summary>
public sealed class EmfTally : TextWriter
{
    private readonly object gate = new();
    private readonly Dictionary<string, long> counts = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<double>> samples = new(StringComparer.Ordinal);
    private readonly StringBuilder partial = new();

    public override Encoding Encoding => Encoding.UTF8;

    public long Invocations { get; private set; }

    /// <summary>Bytes of EMF lines seen (what CloudWatch Logs ingests for them).</summary>
    public long Bytes { get; private set; }

    public long Processed => Count(InvocationMetrics.Names.Processed);

    public long Duplicates => Count(InvocationMetrics.Names.Duplicates);

    public long Retries => Count(InvocationMetrics.Names.Retries);

    public long PermanentFailures => Count(InvocationMetrics.Names.PermanentFailures);

    public long Ignored => Count(InvocationMetrics.Names.Ignored);

    public long Unreadable => Count(InvocationMetrics.Names.Unreadable);

    /// <summary>Messages the function accounted for: one outcome per object record, or Ignored.</summary>
    public long Accounted => Processed + Duplicates + Retries + PermanentFailures + Ignored;

    public long Count(string name)
    {
        lock (gate)
        {
            return counts.GetValueOrDefault(name);
        }
    }

    public IReadOnlyList<double> Samples(string name)
    {
        lock (gate)
        {
            return samples.TryGetValue(name, out var list) ? list.ToList() : [];
        }
    }

    public override void Write(char value)
    {
        lock (gate)
        {
            if (value == '\n')
            {
                Take(partial.ToString());
                partial.Clear();
            }
            else
            {
                partial.Append(value);
            }
        }
    }

    public override void WriteLine(string? value)
    {
        lock (gate)
        {
            partial.Append(value);
            Take(partial.ToString());
            partial.Clear();
        }
    }

    /// <summary>Feeds one line (e.g. from a child process); lines that are not EMF are ignored.</summary>
    public void Line(string? line)
    {
        lock (gate)
        {
            Take(line ?? "");
        }
    }

    private void Take(string line)
    {
        if (!line.Contains("\"_aws\"", StringComparison.Ordinal))
        {
            return;
        }

        using var json = JsonDocument.Parse(line);
        Invocations++;
        Bytes += Encoding.UTF8.GetByteCount(line) + 1;
        foreach (var property in json.RootElement.EnumerateObject())
        {
            switch (property.Value.ValueKind)
            {
                case JsonValueKind.Number:
                    counts[property.Name] = counts.GetValueOrDefault(property.Name) + property.Value.GetInt64();
                    break;
                case JsonValueKind.Array:
                    if (!samples.TryGetValue(property.Name, out var list))
                    {
                        samples[property.Name] = list = [];
                    }

                    list.AddRange(property.Value.EnumerateArray().Select(v => v.GetDouble()));
                    break;
            }
        }
    }
}
