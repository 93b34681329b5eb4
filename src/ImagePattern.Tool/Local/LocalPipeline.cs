using Amazon.DynamoDBv2;
using Amazon.S3;
using Amazon.SQS;
using ImagePattern.Function;
using ImagePattern.Function.Configuration;
using ImagePattern.Function.Storage;
using ImagePattern.Function.Ledger;
using ImagePattern.Imaging;
using ImagePattern.Tool.Poller;
using Microsoft.Extensions.Logging;

namespace ImagePattern.Tool.Local;

/// <summary>Knobs for a local run that tests and drills turn; the defaults are the product's.</summary>
public sealed record LocalPipelineOptions
{
    /// <summary>Resource names and settings.</summary>
    public LocalLayout Layout { get; init; } = new();

    /// <summary>Keeps DynamoDB data on disk under this folder; null keeps everything in memory.</summary>
    public string? StateDirectory { get; init; }

    /// <summary>Wraps the function's object store, e.g. to inject faults the emulator cannot produce.</summary>
    public Func<IObjectStore, IObjectStore>? DecorateStore { get; init; }

    /// <summary>Logs of the hosted function (JSON lines); none by default.</summary>
    public ILoggerFactory? FunctionLogging { get; init; }

    /// <summary>Where the function's EMF metric lines go; discarded by default.</summary>
    public TextWriter? MetricsOutput { get; init; }

    /// <summary>False leaves the poller stopped (the <c>invoke</c> path calls the function directly).</summary>
    public bool StartPoller { get; init; } = true;
}

/// <summary>
/// The whole pipeline on one machine: the emulators, the provisioned resources, the real function composed
/// against them, and the event-source-mapping poller feeding it.
/// </summary>
public sealed class LocalPipeline : IAsyncDisposable
{
    private readonly LocalEmulators stack;
    private readonly CancellationTokenSource stopping = new();
    private readonly Task pollerTask;

    private LocalPipeline(LocalEmulators stack, LocalPipelineOptions options, ProvisionedQueues queues, IAmazonS3 s3, IAmazonDynamoDB dynamo, IAmazonSQS sqs)
    {
        this.stack = stack;
        Layout = options.Layout;
        Queues = queues;
        S3 = s3;
        Dynamo = dynamo;
        Sqs = sqs;
        var settings = SettingsReader.Read(name => options.Layout.FunctionEnvironment.GetValueOrDefault(name));
        IObjectStore store = new S3ObjectStore(s3);
        if (options.DecorateStore is not null)
        {
            store = options.DecorateStore(store);
        }

        var loggers = options.FunctionLogging ?? ImagePattern.Function.Observability.FunctionLogging.None;
        Function = new FunctionHost(
            settings,
            new DynamoDbTaskLedger(dynamo, settings.TasksTable, settings.TaskRetention, TimeProvider.System),
            store,
            Thumbnailers.Create(settings.Engine),
            loggers,
            TimeProvider.System,
            options.MetricsOutput ?? TextWriter.Null);
        Poller = new EventSourceMappingPoller(
            sqs,
            new PollerOptions(queues.QueueUrl, queues.QueueArn, stack.Endpoints.Region, Layout.BatchSize, Layout.BatchingWindow, Layout.FunctionTimeout, Layout.MaximumConcurrency),
            Function.HandleAsync,
            TimeProvider.System,
            loggers.CreateLogger<EventSourceMappingPoller>());
        pollerTask = options.StartPoller ? Poller.RunAsync(stopping.Token) : Task.CompletedTask;
    }

    /// <summary>Resource names and settings.</summary>
    public LocalLayout Layout { get; }

    /// <summary>Where the emulators listen.</summary>
    public LocalEndpoints Endpoints => stack.Endpoints;

    /// <summary>The provisioned queues.</summary>
    public ProvisionedQueues Queues { get; }

    /// <summary>S3 client on the stack.</summary>
    public IAmazonS3 S3 { get; }

    /// <summary>DynamoDB client on the stack.</summary>
    public IAmazonDynamoDB Dynamo { get; }

    /// <summary>SQS client on the stack.</summary>
    public IAmazonSQS Sqs { get; }

    /// <summary>The hosted function.</summary>
    public FunctionHost Function { get; }

    /// <summary>The poller feeding it.</summary>
    public EventSourceMappingPoller Poller { get; }

    /// <summary>Starts the emulators, provisions, composes the function and starts polling.</summary>
    public static async Task<LocalPipeline> StartAsync(LocalPipelineOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var stack = await LocalEmulators.StartAsync(RepositoryRoot.Find(), options.StateDirectory, cancellationToken);
        try
        {
            var s3 = stack.Endpoints.CreateS3Client();
            var dynamo = stack.Endpoints.CreateDynamoDbClient();
            var sqs = stack.Endpoints.CreateSqsClient();
            var queues = await LocalProvisioner.ProvisionAsync(options.Layout, s3, dynamo, sqs, cancellationToken);
            return new LocalPipeline(stack, options, queues, s3, dynamo, sqs);
        }
        catch
        {
            await stack.DisposeAsync();
            throw;
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync();
        await pollerTask.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        Function.Dispose();
        Sqs.Dispose();
        S3.Dispose();
        Dynamo.Dispose();
        await stack.DisposeAsync();
        stopping.Dispose();
    }
}
