using System.Globalization;
using System.Text.Json.Nodes;

namespace ImagePattern.Tool.Local;

/// <summary>
/// The resources and settings the local stack provisions: the same names and defaults as the Terraform root module
/// (<c>terraform/variables.tf</c>); a test fails when the two drift.
/// </summary>
public sealed record LocalLayout
{
    /// <summary>Name prefix of every resource (Terraform's <c>name_prefix</c>).</summary>
    public string Name { get; init; } = "imagepattern";

    /// <summary>The emulators' account id, which Terraform's bucket names include.</summary>
    public const string Account = "000000000000";

    /// <summary>The emulators' region.</summary>
    public string Region { get; init; } = "us-east-1";

    /// <summary>Uploads land here (Terraform: <c>&lt;prefix&gt;-source-&lt;account&gt;-&lt;region&gt;</c>).</summary>
    public string SourceBucket => $"{Name}-source-{Account}-{Region}";

    /// <summary>Thumbnails go here (Terraform: <c>&lt;prefix&gt;-output-&lt;account&gt;-&lt;region&gt;</c>).</summary>
    public string OutputBucket => $"{Name}-output-{Account}-{Region}";

    /// <summary>The queue S3 notifies.</summary>
    public string QueueName => $"{Name}-notifications";

    /// <summary>Where messages go after <see cref="MaxReceiveCount"/> receives.</summary>
    public string DeadLetterQueueName => $"{QueueName}-dlq";

    /// <summary>The task table.</summary>
    public string TableName => $"{Name}-tasks";

    /// <summary>
    /// How uploads reach the consumers (Terraform's <c>trigger</c>): <c>s3-notification</c> (S3 → the thumbnail queue),
    /// <c>sns-fanout</c> (S3 → topic → one queue per consumer) or <c>eventbridge</c> (S3 → bus → one rule and queue per consumer).
    /// </summary>
    public string Trigger
    {
        get => trigger;
        init => trigger = Triggers.Contains(value, StringComparer.Ordinal)
            ? value
            : throw new ArgumentException($"trigger must be {string.Join(", ", Triggers)} (got '{value}')", nameof(value));
    }

    private readonly string trigger = "s3-notification";

    /// <summary>The values <see cref="Trigger"/> accepts, as <c>terraform/variables.tf</c> validates them.</summary>
    public static IReadOnlyList<string> Triggers { get; } = ["s3-notification", "sns-fanout", "eventbridge"];

    /// <summary>
    /// The consumers that run, by handler name, the thumbnailer first: every one of the function's consumer list
    /// (<see cref="ImagePattern.Function.Consumers.All"/>) in the fan-out modes, the thumbnailer alone with
    /// <c>s3-notification</c> (S3 refuses two queue rules for the same events), as Terraform's <c>local.consumers</c>
    /// gives with the default <c>consumers</c> map.
    /// </summary>
    public IReadOnlyList<string> Consumers =>
        Trigger == "s3-notification" ? [Thumbnails] : ImagePattern.Function.Consumers.All.Select(c => c.Handler).ToList();

    /// <summary>The thumbnailer's handler name: the consumer whose resources keep the stack's original names.</summary>
    public const string Thumbnails = "thumbnails";

    /// <summary>
    /// The access key id a consumer's function (<paramref name="process"/> <c>function</c>) or its event-source-mapping
    /// poller (<c>poller</c>, which Lambda runs with the function's role) signs with: <c>&lt;name&gt;.&lt;trigger&gt;.&lt;consumer&gt;.&lt;process&gt;</c>,
    /// e.g. <c>imagepattern.s3-notification.thumbnails.function</c>. The emulators check no signature; the key id names
    /// the caller in their request log (<c>IMAGEPATTERN_REQUEST_LOG</c>), which tools/permissions evaluates against
    /// the consumer's role as Terraform renders it for the trigger. The tooling's own clients sign as <c>local</c>.
    /// </summary>
    public string AccessKeyId(string consumer, string process) => $"{Name}.{Trigger}.{consumer}.{process}";

    /// <summary>The SNS topic of <c>sns-fanout</c>.</summary>
    public string TopicName => $"{Name}-uploads";

