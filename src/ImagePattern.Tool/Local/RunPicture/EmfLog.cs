using System.Text.Json;

namespace ImagePattern.Tool.Local.RunPicture;

/// <summary>Reads the function's CloudWatch Embedded Metric Format lines back out of its log.</summary>
public static class EmfLog
{
    /// <summary>
    /// Every value of the distribution metric <paramref name="metric"/> (e.g. <c>NotificationLatency</c>) in
    /// <paramref name="lines"/>, by the line's <c>service</c> (POWERTOOLS_SERVICE_NAME: one per consumer). Lines that
    /// are not EMF documents (other log lines, the runtime's own output) are skipped; a metric written as one number
    /// counts as one value.
    /// </summary>
    public static IReadOnlyDictionary<string, List<double>> Samples(IEnumerable<string> lines, string metric)
    {
        ArgumentNullException.ThrowIfNull(lines);
        var byService = new Dictionary<string, List<double>>(StringComparer.Ordinal);
        foreach (var line in lines)
        {
            if (!line.Contains("\"_aws\"", StringComparison.Ordinal))
            {
                continue;
            }

            JsonDocument document;
            try
            {
                document = JsonDocument.Parse(line);
            }
            catch (JsonException)
            {
                continue;
            }

            using (document)
            {
                var root = document.RootElement;
                if (root.ValueKind != JsonValueKind.Object
                    || !root.TryGetProperty("_aws", out _)
                    || !root.TryGetProperty("service", out var service) || service.ValueKind != JsonValueKind.String
                    || !root.TryGetProperty(metric, out var values))
                {
                    continue;
                }

                if (!byService.TryGetValue(service.GetString()!, out var list))
                {
                    byService[service.GetString()!] = list = [];
                }

                if (values.ValueKind == JsonValueKind.Number)
                {
                    list.Add(values.GetDouble());
                }
                else if (values.ValueKind == JsonValueKind.Array)
                {
                    list.AddRange(values.EnumerateArray().Where(v => v.ValueKind == JsonValueKind.Number).Select(v => v.GetDouble()));
                }
            }
        }

        return byService;
    }
}
