using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using ImagePattern.Function.Pipeline;
using ImagePattern.Imaging;
using Microsoft.Extensions.Logging;

namespace ImagePattern.Function.Configuration;

/// <summary>
/// The function's configuration, read once per execution environment from the environment variables
/// Terraform sets (<see cref="EnvironmentVariables"/>). Invalid values fail the cold start with one message
/// that lists every problem.
/// </summary>
public sealed record FunctionSettings
{
    /// <summary>Bucket the notifications must come from; records for other buckets are skipped.</summary>
    public required string SourceBucket { get; init; }

    /// <summary>Bucket thumbnails are written to.</summary>
    public required string OutputBucket { get; init; }

    /// <summary>Key prefix for thumbnails (empty or ending in <c>/</c>).</summary>
    public string OutputPrefix { get; init; } = "";

    /// <summary>Boxes thumbnails must fit inside.</summary>
    public required IReadOnlyList<ThumbnailBox> Sizes { get; init; }

    /// <summary>Format and quality of the thumbnails.</summary>
    public required EncodeOptions Encode { get; init; }

    /// <summary>DynamoDB table holding the task records.</summary>
    public required string TasksTable { get; init; }

    /// <summary>The thumbnail engine (<c>IMAGE_ENGINE</c>); only this one is loaded.</summary>
    public ImageEngine Engine { get; init; } = ImageEngine.Skia;

    /// <summary>
    /// Key suffixes to process, lower case with the dot (<c>IMAGE_SUFFIXES</c>, default: what <see cref="Engine"/> decodes).
    /// Matched case-insensitively; a key with another suffix is Ignored without being read.
    /// </summary>
    public IReadOnlyList<string> ImageSuffixes { get; init; } = EngineCapabilities.Skia.InputSuffixes;

    /// <summary>Guard rails applied before decoding.</summary>
    public required ImageLimits Limits { get; init; }

    /// <summary>How long finished task records are kept (the table's TTL).</summary>
    public TimeSpan TaskRetention { get; init; } = TimeSpan.FromDays(30);

    /// <summary>Service name in logs and metric dimensions.</summary>
    public string ServiceName { get; init; } = "imagepattern";

    /// <summary>Minimum log level.</summary>
    public LogLevel LogLevel { get; init; } = LogLevel.Information;

    /// <summary>CloudWatch namespace of the EMF metrics.</summary>
    public string MetricsNamespace { get; init; } = "ImagePattern";

    /// <summary>Function memory in MB (<c>AWS_LAMBDA_FUNCTION_MEMORY_SIZE</c>), which buys vCPUs.</summary>
    public int MemoryMegabytes { get; init; } = 1769;

    /// <summary>
    /// Short fingerprint of what shapes the output (sizes, format, quality): part of the task id, so changing the
    /// settings reprocesses and re-uploading the same bytes does not.
    /// </summary>
    public string Recipe => recipe ??= ComputeRecipe();

    private string? recipe;

    /// <summary>
    /// Images processed at once: Lambda gives one vCPU per 1,769 MB (up to 6), and each engine decodes an image on one thread.
    /// </summary>
    public int ImageParallelism => SlotsFor(MemoryMegabytes);

    /// <summary>The image slots <paramref name="memoryMegabytes"/> buys (see <see cref="ImageParallelism"/>).</summary>
    public static int SlotsFor(int memoryMegabytes) => Math.Clamp((int)Math.Ceiling(memoryMegabytes / 1769.0), 1, 6);

    /// <summary>
    /// Work on an object is not started with less than this left before the invocation's deadline (the Runtime API's
    /// <c>Lambda-Runtime-Deadline-Ms</c>), or a quarter of the invocation's time if that is less: 2 s, enough for a
    /// claim, a read, the thumbnails and the writes of a typical image; the message is handed back instead.
    /// </summary>
    public TimeSpan MinimumTimeToStart { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>The part of these settings every consumer's pipeline shares (<see cref="ConsumerSettings"/>).</summary>
    public ConsumerSettings Pipeline => new()
    {
        SourceBucket = SourceBucket,
        ImageSuffixes = ImageSuffixes,
        TasksTable = TasksTable,
        Limits = Limits,
        TaskRetention = TaskRetention,
        ServiceName = ServiceName,
        LogLevel = LogLevel,
        MetricsNamespace = MetricsNamespace,
        MemoryMegabytes = MemoryMegabytes,
        MinimumTimeToStart = MinimumTimeToStart,
    };

    private string ComputeRecipe()
    {
        var canonical = string.Join(';',
            // v2: thumbnail keys keep the whole source key (cat.jpg → cat.jpg.webp). Bumping the version gives every
            // object a new task id, so a backfill re-makes thumbnails under the new keys instead of finding v1 tasks done.
            "v2",
            string.Join(',', Sizes.Select(s => $"{s.Width}x{s.Height}")),
            Encode.Format.ToString().ToLowerInvariant(),
            Encode.Quality.ToString(CultureInfo.InvariantCulture));
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(canonical));
        return Convert.ToHexStringLower(hash.AsSpan(0, 4));
    }
}
