using Amazon.DynamoDBv2;
using Amazon.S3;
using Amazon.SQS;
using ImagePattern.Function;
using ImagePattern.Function.Configuration;
using ImagePattern.Function.Ledger;
using ImagePattern.Function.Storage;
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

    /// <summary>
    /// In process only: wraps the object store of each consumer other than the thumbnailer (fan-out modes), given its
    /// handler name, e.g. to make one fail every message.
    /// </summary>
    public Func<string, IObjectStore, IObjectStore>? DecorateConsumerStore { get; init; }

    /// <summary>In process only: logs of the hosted function (JSON lines); none by default.</summary>
    public ILoggerFactory? FunctionLogging { get; init; }

    /// <summary>In process only: where the function's EMF metric lines go; discarded by default.</summary>
    public TextWriter? MetricsOutput { get; init; }

    /// <summary>False leaves the poller stopped (callers invoke through <see cref="LocalPipeline.Invoke"/>).</summary>
    public bool StartPoller { get; init; } = true;
}

/// <summary>One running consumer of the local pipeline: its queues, table, poller and function.</summary>
/// <param name="Name">Its handler name (<see cref="LocalLayout.Consumers"/>).</param>
/// <param name="Queues">Its queue and DLQ.</param>
/// <param name="TableName">Its task table.</param>
/// <param name="Records">Its task table, read as the tools read it.</param>
/// <param name="Poller">The poller feeding it.</param>
/// <param name="Invoke">How a batch reaches it: through its JSON, as the event source mapping sends it.</param>
public sealed record LocalConsumer(string Name, ProvisionedQueues Queues, string TableName, TaskTableReader Records, EventSourceMappingPoller Poller, BatchHandler Invoke);

/// <summary>
/// The whole pipeline on one machine: the emulators, the provisioned resources, the real function (the packaged
/// bootstrap, or composed in process) and the event-source-mapping poller feeding it.
/// </summary>
public sealed class LocalPipeline : IAsyncDisposable
{
    private readonly LocalEmulators stack;
    private readonly CancellationTokenSource stopping = new();
    private readonly List<Task> pollerTasks = [];
    private readonly List<FunctionHost> hosts = [];
    private readonly List<PackagedFunction> packagedFunctions = [];
    private readonly DirectoryInfo? taskRoot;

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
        var loggers = options.FunctionLogging ?? ImagePattern.Function.Observability.FunctionLogging.None;
        string? unpacked = null;
        if (options.Package is { } zip)
        {
            taskRoot = Directory.CreateTempSubdirectory("imagepattern-task-root-");
            unpacked = ExecutionEnvironment.Unpack(zip, taskRoot.FullName);
        }

        // Every consumer the same way: its own queue, poller and table; one package, _HANDLER picks the consumer.
        var consumers = new List<LocalConsumer>();
        foreach (var name in Layout.Consumers)
        {
            var environment = Layout.EnvironmentOf(name);
            BatchHandler invoke;
            if (unpacked is not null)
            {
                var packaged = new PackagedFunction(
                    new ExecutionEnvironmentOptions
                    {
                        TaskRoot = unpacked,
                        Environment = stack.Endpoints.EnvironmentVariablesFor(Layout.AccessKeyId(name, "function")).Concat(environment).ToDictionary(),
                        Handler = name,
                        FunctionName = $"{Layout.Name}-{name}",
                        StandardOutput = options.PackageOutput,
                        StandardError = options.PackageOutput,
                    },
                    Layout.MaximumConcurrency);
                packagedFunctions.Add(packaged);
                invoke = packaged.HandleAsync;
            }
            else
            {
                IObjectStore store = new S3ObjectStore(Signed(stack.Endpoints.CreateS3Client(Layout.AccessKeyId(name, "function"))));
                var decorate = name == LocalLayout.Thumbnails
                    ? options.DecorateStore
                    : options.DecorateConsumerStore is { } perConsumer ? inner => perConsumer(name, inner) : null;
                if (decorate is not null)
                {
                    store = decorate(store);
                }

                var builder = name == LocalLayout.Thumbnails
                    ? new FunctionBuilder(Settings)
                    : FunctionBuilder.For(ImagePattern.Function.Consumers.Find(name), variable => environment.GetValueOrDefault(variable));
                var host = builder
                    .WithLedger(new DynamoDbTaskLedger(Signed(stack.Endpoints.CreateDynamoDbClient(Layout.AccessKeyId(name, "function"))), Layout.TableNameOf(name), TimeSpan.FromDays(Layout.TaskTtlDays), TimeProvider.System))
                    .WithObjectStore(store)
                    .WithLogging(loggers)
                    .WithMetricsOutput(options.MetricsOutput ?? TextWriter.Null)
                    .Build();
                hosts.Add(host);
                invoke = new LambdaEntryPoint(host).HandleAsync;
            }

            var consumerQueues = queues.Consumers[name];
            var poller = new EventSourceMappingPoller(
                Signed(stack.Endpoints.CreateSqsClient(accessKeyId: Layout.AccessKeyId(name, "poller"))),
                new PollerOptions(consumerQueues.QueueUrl, consumerQueues.QueueArn, stack.Endpoints.Region, Layout.BatchSize, Layout.BatchingWindow, Layout.FunctionTimeout, Layout.MaximumConcurrency),
                invoke,
                TimeProvider.System,
                loggers.CreateLogger<EventSourceMappingPoller>());
            consumers.Add(new LocalConsumer(name, consumerQueues, Layout.TableNameOf(name), new TaskTableReader(dynamo, Layout.TableNameOf(name)), poller, invoke));
            if (options.StartPoller)
            {
                pollerTasks.Add(poller.RunAsync(stopping.Token));
            }
        }

        Consumers = consumers;
        Tasks = consumers[0].Records;
        Invoke = consumers[0].Invoke;
        Poller = consumers[0].Poller;
    }

    private T Signed<T>(T client)
        where T : IDisposable
    {
        signedClients.Add(client);
        return client;
    }

    /// <summary>Every running consumer, the thumbnailer first (<see cref="LocalLayout.Consumers"/>).</summary>
    public IReadOnlyList<LocalConsumer> Consumers { get; }

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

    /// <summary>The thumbnailer's task table, read as the tools read it.</summary>
    public TaskTableReader Tasks { get; }

    /// <summary>SQS client on the stack.</summary>
    public IAmazonSQS Sqs { get; }

    /// <summary>How a batch reaches the thumbnailer: through its JSON, as the event source mapping sends it.</summary>
    public BatchHandler Invoke { get; }

    /// <summary>The poller feeding the thumbnailer.</summary>
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
        foreach (var poller in pollerTasks)
        {
            await poller.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        foreach (var host in hosts)
        {
            host.Dispose();
        }

        foreach (var packaged in packagedFunctions)
        {
            await packaged.DisposeAsync();
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
