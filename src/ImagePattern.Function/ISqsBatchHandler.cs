using ImagePattern.Function.Events;

namespace ImagePattern.Function;

/// <summary>
/// A composed consumer of an SQS event source mapping (<see cref="FunctionHost"/>, whichever consumer it runs).
/// <see cref="LambdaEntryPoint"/> turns it into a Lambda handler.
/// </summary>
public interface ISqsBatchHandler
{
    /// <summary>
    /// Handles one batch; leases last until the invocation's <see cref="InvocationContext.Deadline"/>, and every log
    /// line carries the context's fields. Never throws for a bad message: it is listed in the response's batch item
    /// failures or acknowledged, as the outcome table says.
    /// </summary>
    Task<SqsBatchResponse> HandleAsync(SqsEvent batch, InvocationContext context, CancellationToken cancellationToken);
}
