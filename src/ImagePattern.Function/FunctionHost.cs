using ImagePattern.Function.Events;
using ImagePattern.Function.Pipeline;

namespace ImagePattern.Function;

/// <summary>
/// One consumer composed once per execution environment (by <see cref="FunctionBuilder"/>): a typed SQS batch in,
/// the partial-batch response out. The bytes-to-types step is the Lambda entry's (<see cref="LambdaEntryPoint"/>).
/// Disposing it disposes everything the builder created for it (clients, logging, the image slots).
/// </summary>
public sealed class FunctionHost : ISqsBatchHandler, IDisposable
{
    private readonly BatchInvocation invocations;
    private readonly IReadOnlyList<IDisposable> owned;

    internal FunctionHost(string handler, ConsumerSettings settings, string recipe, BatchInvocation invocations, IReadOnlyList<IDisposable> owned)
    {
        Handler = handler;
        Settings = settings;
        Recipe = recipe;
        this.invocations = invocations;
        this.owned = owned;
    }

    /// <summary>The consumer's handler name (<see cref="Consumer.Handler"/>).</summary>
    public string Handler { get; }

    /// <summary>The pipeline settings in force.</summary>
    public ConsumerSettings Settings { get; }

    /// <summary>The consumer's recipe: the last part of its task ids (<see cref="ITaskWork.Recipe"/>).</summary>
    public string Recipe { get; }

    /// <inheritdoc />
    public Task<SqsBatchResponse> HandleAsync(SqsEvent batch, InvocationContext context, CancellationToken cancellationToken) =>
        invocations.RunAsync(batch, context, cancellationToken);

    /// <summary>Handles one batch outside a Runtime API (<see cref="InvocationContext.Local"/>) with leases until <paramref name="deadline"/>.</summary>
    public Task<SqsBatchResponse> HandleAsync(SqsEvent batch, DateTimeOffset deadline, CancellationToken cancellationToken) =>
        invocations.RunAsync(batch, InvocationContext.Local(deadline), cancellationToken);

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var disposable in owned.Reverse())
        {
            disposable.Dispose();
        }
    }
}
