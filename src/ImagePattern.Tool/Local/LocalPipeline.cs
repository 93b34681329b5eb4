using Amazon.DynamoDBv2;
using Amazon.S3;
using Amazon.SQS;
using ImagePattern.Function;
using ImagePattern.Function.Configuration;
using ImagePattern.Function.Ledger;
using ImagePattern.Function.Metadata;
using ImagePattern.Function.Storage;
using ImagePattern.Imaging.Inspection;
using ImagePattern.Tool.Emulators.LambdaRuntime;
using ImagePattern.Tool.Emulators.LambdaEventSourceMapping;
using Microsoft.Extensions.Logging;

namespace ImagePattern.Tool.Local;

/// <summary>Knobs for a local run that tests and drills turn; the defaults are the product's.</summary>
public sealed record LocalPipelineOptions
{
    /// <summary>Resource names and settings.</summary>
    public LocalLayout Layout { get; init; } = new();

    /// <summary>Keeps DynamoDB data on disk under this folder; null keeps everything in memory.</summary>
    public string? StateDirectory { get; init; }

    /// <summary>
    /// The function package (<c>artifacts/function-&lt;arch&gt;.zip</c>) to run: its <c>bootstrap</c> runs as child
    /// processes behind the Runtime API emulator, as on Lambda. Null runs the function in this process instead
    /// (composed by <see cref="FunctionBuilder"/>), which the fault-injecting tests need.
    /// </summary>
    public string? Package { get; init; }

    /// <summary>Receives each stdout line of the packaged bootstrap (its JSON logs and EMF lines).</summary>
    public Action<string>? PackageOutput { get; init; }

    /// <summary>In process only: wraps the function's object store, e.g. to inject faults the emulator cannot produce.</summary>
    public Func<IObjectStore, IObjectStore>? DecorateStore { get; init; }

    /// <summary>In process only: wraps the metadata consumer's object store (fan-out modes), e.g. to make it fail every message.</summary>
    public Func<IObjectStore, IObjectStore>? DecorateMetadataStore { get; init; }

    /// <summary>In process only: logs of the hosted function (JSON lines); none by default.</summary>
    public ILoggerFactory? FunctionLogging { get; init; }

    /// <summary>In process only: where the function's EMF metric lines go; discarded by default.</summary>
    public TextWriter? MetricsOutput { get; init; }

    /// <summary>False leaves the poller stopped (callers invoke through <see cref="LocalPipeline.Invoke"/>).</summary>
    public bool StartPoller { get; init; } = true;
}

/// <summary>
/// The whole pipeline on one machine: the emulators, the provisioned resources, the real function (the packaged
/// bootstrap, or composed in process) and the event-source-mapping poller feeding it.
/// </summary>
public sealed class LocalPipeline : IAsyncDisposable
{
    private readonly LocalEmulators stack;
    private readonly CancellationTokenSource stopping = new();
    private readonly Task pollerTask;
    private readonly FunctionHost? host;
    private readonly PackagedFunction? packaged;
    private readonly DirectoryInfo? taskRoot;
    private readonly Task metadataPollerTask = Task.CompletedTask;
    private readonly MetadataHost? metadataHost;
    private readonly PackagedFunction? metadataPackaged;

    // The function's and the pollers' own clients: each signs as its consumer's process (LocalLayout.AccessKeyId).
    private readonly List<IDisposable> signedClients = [];

