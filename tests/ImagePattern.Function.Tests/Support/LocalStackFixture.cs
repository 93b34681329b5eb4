using Amazon.DynamoDBv2;
using Amazon.S3;
using ImagePattern.Function.Configuration;
using ImagePattern.Function.Tests.Support;
using ImagePattern.Tool.Local;

[assembly: AssemblyFixture(typeof(LocalStackFixture))]

namespace ImagePattern.Function.Tests.Support;

/// <summary>One real local stack (fauxqs + dynalite on 127.0.0.1, ephemeral ports) shared by the assembly's tests.</summary>
public sealed class LocalStackFixture : IAsyncLifetime
{
    private LocalEmulators? stack;

    public LocalEndpoints Endpoints => stack!.Endpoints;

    public IAmazonS3 S3 { get; private set; } = null!;

    public IAmazonDynamoDB Dynamo { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        stack = await LocalEmulators.StartAsync(RepositoryRoot.Find());
        S3 = Endpoints.CreateS3Client();
        Dynamo = Endpoints.CreateDynamoDbClient();
    }

    /// <summary>A fresh table per test keeps tests independent while they share one stack.</summary>
    public async Task<string> NewTableAsync()
    {
        var name = "tasks-" + Guid.NewGuid().ToString("N")[..12];
        await TasksTable.CreateAsync(Dynamo, name);
        return name;
    }

    /// <summary>A fresh bucket per test.</summary>
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

    public async ValueTask DisposeAsync()
    {
        S3?.Dispose();
        Dynamo?.Dispose();
        if (stack is not null)
        {
            await stack.DisposeAsync();
        }
    }
}
