using ImagePattern.Tool.Local;
using ImagePattern.Tool.Sqs;
using ImagePattern.Tool.Tests.Support;

[assembly: AssemblyFixture(typeof(LocalStackFixture))]

namespace ImagePattern.Tool.Tests.Support;

/// <summary>One set of real emulators for tests that only need SQS; pipelines start their own.</summary>
public sealed class LocalStackFixture : IAsyncLifetime
{
    private LocalEmulators? emulators;

    public LocalEndpoints Endpoints => emulators!.Endpoints;

    public SqsClient Sqs { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        emulators = await LocalEmulators.StartAsync(RepositoryRoot.Find());
        Sqs = new SqsClient(Endpoints.Sqs, Endpoints.Region, LocalEndpoints.Credentials);
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