    /// <summary>The EventBridge rule of <paramref name="consumer"/> in <c>eventbridge</c> mode.</summary>
    public string RuleName(string consumer) => $"{Name}-{consumer}";

    /// <summary>
    /// The queue of <paramref name="consumer"/>: <c>&lt;name&gt;-&lt;consumer&gt;</c>, except the thumbnailer's,
    /// which keeps <see cref="QueueName"/> (Terraform's <c>names</c> override).
    /// </summary>
    public string QueueNameOf(string consumer) => consumer == Thumbnails ? QueueName : $"{Name}-{consumer}";

    /// <summary>The DLQ of <paramref name="consumer"/>: its queue's name and <c>-dlq</c>.</summary>
    public string DeadLetterQueueNameOf(string consumer) => $"{QueueNameOf(consumer)}-dlq";

    /// <summary>The task table of <paramref name="consumer"/>: <c>&lt;name&gt;-&lt;consumer&gt;</c>, the thumbnailer's <see cref="TableName"/>.</summary>
    public string TableNameOf(string consumer) => consumer == Thumbnails ? TableName : $"{Name}-{consumer}";

    /// <summary>
    /// The event pattern of every consumer's rule, as <c>terraform/main.tf</c> writes it: the bucket, and the function's
    /// extensions ignoring case when there is no source prefix, else the prefix (EventBridge ORs the matchers of one field).
    /// </summary>
    public string EventPattern
    {
        get
        {
            var key = UploadPrefix.Length == 0
                ? new JsonArray(FunctionImageSuffixes.Select(s => (JsonNode)new JsonObject { ["suffix"] = new JsonObject { ["equals-ignore-case"] = s } }).ToArray())
                : new JsonArray(new JsonObject { ["prefix"] = UploadPrefix });
            return new JsonObject
            {
                ["source"] = new JsonArray("aws.s3"),
                ["detail-type"] = new JsonArray("Object Created"),
                ["detail"] = new JsonObject
                {
                    ["bucket"] = new JsonObject { ["name"] = new JsonArray(SourceBucket) },
                    ["object"] = new JsonObject { ["key"] = key },
                },
            }.ToJsonString();
        }
    }

    /// <summary>Only keys under this prefix notify (empty: all).</summary>
    public string UploadPrefix { get; init; } = "";

