using Amazon.DynamoDBv2;
using Amazon.S3;
using Amazon.SQS;
using ImagePattern.Function.Configuration;
using ImagePattern.Tool.Local;
using Xunit;

namespace ImagePattern.Testing;

/// <summary>What a <see cref="LocalStackFixture"/> starts.</summary>
public sealed record LocalStackOptions
{
    /// <summary>
    /// Null (the default): the emulators alone, each test making the buckets, tables and queues it needs. Set: a whole
    /// local pipeline with this layout, provisioned as the Terraform stack is, its poller stopped.
    /// </summary>
    public LocalLayout? Pipeline { get; init; }
}

/// <summary>
/// One real local stack (the S3, SQS and DynamoDB emulators on 127.0.0.1, ephemeral ports) shared by the tests that
/// take it as a fixture, with clients for each service.
/// </summary>
public class LocalStackFixture : IAsyncLifetime
{
    private readonly LocalStackOptions options;
    private LocalEmulators? emulators;
    private LocalPipeline? pipeline;

    /// <summary>The emulators alone.</summary>
    public LocalStackFixture()
        : this(new LocalStackOptions())
    {
    }

    /// <summary>The stack <paramref name="options"/> describe; a test project names its preset in a subclass.</summary>
    protected LocalStackFixture(LocalStackOptions options) => this.options = options;

    /// <summary>Where the emulators listen, with the region and credentials the clients use.</summary>
    public LocalEndpoints Endpoints => pipeline?.Endpoints ?? emulators!.Endpoints;

    /// <summary>A client of the S3 emulator.</summary>
    public IAmazonS3 S3 { get; private set; } = null!;

    /// <summary>A client of the DynamoDB emulator.</summary>
    public IAmazonDynamoDB Dynamo { get; private set; } = null!;

    /// <summary>A client of the SQS emulator.</summary>
    public IAmazonSQS Sqs { get; private set; } = null!;

    /// <summary>The provisioned pipeline.</summary>
    /// <exception cref="InvalidOperationException">The fixture started the emulators alone (no <see cref="LocalStackOptions.Pipeline"/>).</exception>
    public LocalPipeline Pipeline => pipeline ?? throw new InvalidOperationException("This fixture started the emulators alone: set LocalStackOptions.Pipeline.");

    /// <summary>The thumbnail function's environment as Terraform sets it, plus the local endpoints and credentials.</summary>
    public IReadOnlyDictionary<string, string> FunctionEnvironment =>
        Endpoints.EnvironmentVariablesFor(Pipeline.Layout.AccessKeyId("thumbnails", "function")).Concat(Pipeline.Layout.FunctionEnvironment).ToDictionary();

    /// <inheritdoc />
    public async ValueTask InitializeAsync()
    {
        if (options.Pipeline is { } layout)
        {
            pipeline = await LocalPipeline.StartAsync(new LocalPipelineOptions { Layout = layout, StartPoller = false }, TestContext.Current.CancellationToken);
        }
        else
        {
            emulators = await LocalEmulators.StartAsync(RepositoryRoot.Find());
        }

        S3 = Endpoints.CreateS3Client();
        Dynamo = Endpoints.CreateDynamoDbClient();
        Sqs = Endpoints.CreateSqsClient();
    }

    /// <summary>A fresh tasks table (<c>tasks-</c> and 12 hex digits): tests stay independent while they share one stack.</summary>
    public async Task<string> NewTableAsync()
    {
        var name = "tasks-" + Guid.NewGuid().ToString("N")[..12];
        await TasksTable.CreateAsync(Dynamo, name);
        return name;
    }

    /// <summary>A fresh bucket, <paramref name="prefix"/>, a dash and 12 hex digits.</summary>
    public async Task<string> NewBucketAsync(string prefix)
    {
        var name = $"{prefix}-{Guid.NewGuid().ToString("N")[..12]}";
        await S3.PutBucketAsync(name);
        return name;
    }

    /// <summary>
    /// The thumbnailer's settings as the environment with only the required variables gives them, over a fresh source
    /// bucket, output bucket and tasks table.
    /// </summary>
    public async Task<FunctionSettings> NewFunctionSettingsAsync()
    {
        var variables = new Dictionary<string, string>
        {
            [EnvironmentVariables.SourceBucket] = await NewBucketAsync("in"),
            [EnvironmentVariables.OutputBucket] = await NewBucketAsync("out"),
            [EnvironmentVariables.TasksTable] = await NewTableAsync(),
        };
        return SettingsReader.Read(variables.GetValueOrDefault);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        S3?.Dispose();
        Dynamo?.Dispose();
        Sqs?.Dispose();
        if (pipeline is not null)
        {
            await pipeline.DisposeAsync();
        }

        if (emulators is not null)
        {
            await emulators.DisposeAsync();
        }

        GC.SuppressFinalize(this);
    }
}
