using ImagePattern.Function.Configuration;
using ImagePattern.Imaging;
using Microsoft.Extensions.Logging;
using Env = ImagePattern.Function.Configuration.EnvironmentVariables;

namespace ImagePattern.Function.Metadata;

/// <summary>
/// The metadata consumer's configuration: the subset of the thumbnailer's variables (<see cref="EnvironmentVariables"/>)
/// that concerns reading, limits, the task table and observability. No output bucket, sizes or format: it writes only
/// task records.
/// </summary>
public sealed record MetadataSettings
{
    /// <summary>Bucket the notifications must come from (<c>SOURCE_BUCKET</c>).</summary>
    public required string SourceBucket { get; init; }

    /// <summary>
    /// Extensions inspected, matched case-insensitively (<c>IMAGE_SUFFIXES</c>; default
    /// <see cref="EngineCapabilities.Skia"/>'s input suffixes, what the SkiaSharp inspector reads). Other keys are acknowledged as Ignored
    /// with no task and no S3 read.
    /// </summary>
    public IReadOnlyList<string> ImageSuffixes { get; init; } = EngineCapabilities.Skia.InputSuffixes;

    /// <summary>Task table, shared with the thumbnailer or its own (<c>TASKS_TABLE</c>).</summary>
    public required string TasksTable { get; init; }

    /// <summary>
    /// Byte and pixel limits (<c>MAX_SOURCE_BYTES</c>, <c>MAX_SOURCE_PIXELS</c>, <c>MAX_INTERLACED_PIXELS</c>, same
    /// defaults as the thumbnailer). The interlaced limit applies to formats decoded whole (GIF, WebP).
    /// </summary>
    public required ImageLimits Limits { get; init; }

    /// <summary>
    /// How long records are kept (<c>TASK_TTL_DAYS</c>, default 30). The metadata lives on the record, so this is
    /// also how long the metadata is kept: set it to the consumer's needs (up to 3650 days).
    /// </summary>
    public TimeSpan TaskRetention { get; init; } = TimeSpan.FromDays(30);

    /// <summary>Service name in logs and metric dimensions (<c>POWERTOOLS_SERVICE_NAME</c>, default <c>imagepattern-metadata</c>).</summary>
    public string ServiceName { get; init; } = "imagepattern-metadata";

    /// <summary>Minimum log level (<c>POWERTOOLS_LOG_LEVEL</c>).</summary>
    public LogLevel LogLevel { get; init; } = LogLevel.Information;

    /// <summary>CloudWatch namespace (<c>POWERTOOLS_METRICS_NAMESPACE</c>, default <c>ImagePattern</c>).</summary>
    public string MetricsNamespace { get; init; } = "ImagePattern";

    /// <summary>Function memory in MB (<c>AWS_LAMBDA_FUNCTION_MEMORY_SIZE</c>), which buys vCPUs.</summary>
    public int MemoryMegabytes { get; init; } = 1769;

    /// <summary>A task is not started with less than this left before the invocation's deadline. Inspections take tens of milliseconds.</summary>
    public TimeSpan MinimumTimeToStart { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Images inspected at once: one per vCPU (Lambda gives one per 1,769 MB, up to 6).</summary>
    public int ImageParallelism => Math.Clamp((int)Math.Ceiling(MemoryMegabytes / 1769.0), 1, 6);

    /// <summary>
    /// The environment variables this consumer reads: what its Terraform function module instance must set (a subset
    /// of <see cref="EnvironmentVariables.All"/>; <c>AWS_LAMBDA_FUNCTION_MEMORY_SIZE</c> comes from Lambda).
    /// </summary>
    public static IReadOnlyList<string> Variables { get; } =
    [
        Env.SourceBucket, Env.ImageSuffixes, Env.TasksTable, Env.MaxSourceBytes, Env.MaxSourcePixels, Env.MaxInterlacedPixels, Env.TaskTtlDays,
        Env.ServiceName, Env.LogLevel, Env.MetricsNamespace,
    ];

    /// <summary>Reads the process environment; throws <see cref="SettingsException"/> naming every invalid variable.</summary>
    public static MetadataSettings FromEnvironment() => Read(Environment.GetEnvironmentVariable);

    /// <summary>Reads through <paramref name="lookup"/>; throws <see cref="SettingsException"/> naming every invalid variable.</summary>
    public static MetadataSettings Read(Func<string, string?> lookup)
    {
        ArgumentNullException.ThrowIfNull(lookup);
        var variables = new VariableReader(lookup);
        var sourceBucket = variables.Required(Env.SourceBucket);
        var tasksTable = variables.Required(Env.TasksTable);
        var imageSuffixes = SettingsReader.ParseSuffixes(variables.Raw(Env.ImageSuffixes), EngineCapabilities.Skia, variables.Errors);
        var limits = variables.ReadLimits();
        var retention = variables.ReadTaskRetention();
        var memory = variables.ReadMemoryMegabytes();
        var logLevel = variables.ReadLogLevel();
        var serviceName = variables.Optional(Env.ServiceName, "imagepattern-metadata");
        var metricsNamespace = variables.Optional(Env.MetricsNamespace, "ImagePattern");
        if (variables.Errors.Count == 0
            && MemoryBudget.Problem(memory, FunctionSettings.SlotsFor(memory), MemoryBudget.InspectionBytes(limits), "inspections") is { } tooSmall)
        {
            variables.Errors.Add(tooSmall);
        }

        variables.ThrowIfInvalid();

        return new MetadataSettings
        {
            SourceBucket = sourceBucket,
            ImageSuffixes = imageSuffixes,
            TasksTable = tasksTable,
            Limits = limits,
            TaskRetention = retention,
            ServiceName = serviceName,
            LogLevel = logLevel,
            MetricsNamespace = metricsNamespace,
            MemoryMegabytes = memory,
        };
    }
}
