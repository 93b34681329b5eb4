using Amazon.SQS;
using ImagePattern.Tool.Local;
using ImagePattern.Tool.Tests.Support;

[assembly: AssemblyFixture(typeof(LocalStackFixture))]

namespace ImagePattern.Tool.Tests.Support;

/// <summary>One set of real emulators for tests that only need SQS; pipelines start their own.</summary>
public sealed class LocalStackFixture : IAsyncLifetime
{
    private LocalEmulators? emulators;

    public LocalEndpoints Endpoints => emulators!.Endpoints;

    public IAmazonSQS Sqs { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        emulators = await LocalEmulators.StartAsync(RepositoryRoot.Find());
        Sqs = Endpoints.CreateSqsClient();
    }

    public async ValueTask DisposeAsync()
    {
        Sqs?.Dispose();
        if (emulators is not null)
        {
            await emulators.DisposeAsync();
        }
    }
}
