using System.Globalization;

namespace ImagePattern.Bench.Pipeline;

/// <summary><c>--name value</c> and bare <c>--flag</c> options of the pipeline suites; unknown names are errors.</summary>
internal sealed class BenchArgs
{
    private readonly Dictionary<string, string?> values = new(StringComparer.Ordinal);

    private BenchArgs()
    {
    }

    public static BenchArgs Parse(string[] args, IReadOnlyCollection<string> known, IReadOnlyCollection<string>? flags = null)
    {
        flags ??= [];
        var parsed = new BenchArgs();
        for (var i = 0; i < args.Length; i++)
        {
            var name = args[i].StartsWith("--", StringComparison.Ordinal) ? args[i][2..] : throw new ArgumentException($"unexpected argument '{args[i]}'");
            if (flags.Contains(name))
            {
                parsed.values[name] = null;
            }
            else if (known.Contains(name) && i + 1 < args.Length)
            {
                parsed.values[name] = args[++i];
            }
            else
            {
                throw new ArgumentException(known.Contains(name) ? $"--{name} needs a value" : $"unknown option --{name}");
            }
        }

        return parsed;
    }

    public bool Has(string name) => values.ContainsKey(name);

    public string? String(string name) => values.GetValueOrDefault(name);

    public int Int(string name, int fallback) =>
        values.TryGetValue(name, out var raw) && raw is not null ? int.Parse(raw, CultureInfo.InvariantCulture) : fallback;

    /// <summary><c>WIDTHxHEIGHT</c>.</summary>
    public (int Width, int Height) Size(string name, (int, int) fallback)
    {
        if (!values.TryGetValue(name, out var raw) || raw is null)
        {
            return fallback;
        }

        var parts = raw.Split('x');
        return parts.Length == 2
            ? (int.Parse(parts[0], CultureInfo.InvariantCulture), int.Parse(parts[1], CultureInfo.InvariantCulture))
            : throw new ArgumentException($"--{name} must be WIDTHxHEIGHT (got '{raw}')");
    }
}
