using System.Globalization;
using ImagePattern.Function.Pipeline;
using ImagePattern.Imaging;
using Env = ImagePattern.Function.Configuration.EnvironmentVariables;

namespace ImagePattern.Function.Configuration;

/// <summary>Invalid configuration: the message names every bad variable and what it must be.</summary>
public sealed class SettingsException(string message) : Exception(message);

/// <summary>Reads <see cref="FunctionSettings"/> from environment variables, collecting every problem before failing.</summary>
public static class SettingsReader
{
    /// <summary>Reads from the process environment.</summary>
    public static FunctionSettings FromEnvironment() =>
        Read(name => Environment.GetEnvironmentVariable(name));

    /// <summary>Reads through <paramref name="lookup"/>; throws <see cref="SettingsException"/> listing every invalid value.</summary>
    public static FunctionSettings Read(Func<string, string?> lookup)
    {
        ArgumentNullException.ThrowIfNull(lookup);
        var variables = new VariableReader(lookup);
        var errors = variables.Errors;

        var sourceBucket = variables.Required(Env.SourceBucket);
        var outputBucket = variables.Required(Env.OutputBucket);
        var tasksTable = variables.Required(Env.TasksTable);
        var outputPrefix = variables.Optional(Env.OutputPrefix, "");
        if (outputPrefix.Length > 0 && !outputPrefix.EndsWith('/'))
        {
            errors.Add($"{Env.OutputPrefix} must be empty or end with '/' (got '{outputPrefix}')");
        }

        if (sourceBucket.Length > 0 && sourceBucket == outputBucket && outputPrefix.Length == 0)
        {
            errors.Add($"{Env.OutputBucket} equals {Env.SourceBucket} with no {Env.OutputPrefix}: thumbnails would trigger themselves");
        }

        var engine = ParseEngine(variables.Optional(Env.ImageEngine, EngineCapabilities.Default.Name), errors);
        var suffixes = ParseSuffixes(variables.Raw(Env.ImageSuffixes), engine, errors);
        var sizes = ParseSizes(variables.Optional(Env.ThumbnailSizes, "128x128,512x512"), errors);
        var format = ParseFormat(variables.Optional(Env.OutputFormat, "webp"), errors);
        if (!engine.Encodes(format))
        {
            errors.Add($"{Env.OutputFormat}={format.ToString().ToLowerInvariant()} is impossible with {Env.ImageEngine}={engine.Name}: it writes "
                + string.Join(", ", engine.OutputFormats.Select(f => f.ToString().ToLowerInvariant())) + " (or source)");
        }

        var quality = (int)variables.Number(Env.OutputQuality, 80, 1, 100);
        var pipeline = ConsumerSettings.Read(variables, sourceBucket, tasksTable, suffixes, "imagepattern");
        if (errors.Count == 0
            && MemoryBudget.Problem(pipeline.MemoryMegabytes, pipeline.ImageParallelism, MemoryBudget.ThumbnailBytes(engine.Engine, pipeline.Limits), $"{engine.Name} thumbnails") is { } tooSmall)
        {
            errors.Add(tooSmall);
        }

        variables.ThrowIfInvalid();

        return new FunctionSettings
        {
            Pipeline = pipeline,
            OutputBucket = outputBucket,
            OutputPrefix = outputPrefix,
            Sizes = sizes,
            Encode = new EncodeOptions(format, quality),
            Engine = engine.Engine,
        };
    }

    private static EngineCapabilities ParseEngine(string raw, List<string> errors)
    {
        var engine = EngineCapabilities.FindByName(raw);
        if (engine is null)
        {
            errors.Add($"{EnvironmentVariables.ImageEngine} must be " + string.Join(" or ", EngineCapabilities.All.Select(e => e.Name)) + $" (got '{raw}')");
            return EngineCapabilities.Default;
        }

        return engine;
    }

    /// <param name="raw">The <c>IMAGE_SUFFIXES</c> value; blank means what <paramref name="engine"/> decodes.</param>
    /// <param name="engine">The decoder the suffixes are checked against.</param>
    /// <param name="errors">Where each bad entry is reported.</param>
    /// <param name="skipUndecodable">
    /// True for a consumer that shares the thumbnailer's list (Terraform and the local tool give every consumer the
    /// same <c>IMAGE_SUFFIXES</c>): a suffix its decoder cannot read is left out, so those keys are Ignored by that
    /// consumer, instead of failing its cold start. False for the thumbnailer, whose list is its own.
    /// </param>
    internal static List<string> ParseSuffixes(string? raw, EngineCapabilities engine, List<string> errors, bool skipUndecodable = false)
    {
        if (string.IsNullOrWhiteSpace(raw))
        {
            return [.. engine.InputSuffixes];
        }

        var suffixes = new List<string>();
        foreach (var part in raw.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var suffix = part.ToLowerInvariant();
            if (suffix.Length < 2 || suffix[0] != '.' || suffix.IndexOfAny(['/', '.', ' '], 1) >= 0)
            {
                errors.Add($"{EnvironmentVariables.ImageSuffixes} entry '{part}' must be a dot and a name, e.g. .jpg");
            }
            else if (!engine.Decodes(suffix))
            {
                if (skipUndecodable)
                {
                    continue;
                }

                errors.Add($"{EnvironmentVariables.ImageSuffixes} entry '{part}' is a format {EnvironmentVariables.ImageEngine}={engine.Name} cannot decode (it reads "
                    + string.Join(",", engine.InputSuffixes) + ")");
            }
            else if (!suffixes.Contains(suffix))
            {
                suffixes.Add(suffix);
            }
        }

        if (suffixes.Count == 0 && errors.Count == 0)
        {
            errors.Add($"{EnvironmentVariables.ImageSuffixes} must list at least one suffix {engine.Name} decodes ({string.Join(",", engine.InputSuffixes)})");
        }

        return suffixes;
    }

    private static List<ThumbnailBox> ParseSizes(string raw, List<string> errors)
    {
        var boxes = new List<ThumbnailBox>();
        foreach (var part in raw.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var wh = part.Split('x');
            if (wh.Length == 2
                && int.TryParse(wh[0], NumberStyles.None, CultureInfo.InvariantCulture, out var w)
                && int.TryParse(wh[1], NumberStyles.None, CultureInfo.InvariantCulture, out var h)
                && w is >= 1 and <= 10_000 && h is >= 1 and <= 10_000)
            {
                boxes.Add(new ThumbnailBox(w, h, $"{w}x{h}"));
            }
            else
            {
                errors.Add($"{EnvironmentVariables.ThumbnailSizes} entry '{part}' must be WIDTHxHEIGHT with each side 1-10000");
            }
        }

        if (boxes.Count == 0 && errors.Count == 0)
        {
            errors.Add($"{EnvironmentVariables.ThumbnailSizes} must list at least one size");
        }

        if (boxes.Select(b => b.Label).Distinct().Count() != boxes.Count)
        {
            errors.Add($"{EnvironmentVariables.ThumbnailSizes} lists a size twice");
        }

        return boxes;
    }

    private static OutputFormat ParseFormat(string raw, List<string> errors)
    {
        switch (raw.ToLowerInvariant())
        {
            case "webp": return OutputFormat.Webp;
            case "jpeg" or "jpg": return OutputFormat.Jpeg;
            case "png": return OutputFormat.Png;
            case "avif": return OutputFormat.Avif;
            case "source": return OutputFormat.Source;
            default:
                errors.Add($"{EnvironmentVariables.OutputFormat} must be webp, jpeg, png, avif or source (got '{raw}')");
                return OutputFormat.Webp;
        }
    }
}