    /// <summary>
    /// Extensions the function thumbnails (<c>IMAGE_SUFFIXES</c>, matched in any case); null follows the function's
    /// default, as Terraform's <c>image_suffixes = null</c> does.
    /// </summary>
    public IReadOnlyList<string>? ImageSuffixes { get; init; } =
        NonEmpty(Environment.GetEnvironmentVariable("IMAGE_SUFFIXES"))?.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);

    /// <summary>The extensions in force: <see cref="ImageSuffixes"/> or what <see cref="ImageEngine"/> decodes.</summary>
    public IReadOnlyList<string> FunctionImageSuffixes =>
        ImageSuffixes ?? (ImagePattern.Imaging.EngineCapabilities.FindByName(ImageEngine) ?? ImagePattern.Imaging.EngineCapabilities.Default).InputSuffixes;

    /// <summary>
    /// The source bucket's notification rules, as <c>terraform/modules/buckets</c> deploys them: one prefix-only rule
    /// (S3 suffix filters are case-sensitive and would miss <c>IMG_0001.Jpg</c>); the function filters extensions.
    /// </summary>
    public IReadOnlyList<NotificationRule> NotificationRules => [new NotificationRule("thumbnails", UploadPrefix)];

    /// <summary>Thumbnail key prefix in the output bucket.</summary>
    public string OutputPrefix { get; init; } = "";

    /// <summary>Thumbnail boxes, <c>WxH</c> comma-separated.</summary>
    public string ThumbnailSizes { get; init; } = "128x128,512x512";

    /// <summary>Thumbnail format.</summary>
    public string OutputFormat { get; init; } = "webp";

    /// <summary>Thumbnail quality.</summary>
    public int OutputQuality { get; init; } = 80;

    /// <summary>The function timeout: the poller's deadline for each invocation, which the function receives as the Runtime API's <c>Lambda-Runtime-Deadline-Ms</c>.</summary>
    public TimeSpan FunctionTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Function memory, which buys vCPUs.</summary>
    public int MemoryMegabytes { get; init; } = 1769;

    /// <summary>Task records kept this long (days).</summary>
    public int TaskTtlDays { get; init; } = 30;

    /// <summary>Most messages per invocation.</summary>
    public int BatchSize { get; init; } = 10;

    /// <summary>How long the mapping gathers messages.</summary>
    public TimeSpan BatchingWindow { get; init; } = TimeSpan.Zero;

    /// <summary>Most concurrent invocations.</summary>
    public int MaximumConcurrency { get; init; } = 10;

    /// <summary>Receives before a message moves to the DLQ.</summary>
    public int MaxReceiveCount { get; init; } = 5;

    /// <summary>Source retention on the queue (4 days, the SQS default).</summary>
    public TimeSpan MessageRetention { get; init; } = TimeSpan.FromDays(4);

    /// <summary>DLQ retention (14 days, the most SQS allows).</summary>
    public TimeSpan DeadLetterRetention { get; init; } = TimeSpan.FromDays(14);

    /// <summary>Derived, never typed: six function timeouts plus the batching window, as AWS recommends.</summary>
    public TimeSpan VisibilityTimeout => (FunctionTimeout * 6) + BatchingWindow;

    /// <summary>
    /// The thumbnail engine the local function runs on: <c>IMAGE_ENGINE</c> of this process (<c>make local IMAGE_ENGINE=libvips</c>),
    /// else <c>skia</c>, as in AWS.
    /// </summary>
    public string ImageEngine { get; init; } = NonEmpty(Environment.GetEnvironmentVariable("IMAGE_ENGINE")) ?? "skia";

    /// <summary>The function's environment variables for this layout.</summary>
    public IReadOnlyDictionary<string, string> FunctionEnvironment => new Dictionary<string, string>
    {
        ["SOURCE_BUCKET"] = SourceBucket,
        ["OUTPUT_BUCKET"] = OutputBucket,
        ["OUTPUT_PREFIX"] = OutputPrefix,
        ["THUMBNAIL_SIZES"] = ThumbnailSizes,
        ["OUTPUT_FORMAT"] = OutputFormat,
        ["OUTPUT_QUALITY"] = OutputQuality.ToString(CultureInfo.InvariantCulture),
        ["TASKS_TABLE"] = TableName,
        ["TASK_TTL_DAYS"] = TaskTtlDays.ToString(CultureInfo.InvariantCulture),
        ["IMAGE_ENGINE"] = ImageEngine,
        ["IMAGE_SUFFIXES"] = string.Join(',', FunctionImageSuffixes),
        // In AWS every concurrent invocation has its own vCPUs; locally they share one host, so its image slots
        // stand for this machine's cores.
        ["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"] = Math.Min(10240, MemoryMegabytes * Environment.ProcessorCount).ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>
    /// The environment of <paramref name="consumer"/>: the variables it reads (<see cref="ImagePattern.Function.Pipeline.Consumer.Variables"/>)
    /// from <see cref="FunctionEnvironment"/>, with its own table, and the host's memory as above. The thumbnailer's is
    /// <see cref="FunctionEnvironment"/> itself.
    /// </summary>
    /// <exception cref="ArgumentException">The function has no consumer of that name.</exception>
    public IReadOnlyDictionary<string, string> EnvironmentOf(string consumer)
    {
        var thumbnails = FunctionEnvironment;
        if (consumer == Thumbnails)
        {
            return thumbnails;
        }

        var environment = ImagePattern.Function.Consumers.Find(consumer).Variables
            .Where(thumbnails.ContainsKey)
            .ToDictionary(name => name, name => thumbnails[name]);
        environment["TASKS_TABLE"] = TableNameOf(consumer);
        environment["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"] = thumbnails["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"];
        return environment;
    }

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}

/// <summary>One queue notification rule of the source bucket: every ObjectCreated event under <paramref name="Prefix"/>.</summary>
/// <param name="Id">Configuration id (Terraform's key in <c>notification_queue_arns</c>).</param>
/// <param name="Prefix">Key prefix; empty for the whole bucket.</param>
public sealed record NotificationRule(string Id, string Prefix);
