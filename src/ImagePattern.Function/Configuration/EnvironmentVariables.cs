namespace ImagePattern.Function.Configuration;

/// <summary>
/// The environment variables the function reads: the one list Terraform (<c>terraform/modules/function</c>) and the
/// code share. A test fails when the two drift.
/// </summary>
public static class EnvironmentVariables
{
    /// <summary>Required. Bucket the uploads land in.</summary>
    public const string SourceBucket = "SOURCE_BUCKET";

    /// <summary>Required. Bucket the thumbnails go to.</summary>
    public const string OutputBucket = "OUTPUT_BUCKET";

    /// <summary>Key prefix of the thumbnails; empty or ending in <c>/</c>. Default empty.</summary>
    public const string OutputPrefix = "OUTPUT_PREFIX";

    /// <summary>Comma-separated boxes, <c>WxH</c>. Default <c>128x128,512x512</c>.</summary>
    public const string ThumbnailSizes = "THUMBNAIL_SIZES";

    /// <summary><c>webp</c> | <c>jpeg</c> | <c>png</c> | <c>avif</c> | <c>source</c>. Default <c>webp</c>.</summary>
    public const string OutputFormat = "OUTPUT_FORMAT";

    /// <summary>1–100. Default 80.</summary>
    public const string OutputQuality = "OUTPUT_QUALITY";

    /// <summary>Required. DynamoDB table of task records.</summary>
    public const string TasksTable = "TASKS_TABLE";

    /// <summary>Largest source object in bytes. Default 52428800 (50 MiB).</summary>
    public const string MaxSourceBytes = "MAX_SOURCE_BYTES";

    /// <summary>Largest width × height. Default 100000000.</summary>
    public const string MaxSourcePixels = "MAX_SOURCE_PIXELS";

    /// <summary>Largest width × height for progressive/interlaced images, decoded whole. Default 30000000.</summary>
    public const string MaxInterlacedPixels = "MAX_INTERLACED_PIXELS";

    /// <summary>Days a task record is kept (TTL). Default 30.</summary>
    public const string TaskTtlDays = "TASK_TTL_DAYS";

    /// <summary>
    /// <c>skia</c> (default, SkiaSharp) | <c>libvips</c> (NetVips). What the engine cannot do is refused at the cold
    /// start (<see cref="ImagePattern.Imaging.EngineCapabilities"/>): with skia, OUTPUT_FORMAT=avif and TIFF/HEIF/AVIF suffixes.
    /// </summary>
    public const string ImageEngine = "IMAGE_ENGINE";

    /// <summary>
    /// Comma-separated suffixes of the keys to process, matched case-insensitively (e.g. <c>.jpg,.png</c>). Default: every
    /// suffix the engine decodes (<see cref="ImagePattern.Imaging.EngineCapabilities.InputSuffixes"/>).
    /// </summary>
    public const string ImageSuffixes = "IMAGE_SUFFIXES";

    /// <summary>Service name in logs and metrics. Default <c>imagepattern</c>.</summary>
    public const string ServiceName = "POWERTOOLS_SERVICE_NAME";

    /// <summary><c>DEBUG</c> | <c>INFO</c> | <c>WARN</c> | <c>ERROR</c>. Default <c>INFO</c>.</summary>
    public const string LogLevel = "POWERTOOLS_LOG_LEVEL";

    /// <summary>CloudWatch namespace of the metrics. Default <c>ImagePattern</c>.</summary>
    public const string MetricsNamespace = "POWERTOOLS_METRICS_NAMESPACE";

    /// <summary>Every name above: what Terraform must set.</summary>
    public static IReadOnlyList<string> All { get; } =
    [
        SourceBucket, OutputBucket, OutputPrefix, ThumbnailSizes, OutputFormat, OutputQuality, TasksTable,
        MaxSourceBytes, MaxSourcePixels, MaxInterlacedPixels, TaskTtlDays,
        ImageEngine, ImageSuffixes, ServiceName, LogLevel, MetricsNamespace,
    ];

    /// <summary>Set by the Lambda runtime, not by Terraform.</summary>
    public const string LambdaMemorySize = "AWS_LAMBDA_FUNCTION_MEMORY_SIZE";

    /// <summary>
    /// Set by the Lambda runtime from the function's <c>handler</c> setting: which handler the <c>bootstrap</c> runs
    /// (a <see cref="Pipeline.Consumer.Handler"/> of <see cref="Consumers.All"/>; unset or <c>bootstrap</c> is the thumbnailer).
    /// </summary>
    public const string Handler = "_HANDLER";

    /// <summary>Set by the Lambda runtime: <c>host:port</c> of the Lambda Runtime API.</summary>
    public const string RuntimeApi = "AWS_LAMBDA_RUNTIME_API";
}
