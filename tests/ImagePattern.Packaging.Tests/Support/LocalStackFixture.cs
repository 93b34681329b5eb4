using ImagePattern.Tool.Local;

namespace ImagePattern.Packaging.Tests.Support;

/// <summary>The local stack (S3, SQS, DynamoDB emulators on 127.0.0.1), provisioned as the Terraform stack is, poller stopped.</summary>
public sealed class LocalStackFixture : IAsyncLifetime
{
    public LocalPipeline Pipeline { get; private set; } = null!;

    /// <summary>The function's environment as Terraform sets it, plus the local endpoints and credentials.</summary>
    public IReadOnlyDictionary<string, string> FunctionEnvironment =>
        Pipeline.Endpoints.EnvironmentVariablesFor(Pipeline.Layout.AccessKeyId("thumbnails", "function")).Concat(Pipeline.Layout.FunctionEnvironment).ToDictionary();

    public async ValueTask InitializeAsync() =>
        Pipeline = await LocalPipeline.StartAsync(
            new LocalPipelineOptions { Layout = new LocalLayout { Name = "runtime" }, StartPoller = false },
            TestContext.Current.CancellationToken);

    public async ValueTask DisposeAsync() => await Pipeline.DisposeAsync();
}
