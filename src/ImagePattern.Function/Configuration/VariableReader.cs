using System.Globalization;

namespace ImagePattern.Function.Configuration;

/// <summary>
/// Reads environment variables through a lookup and collects every problem instead of stopping at the first, so an
/// invalid configuration fails the cold start with one message naming each bad variable.
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
}
