using ImagePattern.Function.Configuration;
using ImagePattern.Imaging;
using Microsoft.Extensions.Logging;
using Env = ImagePattern.Function.Configuration.EnvironmentVariables;

namespace ImagePattern.Function.Pipeline;

/// <summary>
/// What every consumer's pipeline runs with, whatever its work: where events come from, which keys it takes, its
/// task table, the byte and pixel limits, retention, logging, metrics and parallelism. A consumer with settings of its
/// own (the thumbnailer's output bucket, sizes, format) reads those itself; see <see cref="FunctionSettings.Pipeline"/>.
/// </summary>
public sealed record ConsumerSettings
{
    /// <summary>Bucket the notifications must come from (<c>SOURCE_BUCKET</c>); records of other buckets are Ignored.</summary>
    public required string SourceBucket { get; init; }

    /// <summary>
    /// Extensions taken, lower case with the dot, matched case-insensitively (<c>IMAGE_SUFFIXES</c>; default: what the
    /// consumer's decoder reads). Other keys are acknowledged as Ignored with no task and no S3 read.
    /// </summary>
    public IReadOnlyList<string> ImageSuffixes { get; init; } = EngineCapabilities.Skia.InputSuffixes;

    /// <summary>Task table, the consumer's own or shared (<c>TASKS_TABLE</c>): the recipes keep consumers' tasks apart.</summary>
    public required string TasksTable { get; init; }

    /// <summary>Byte and pixel limits (<c>MAX_SOURCE_BYTES</c>, <c>MAX_SOURCE_PIXELS</c>, <c>MAX_INTERLACED_PIXELS</c>).</summary>
    public required ImageLimits Limits { get; init; }

    /// <summary>How long task records, and any result they carry, are kept (<c>TASK_TTL_DAYS</c>, default 30 days).</summary>
    public TimeSpan TaskRetention { get; init; } = TimeSpan.FromDays(30);

    /// <summary>Service name in logs and the metrics' <c>service</c> dimension (<c>POWERTOOLS_SERVICE_NAME</c>).</summary>
    public string ServiceName { get; init; } = "imagepattern";

    /// <summary>Minimum log level (<c>POWERTOOLS_LOG_LEVEL</c>).</summary>
    public LogLevel LogLevel { get; init; } = LogLevel.Information;

    /// <summary>CloudWatch namespace (<c>POWERTOOLS_METRICS_NAMESPACE</c>, default <c>ImagePattern</c>).</summary>
    public string MetricsNamespace { get; init; } = "ImagePattern";

    /// <summary>Function memory in MB (<c>AWS_LAMBDA_FUNCTION_MEMORY_SIZE</c>), which buys vCPUs.</summary>
    public int MemoryMegabytes { get; init; } = 1769;

    /// <summary>
    /// Work on an object is not started with less than this left before the invocation's deadline (the Runtime API's
    /// <c>Lambda-Runtime-Deadline-Ms</c>), or a quarter of the invocation's time if that is less
    /// (<see cref="InvocationDeadline"/>): 2 s, enough for a claim, a read, the work and the writes of a typical image;
    /// the message is handed back instead.
    /// </summary>
    public TimeSpan MinimumTimeToStart { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Images worked on at once: one per vCPU (Lambda gives one per 1,769 MB, up to 6).</summary>
    public int ImageParallelism => FunctionSettings.SlotsFor(MemoryMegabytes);

    /// <summary>
    /// The environment variables these settings come from: what the Terraform function module sets for every
    /// consumer (a subset of <see cref="EnvironmentVariables.All"/>; <c>AWS_LAMBDA_FUNCTION_MEMORY_SIZE</c> comes from Lambda).
    /// </summary>
    public static IReadOnlyList<string> Variables { get; } =
    [
        Env.SourceBucket, Env.ImageSuffixes, Env.TasksTable, Env.MaxSourceBytes, Env.MaxSourcePixels, Env.MaxInterlacedPixels, Env.TaskTtlDays,
        Env.ServiceName, Env.LogLevel, Env.MetricsNamespace,
    ];

    /// <summary>
    /// Reads through <paramref name="lookup"/>. <paramref name="decoder"/> is what the consumer's work reads: the
    /// default and the allowed values of <c>IMAGE_SUFFIXES</c>. The service name defaults to <c>imagepattern-&lt;handler&gt;</c>.
    /// </summary>
    /// <exception cref="SettingsException">A variable is missing or invalid; the message names every one.</exception>
    public static ConsumerSettings Read(Func<string, string?> lookup, EngineCapabilities decoder, string handler)
    {
        ArgumentNullException.ThrowIfNull(lookup);
        ArgumentNullException.ThrowIfNull(decoder);
        var variables = new VariableReader(lookup);
        var sourceBucket = variables.Required(Env.SourceBucket);
        var tasksTable = variables.Required(Env.TasksTable);
        var imageSuffixes = SettingsReader.ParseSuffixes(variables.Raw(Env.ImageSuffixes), decoder, variables.Errors, skipUndecodable: true);
        var settings = Read(variables, sourceBucket, tasksTable, imageSuffixes, $"imagepattern-{handler}");
        if (variables.Errors.Count == 0
            && MemoryBudget.Problem(settings.MemoryMegabytes, settings.ImageParallelism, MemoryBudget.InspectionBytes(settings.Limits), "inspections") is { } tooSmall)
        {
            variables.Errors.Add(tooSmall);
        }

        variables.ThrowIfInvalid();
        return settings;
    }

    /// <summary>
    /// The rest of these settings read through <paramref name="variables"/> (limits, retention, log level, memory,
    /// service name with <paramref name="defaultServiceName"/>, metrics namespace) over what the caller has read
    /// already; problems are added to <see cref="VariableReader.Errors"/>, for the caller to throw.
    /// </summary>
    internal static ConsumerSettings Read(VariableReader variables, string sourceBucket, string tasksTable, IReadOnlyList<string> imageSuffixes, string defaultServiceName) => new()
    {
        SourceBucket = sourceBucket,
        ImageSuffixes = imageSuffixes,
        TasksTable = tasksTable,
        Limits = variables.ReadLimits(),
        TaskRetention = variables.ReadTaskRetention(),
        LogLevel = variables.ReadLogLevel(),
        MemoryMegabytes = variables.ReadMemoryMegabytes(),
        ServiceName = variables.Optional(Env.ServiceName, defaultServiceName),
        MetricsNamespace = variables.Optional(Env.MetricsNamespace, "ImagePattern"),
    };
}