    private LocalPipeline(LocalEmulators stack, LocalPipelineOptions options, ProvisionedQueues queues, IAmazonS3 s3, IAmazonDynamoDB dynamo, IAmazonSQS sqs)
    {
        this.stack = stack;
        Layout = options.Layout;
        Queues = queues;
        S3 = s3;
        Dynamo = dynamo;
        Sqs = sqs;
        Settings = SettingsReader.Read(name => options.Layout.FunctionEnvironment.GetValueOrDefault(name));
        Tasks = new TaskTableReader(dynamo, Settings.TasksTable);
        var loggers = options.FunctionLogging ?? ImagePattern.Function.Observability.FunctionLogging.None;
        string? unpacked = null;
        if (options.Package is { } zip)
        {
            taskRoot = Directory.CreateTempSubdirectory("imagepattern-task-root-");
            unpacked = ExecutionEnvironment.Unpack(zip, taskRoot.FullName);
            packaged = new PackagedFunction(
                new ExecutionEnvironmentOptions
                {
                    TaskRoot = unpacked,
                    Environment = stack.Endpoints.EnvironmentVariablesFor(Layout.AccessKeyId("thumbnails", "function")).Concat(Layout.FunctionEnvironment).ToDictionary(),
                    FunctionName = $"{Layout.Name}-thumbnails",
                    StandardOutput = options.PackageOutput,
                    StandardError = options.PackageOutput,
                },
                Layout.MaximumConcurrency);
            Invoke = packaged.HandleAsync;
        }
        else
        {
            IObjectStore store = new S3ObjectStore(Signed(stack.Endpoints.CreateS3Client(Layout.AccessKeyId("thumbnails", "function"))));
            if (options.DecorateStore is not null)
            {
                store = options.DecorateStore(store);
            }

            host = new FunctionBuilder(Settings)
                .WithLedger(new DynamoDbTaskLedger(Signed(stack.Endpoints.CreateDynamoDbClient(Layout.AccessKeyId("thumbnails", "function"))), Settings.TasksTable, Settings.TaskRetention, TimeProvider.System))
                .WithObjectStore(store)
                .WithLogging(loggers)
                .WithMetricsOutput(options.MetricsOutput ?? TextWriter.Null)
                .Build();
            Invoke = new LambdaEntryPoint(host).HandleAsync;
        }

        Poller = new EventSourceMappingPoller(
            Signed(stack.Endpoints.CreateSqsClient(accessKeyId: Layout.AccessKeyId("thumbnails", "poller"))),
            new PollerOptions(queues.QueueUrl, queues.QueueArn, stack.Endpoints.Region, Layout.BatchSize, Layout.BatchingWindow, Layout.FunctionTimeout, Layout.MaximumConcurrency),
            Invoke,
            TimeProvider.System,
            loggers.CreateLogger<EventSourceMappingPoller>());
        pollerTask = options.StartPoller ? Poller.RunAsync(stopping.Token) : Task.CompletedTask;

        if (queues.Metadata is { } metadataQueues)
        {
            // The second consumer: its own queue, poller and table; the same package with _HANDLER=metadata.
            BatchHandler invokeMetadata;
            if (unpacked is not null)
            {
                metadataPackaged = new PackagedFunction(
                    new ExecutionEnvironmentOptions
                    {
                        TaskRoot = unpacked,
                        Environment = stack.Endpoints.EnvironmentVariablesFor(Layout.AccessKeyId("metadata", "function")).Concat(Layout.MetadataEnvironment).ToDictionary(),
                        Handler = "metadata",
                        FunctionName = $"{Layout.Name}-metadata",
                        StandardOutput = options.PackageOutput,
                        StandardError = options.PackageOutput,
                    },
                    Layout.MaximumConcurrency);
                invokeMetadata = metadataPackaged.HandleAsync;
            }
            else
            {
                var metadataSettings = MetadataSettings.Read(name => Layout.MetadataEnvironment.GetValueOrDefault(name));
                IObjectStore store = new S3ObjectStore(Signed(stack.Endpoints.CreateS3Client(Layout.AccessKeyId("metadata", "function"))));
                if (options.DecorateMetadataStore is not null)
                {
                    store = options.DecorateMetadataStore(store);
                }

                metadataHost = new MetadataHost(
                    metadataSettings,
                    new DynamoDbTaskLedger(Signed(stack.Endpoints.CreateDynamoDbClient(Layout.AccessKeyId("metadata", "function"))), metadataSettings.TasksTable, metadataSettings.TaskRetention, TimeProvider.System),
                    store,
                    new SkiaImageInspector(),
                    loggers,
                    TimeProvider.System,
                    options.MetricsOutput ?? TextWriter.Null);
                invokeMetadata = new LambdaEntryPoint(metadataHost).HandleAsync;
            }

            MetadataPoller = new EventSourceMappingPoller(
                Signed(stack.Endpoints.CreateSqsClient(accessKeyId: Layout.AccessKeyId("metadata", "poller"))),
                new PollerOptions(metadataQueues.QueueUrl, metadataQueues.QueueArn, stack.Endpoints.Region, Layout.BatchSize, Layout.BatchingWindow, Layout.FunctionTimeout, Layout.MaximumConcurrency),
                invokeMetadata,
                TimeProvider.System,
                loggers.CreateLogger<EventSourceMappingPoller>());
            MetadataRecords = new TaskTableReader(dynamo, Layout.MetadataTableName);
            metadataPollerTask = options.StartPoller ? MetadataPoller.RunAsync(stopping.Token) : Task.CompletedTask;
        }
    }

