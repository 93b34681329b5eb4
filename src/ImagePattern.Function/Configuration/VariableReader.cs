using System.Globalization;
using ImagePattern.Imaging;
using Microsoft.Extensions.Logging;
using Env = ImagePattern.Function.Configuration.EnvironmentVariables;

namespace ImagePattern.Function.Configuration;

/// <summary>
/// Reads environment variables through a lookup and collects every problem instead of stopping at the first, so an
/// invalid configuration fails the cold start with one message naming each bad variable. Besides the single values,
/// it reads the groups both handlers share (image budgets, task retention, logging, memory) so each rule and its
/// default is written once.
/// </summary>
internal sealed class VariableReader(Func<string, string?> lookup)
{
    /// <summary>The problems found so far, one sentence fragment each.</summary>
    public List<string> Errors { get; } = [];

    /// <summary>The raw value, or null when unset.</summary>
    public string? Raw(string name) => lookup(name);

    /// <summary>The trimmed value; an unset or blank variable is recorded as an error and read as empty.</summary>
    public string Required(string name)
    {
        var value = lookup(name);
        if (string.IsNullOrWhiteSpace(value))
        {
            Errors.Add($"{name} is required");
            return "";
        }

        return value.Trim();
    }

    /// <summary>The trimmed value, or <paramref name="fallback"/> when unset or blank.</summary>
    public string Optional(string name, string fallback)
    {
        var value = lookup(name);
        return string.IsNullOrWhiteSpace(value) ? fallback : value.Trim();
    }

    /// <summary>A whole number within [<paramref name="min"/>, <paramref name="max"/>]; <paramref name="fallback"/> when unset or invalid (recorded).</summary>
    public long Number(string name, long fallback, long min, long max)
    {
        var raw = lookup(name);
        if (string.IsNullOrWhiteSpace(raw))
        {
            return fallback;
        }

        if (!long.TryParse(raw.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
        {
            Errors.Add($"{name} must be a whole number from {min} to {max} (got '{raw}')");
            return fallback;
        }

        return value;
    }

    /// <summary>
    /// The decode budgets: <c>MAX_SOURCE_BYTES</c> (bytes, default 50 MiB), <c>MAX_SOURCE_PIXELS</c> (pixels, default
    /// 100 MP) and <c>MAX_INTERLACED_PIXELS</c> (pixels, default 30 MP; progressive and interlaced images are decoded
    /// whole, so they get the lower budget), which must not exceed the pixel budget.
    /// </summary>
    public ImageLimits ReadLimits()
    {
        var maxBytes = Number(Env.MaxSourceBytes, 52_428_800, 1, 2_000_000_000);
        var maxPixels = Number(Env.MaxSourcePixels, 100_000_000, 1, 1_000_000_000);
        var maxInterlaced = Number(Env.MaxInterlacedPixels, 30_000_000, 1, 1_000_000_000);
        if (maxInterlaced > maxPixels)
        {
            Errors.Add($"{Env.MaxInterlacedPixels} ({maxInterlaced}) must not exceed {Env.MaxSourcePixels} ({maxPixels})");
        }

        return new ImageLimits(maxBytes, maxPixels, maxInterlaced);
    }

    /// <summary>How long a task record is kept: <c>TASK_TTL_DAYS</c>, 1 to 3,650 days, default 30.</summary>
    public TimeSpan ReadTaskRetention() => TimeSpan.FromDays(Number(Env.TaskTtlDays, 30, 1, 3650));

    /// <summary>The function's memory in MB (<c>AWS_LAMBDA_FUNCTION_MEMORY_SIZE</c>, set by Lambda; 1,769 when unset).</summary>
    public int ReadMemoryMegabytes() => (int)Number(Env.LambdaMemorySize, 1769, 128, 10240);

    /// <summary><c>LOG_LEVEL</c> as Powertools spells it (DEBUG, INFO, WARN, ERROR, CRITICAL; TRACE too), default INFO.</summary>
    public LogLevel ReadLogLevel()
    {
        var raw = Optional(Env.LogLevel, "INFO");
        switch (raw.ToUpperInvariant())
        {
            case "TRACE": return LogLevel.Trace;
            case "DEBUG": return LogLevel.Debug;
            case "INFO" or "INFORMATION": return LogLevel.Information;
            case "WARN" or "WARNING": return LogLevel.Warning;
            case "ERROR": return LogLevel.Error;
            case "CRITICAL": return LogLevel.Critical;
            default:
                Errors.Add($"{Env.LogLevel} must be DEBUG, INFO, WARN, ERROR or CRITICAL (got '{raw}')");
                return LogLevel.Information;
        }
    }

    /// <summary>Throws when anything read so far was invalid.</summary>
    /// <exception cref="SettingsException">One message naming every invalid variable, in the order read.</exception>
    public void ThrowIfInvalid()
    {
        if (Errors.Count > 0)
        {
            throw new SettingsException("Invalid configuration: " + string.Join("; ", Errors) + ".");
        }
    }
}
