namespace ImagePattern.Function;

/// <summary>
/// The handler the managed <c>dotnet10</c> runtime calls:
/// <c>ImagePattern.Function::ImagePattern.Function.LambdaEntryPoint::HandleAsync</c>.
/// The runtime constructs this class once per execution environment, so composition (settings, clients, the image engine)
/// happens in the cold start and an invalid configuration fails it with one message.
/// </summary>
public sealed class LambdaEntryPoint
{
    private static readonly Lazy<FunctionHost> Host = new(() => FunctionHost.FromEnvironment(), LazyThreadSafetyMode.ExecutionAndPublication);

    private readonly FunctionHost host = Host.Value;

    /// <summary>SQS event JSON in, <c>{"batchItemFailures":[…]}</c> out.</summary>
    public Task<Stream> HandleAsync(Stream input) => host.HandleAsync(input, CancellationToken.None);
}