    private T Signed<T>(T client)
        where T : IDisposable
    {
        signedClients.Add(client);
        return client;
    }

    /// <summary>The metadata consumer's poller, or null in <c>s3-notification</c> mode.</summary>
    public EventSourceMappingPoller? MetadataPoller { get; }

    /// <summary>The metadata consumer's table, read as the tools read it, or null in <c>s3-notification</c> mode.</summary>
    public TaskTableReader? MetadataRecords { get; }

    /// <summary>Resource names and settings.</summary>
    public LocalLayout Layout { get; }

    /// <summary>The function's settings, read from the same environment the function gets.</summary>
    public FunctionSettings Settings { get; }

    /// <summary>Where the emulators listen.</summary>
    public LocalEndpoints Endpoints => stack.Endpoints;

    /// <summary>The provisioned queues.</summary>
    public ProvisionedQueues Queues { get; }

    /// <summary>S3 client on the stack.</summary>
    public IAmazonS3 S3 { get; }

    /// <summary>DynamoDB client on the stack.</summary>
    public IAmazonDynamoDB Dynamo { get; }

    /// <summary>The task table, read as the tools read it.</summary>
    public TaskTableReader Tasks { get; }

    /// <summary>SQS client on the stack.</summary>
    public IAmazonSQS Sqs { get; }

    /// <summary>How a batch reaches the function: through its JSON, as the event source mapping sends it.</summary>
    public BatchHandler Invoke { get; }

    /// <summary>The poller feeding it.</summary>
    public EventSourceMappingPoller Poller { get; }

    /// <summary>Starts the emulators, provisions, composes the function and starts polling.</summary>
    public static async Task<LocalPipeline> StartAsync(LocalPipelineOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Package is { } zip && !File.Exists(zip))
        {
            throw new FileNotFoundException($"No function package at {zip}: build it with `make package`.", zip);
        }

        var stack = await LocalEmulators.StartAsync(RepositoryRoot.Find(), options.StateDirectory, cancellationToken);
        try
        {
            var s3 = stack.Endpoints.CreateS3Client();
            var dynamo = stack.Endpoints.CreateDynamoDbClient();
            var sqs = stack.Endpoints.CreateSqsClient();
            var queues = await LocalProvisioner.ProvisionAsync(options.Layout, s3, dynamo, sqs, stack.Endpoints.Sqs, cancellationToken);
            return new LocalPipeline(stack, options, queues, s3, dynamo, sqs);
        }
        catch
        {
            await stack.DisposeAsync();
            throw;
        }
    }

    /// <summary>The package <c>make package</c> builds for this machine's CPU, which <c>make local</c> runs.</summary>
    public static string HostPackage(string repositoryRoot)
    {
        var arch = System.Runtime.InteropServices.RuntimeInformation.OSArchitecture == System.Runtime.InteropServices.Architecture.Arm64 ? "arm64" : "x86_64";
        return Path.Combine(repositoryRoot, "artifacts", $"function-{arch}.zip");
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync();
        await pollerTask.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        await metadataPollerTask.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        host?.Dispose();
        metadataHost?.Dispose();
        if (packaged is not null)
        {
            await packaged.DisposeAsync();
        }

        if (metadataPackaged is not null)
        {
            await metadataPackaged.DisposeAsync();
        }

        taskRoot?.Delete(recursive: true);
        signedClients.ForEach(client => client.Dispose());
        Sqs.Dispose();
        S3.Dispose();
        Dynamo.Dispose();
        await stack.DisposeAsync();
        stopping.Dispose();
    }
}
