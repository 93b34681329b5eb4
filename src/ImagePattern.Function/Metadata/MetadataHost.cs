using Amazon.DynamoDBv2;
using Amazon.S3;
using ImagePattern.Function.Events;
using ImagePattern.Function.Ledger;
using ImagePattern.Function.Observability;
using ImagePattern.Function.Pipeline;
using ImagePattern.Function.Storage;
using ImagePattern.Imaging.Inspection;
using Microsoft.Extensions.Logging;

namespace ImagePattern.Function.Metadata;

/// <summary>
/// The image-metadata consumer composed once per execution environment (the handler <c>_HANDLER=metadata</c> selects):
/// the same batch loop and dedup state machine as the thumbnailer (<see cref="BatchProcessor"/>,
/// <see cref="TaskProcessor"/>), with <see cref="MetadataWork"/> as the work and its own recipe, so its tasks never
/// collide with thumbnail tasks even in a shared table.
/// </summary>
public sealed class MetadataHost : ISqsBatchHandler, IDisposable
{
    private readonly BatchInvocation invocations;
    private readonly SemaphoreSlim imageSlots;
    private readonly ILoggerFactory? ownedLoggerFactory;

    /// <summary>Composes the consumer from its ports.</summary>
    public MetadataHost(
        MetadataSettings settings,
        ITaskLedger ledger,
        IObjectStore store,
        IImageInspector inspector,
        ILoggerFactory loggerFactory,
        TimeProvider time,
        TextWriter metricsOutput)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        Settings = settings;
        imageSlots = new SemaphoreSlim(settings.ImageParallelism, settings.ImageParallelism);
        var work = new MetadataWork(inspector, settings.Limits);
        var tasks = new TaskProcessor(work, ledger, store, imageSlots, time, loggerFactory.CreateLogger<TaskProcessor>());
        var batches = new BatchProcessor(new NotificationParser(settings.SourceBucket), new ImageKeyFilter(settings.ImageSuffixes), tasks, work.Recipe, settings.ImageParallelism * 2, loggerFactory.CreateLogger<BatchProcessor>());
        invocations = new BatchInvocation(batches, settings.MinimumTimeToStart, time, metricsOutput, settings.MetricsNamespace, settings.ServiceName);
    }

    /// <summary>The settings in force.</summary>
    public MetadataSettings Settings { get; }

    /// <summary>
    /// Composes the consumer the way Lambda runs it: <see cref="MetadataSettings"/> from the environment, default AWS
    /// clients (which honour <c>AWS_ENDPOINT_URL*</c>), SkiaSharp, JSON logs on stdout.
    /// </summary>
    /// <param name="logging">Logging to use instead of JSON lines on stdout (the host then does not dispose it).</param>
    /// <param name="metricsOutput">Where EMF lines go instead of stdout.</param>
    /// <exception cref="Configuration.SettingsException">A variable is missing or invalid.</exception>
    public static MetadataHost FromEnvironment(ILoggerFactory? logging = null, TextWriter? metricsOutput = null)
    {
        var settings = MetadataSettings.FromEnvironment();
        var factory = logging ?? FunctionLogging.CreateFactory(settings.ServiceName, settings.LogLevel);
        var host = new MetadataHost(
            settings,
            // Bounded like the thumbnailer's: an unreachable table fails fast and the message is handed back.
            new DynamoDbTaskLedger(
                new AmazonDynamoDBClient(new AmazonDynamoDBConfig { Timeout = TimeSpan.FromSeconds(5), MaxErrorRetry = 3 }),
                settings.TasksTable,
                settings.TaskRetention,
                TimeProvider.System),
            new S3ObjectStore(new AmazonS3Client()),
            new SkiaImageInspector(),
            factory,
            TimeProvider.System,
            metricsOutput ?? Console.Out,
            ownsLogging: logging is null);
        return host;
    }

    private MetadataHost(
        MetadataSettings settings, ITaskLedger ledger, IObjectStore store, IImageInspector inspector, ILoggerFactory loggerFactory, TimeProvider time, TextWriter metricsOutput, bool ownsLogging)
        : this(settings, ledger, store, inspector, loggerFactory, time, metricsOutput)
    {
        ownedLoggerFactory = ownsLogging ? loggerFactory : null;
    }

    /// <summary>Handles one SQS batch; work is not started once <paramref name="deadline"/> is near. Never throws for bad messages.</summary>
    public Task<SqsBatchResponse> HandleAsync(SqsEvent batch, DateTimeOffset deadline, CancellationToken cancellationToken) =>
        invocations.RunAsync(batch, deadline, cancellationToken);

    /// <inheritdoc />
    public void Dispose()
    {
        imageSlots.Dispose();
        ownedLoggerFactory?.Dispose();
    }
}
