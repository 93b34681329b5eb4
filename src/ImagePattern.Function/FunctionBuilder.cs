using Amazon.DynamoDBv2;
using Amazon.S3;
using ImagePattern.Function.Configuration;
using ImagePattern.Function.Events;
using ImagePattern.Function.Ledger;
using ImagePattern.Function.Observability;
using ImagePattern.Function.Pipeline;
using ImagePattern.Function.Storage;
using ImagePattern.Imaging;
using ImagePattern.Imaging.Inspection;
using Microsoft.Extensions.Logging;

namespace ImagePattern.Function;

/// <summary>
/// The one place the function is composed, for every consumer (<see cref="Consumers.All"/>): the consumer's work on
/// the one generic host and batch pipeline, plus, optionally, the ports to use instead of the defaults. The Lambda
/// entry, the in-process host of the tests and tools, and the bench all build through it, so what runs on Lambda and
/// what the tests exercise differ only in the ports they override.
/// </summary>
/// <remarks>
/// Defaults, as on Lambda: the task ledger on DynamoDB and the object store on S3 through default AWS SDK clients
/// (which honour <c>AWS_ENDPOINT_URL*</c>, so the same code reaches local emulators), the engine the consumer asks for
/// (the thumbnailer's <c>IMAGE_ENGINE</c>, SkiaSharp unless set), <see cref="TimeProvider.System"/>, JSON log lines and
/// EMF metric lines on stdout. Every client, logger factory and semaphore created here is disposed with the host.
/// </remarks>
public sealed class FunctionBuilder
{
    private readonly Consumer consumer;
    private readonly Func<ConsumerContext, ComposedWork> compose;
    private readonly Func<string, string?> variables;
    private ITaskLedger? ledger;
    private IObjectStore? store;
    private IThumbnailer? thumbnailer;
    private TimeProvider time = TimeProvider.System;
    private ILoggerFactory? logging;
    private TextWriter? metricsOutput;

    /// <summary>A builder for the thumbnailer configured by <paramref name="settings"/> (tests, tools, the bench).</summary>
    public FunctionBuilder(FunctionSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        consumer = Consumers.Thumbnails;
        compose = context => ThumbnailWork.Compose(settings, context);
        variables = _ => null;
    }

    private FunctionBuilder(Consumer consumer, Func<string, string?> variables)
    {
        this.consumer = consumer;
        compose = consumer.Compose;
        this.variables = variables;
    }

    /// <summary>
    /// A builder for <paramref name="consumer"/>, whose settings are read through <paramref name="variables"/> when
    /// the host is built.
    /// </summary>
    public static FunctionBuilder For(Consumer consumer, Func<string, string?> variables)
    {
        ArgumentNullException.ThrowIfNull(consumer);
        ArgumentNullException.ThrowIfNull(variables);
        return new FunctionBuilder(consumer, variables);
    }

    /// <summary>
    /// The consumer <c>_HANDLER</c> names (the thumbnailer when unset), configured from the process environment
    /// (<see cref="EnvironmentVariables"/>) when the host is built.
    /// </summary>
    /// <exception cref="ArgumentException">No consumer has the handler name <c>_HANDLER</c> gives.</exception>
    public static FunctionBuilder FromEnvironment() =>
        For(Consumers.Find(Environment.GetEnvironmentVariable(EnvironmentVariables.Handler)), Environment.GetEnvironmentVariable);

    /// <summary>Uses <paramref name="value"/> as the task ledger instead of the DynamoDB table.</summary>
    public FunctionBuilder WithLedger(ITaskLedger value) => Set(ref ledger, value);

    /// <summary>Uses <paramref name="value"/> as the object store instead of S3.</summary>
    public FunctionBuilder WithObjectStore(IObjectStore value) => Set(ref store, value);

    /// <summary>Uses <paramref name="value"/> as the thumbnail engine, whichever the settings name.</summary>
    public FunctionBuilder WithThumbnailer(IThumbnailer value) => Set(ref thumbnailer, value);

    /// <summary>Uses <paramref name="value"/> for every clock reading (leases, deadlines, metric timestamps).</summary>
    public FunctionBuilder WithTime(TimeProvider value) => Set(ref time, value);

    /// <summary>Logs through <paramref name="value"/> (owned by the caller) instead of JSON lines on stdout.</summary>
    public FunctionBuilder WithLogging(ILoggerFactory value) => Set(ref logging, value);

    /// <summary>Writes the EMF metric lines to <paramref name="value"/> instead of stdout.</summary>
    public FunctionBuilder WithMetricsOutput(TextWriter value) => Set(ref metricsOutput, value);

    private FunctionBuilder Set<T>(ref T field, T value)
    {
        field = value;
        return this;
    }

    /// <summary>Composes the consumer. Disposing the host disposes what the builder created (clients, logging, slots).</summary>
    /// <exception cref="SettingsException">The consumer's configuration is invalid; the message names every problem.</exception>
    public FunctionHost Build()
    {
        var owned = new List<IDisposable>();
        try
        {
            return Build(owned);
        }
        catch
        {
            foreach (var disposable in Enumerable.Reverse(owned))
            {
                disposable.Dispose();
            }

            throw;
        }
    }

    private FunctionHost Build(List<IDisposable> owned)
    {
        var objectStore = store;
        if (objectStore is null)
        {
            var s3 = new AmazonS3Client();
            owned.Add(s3);
            objectStore = new S3ObjectStore(s3);
        }

        // Only the engine the consumer asks for is created, and it loads its native library now: the cost belongs to
        // the cold start, not to the first invocation's budget.
        var context = new ConsumerContext(variables, objectStore, engine => thumbnailer ?? Thumbnailers.Create(engine), () => new SkiaImageInspector());
        var (settings, work) = compose(context);

        var loggers = logging;
        if (loggers is null)
        {
            loggers = FunctionLogging.CreateFactory(settings.ServiceName, settings.LogLevel);
            owned.Add(loggers);
        }

        var taskLedger = ledger;
        if (taskLedger is null)
        {
            // The SDK's defaults can keep retrying an unreachable table past the invocation's deadline; a bounded
            // client fails fast, so the pipeline hands the message back instead of the whole invocation timing out.
            var dynamo = new AmazonDynamoDBClient(new AmazonDynamoDBConfig { Timeout = TimeSpan.FromSeconds(5), MaxErrorRetry = 3 });
            owned.Add(dynamo);
            taskLedger = new DynamoDbTaskLedger(dynamo, settings.TasksTable, settings.TaskRetention, time);
        }

        var imageSlots = new SemaphoreSlim(settings.ImageParallelism, settings.ImageParallelism);
        owned.Add(imageSlots);
        var tasks = new TaskProcessor(work, taskLedger, objectStore, imageSlots, time, loggers.CreateLogger<TaskProcessor>());
        // Twice the image slots: while some images decode, others are downloading or uploading.
        var batches = new BatchProcessor(
            new NotificationParser(settings.SourceBucket),
            new ImageKeyFilter(settings.ImageSuffixes),
            tasks,
            work.Recipe,
            settings.ImageParallelism * 2,
            loggers.CreateLogger<BatchProcessor>());
        var invocations = new BatchInvocation(
            batches, settings.MinimumTimeToStart, time, metricsOutput ?? Console.Out, settings.MetricsNamespace, settings.ServiceName, loggers.CreateLogger<BatchInvocation>());
        return new FunctionHost(consumer.Handler, settings, work.Recipe, invocations, owned);
    }
}
