using System.Text.Json;
using Amazon.DynamoDBv2;
using Amazon.S3;
using ImagePattern.Function.Configuration;
using ImagePattern.Function.Events;
using ImagePattern.Function.Observability;
using ImagePattern.Function.Pipeline;
using ImagePattern.Function.Storage;
using ImagePattern.Function.Ledger;
using ImagePattern.Imaging;
using Microsoft.Extensions.Logging;

namespace ImagePattern.Function;

/// <summary>
/// The function composed once per execution environment: settings, clients, engine and pipeline. The Lambda entry
/// point and the local tooling (poller, invoke) both host it, so the same code runs in AWS and on a laptop.
/// </summary>
public sealed class FunctionHost : IDisposable
{
    private readonly BatchProcessor batches;
    private readonly SemaphoreSlim imageSlots;
    private readonly TimeProvider time;
    private readonly TextWriter metricsOutput;
    private readonly ILoggerFactory? ownedLoggerFactory;

    /// <summary>Composes the function from its ports.</summary>
    public FunctionHost(
        FunctionSettings settings,
        ITaskLedger ledger,
        IObjectStore store,
        IThumbnailer thumbnailer,
        ILoggerFactory loggerFactory,
        TimeProvider time,
        TextWriter metricsOutput)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        Settings = settings;
        Ledger = ledger;
        this.time = time;
        this.metricsOutput = metricsOutput;
        imageSlots = new SemaphoreSlim(settings.ImageParallelism, settings.ImageParallelism);
        var tasks = new TaskProcessor(settings, ledger, store, thumbnailer, imageSlots, time, loggerFactory.CreateLogger<TaskProcessor>());
        // Twice the image slots: while some images decode, others are downloading or uploading.
        batches = new BatchProcessor(new NotificationParser(settings.SourceBucket), new ImageKeyFilter(settings.ImageSuffixes), tasks, settings.Recipe, settings.ImageParallelism * 2, loggerFactory.CreateLogger<BatchProcessor>());
    }

    private FunctionHost(FunctionSettings settings, ILoggerFactory loggerFactory, bool ownsLogging, IAmazonS3 s3, IAmazonDynamoDB dynamo, TextWriter metricsOutput)
        : this(
            settings,
            new DynamoDbTaskLedger(dynamo, settings.TasksTable, settings.TaskRetention, TimeProvider.System),
            new S3ObjectStore(s3),
            new VipsThumbnailer(),
            loggerFactory,
            TimeProvider.System,
            metricsOutput)
    {
        ownedLoggerFactory = ownsLogging ? loggerFactory : null;
    }

    /// <summary>The settings in force.</summary>
    public FunctionSettings Settings { get; }

    /// <summary>The task ledger (tooling reads task records through it).</summary>
    public ITaskLedger Ledger { get; }

    /// <summary>
    /// Composes the function the way Lambda runs it: settings from the environment, default AWS clients (which honour
    /// <c>AWS_ENDPOINT_URL*</c>, so the same code reaches local emulators), libvips, JSON logs on stdout.
    /// </summary>
    /// <param name="logging">Logging to use instead of JSON lines on stdout.</param>
    /// <param name="metricsOutput">Where EMF lines go instead of stdout.</param>
    public static FunctionHost FromEnvironment(ILoggerFactory? logging = null, TextWriter? metricsOutput = null)
    {
        var settings = SettingsReader.FromEnvironment();
        // Loading libvips here puts its cost in the cold start rather than in the first invocation's budget.
        _ = VipsThumbnailer.LibVipsVersion;
        return new FunctionHost(
            settings,
            logging ?? FunctionLogging.CreateFactory(settings.ServiceName, settings.LogLevel),
            ownsLogging: logging is null,
            new AmazonS3Client(),
            // The SDK's defaults can keep retrying an unreachable table past the function's timeout; a bounded client
            // fails fast, so the pipeline hands the message back instead of the whole invocation timing out.
            new AmazonDynamoDBClient(new AmazonDynamoDBConfig { Timeout = TimeSpan.FromSeconds(5), MaxErrorRetry = 3 }),
            metricsOutput ?? Console.Out);
    }

    /// <summary>Handles one batch; work is not started once <paramref name="deadline"/> is near.</summary>
    public async Task<SqsBatchResponse> HandleAsync(SqsEvent batch, DateTimeOffset deadline, CancellationToken cancellationToken)
    {
        var metrics = new InvocationMetrics();
        try
        {
            return await batches.ProcessAsync(batch, deadline, metrics, cancellationToken);
        }
        finally
        {
            metrics.Flush(metricsOutput, Settings.MetricsNamespace, Settings.ServiceName, time.GetUtcNow());
            LambdaEnvironment.InvocationFinished();
        }
    }

    /// <summary>Stream in, stream out: the SQS event JSON to the partial-batch response JSON.</summary>
    public async Task<Stream> HandleAsync(Stream input, CancellationToken cancellationToken)
    {
        var deadline = time.GetUtcNow() + Settings.FunctionTimeout;
        SqsEvent batch;
        try
        {
            batch = await JsonSerializer.DeserializeAsync(input, EventJsonContext.Default.SqsEvent, cancellationToken) ?? new SqsEvent();
        }
        catch (JsonException)
        {
            // Not an SQS event: nothing can be named for retry, and retrying the same bytes cannot help.
            batch = new SqsEvent();
        }

        var response = await HandleAsync(batch, deadline, cancellationToken);
        var output = new MemoryStream();
        await JsonSerializer.SerializeAsync(output, response, EventJsonContext.Default.SqsBatchResponse, cancellationToken);
        output.Position = 0;
        return output;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        imageSlots.Dispose();
        ownedLoggerFactory?.Dispose();
    }
}
