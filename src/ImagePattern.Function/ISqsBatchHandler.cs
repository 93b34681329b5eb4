using ImagePattern.Function.Events;

namespace ImagePattern.Function;

/// <summary>
/// A composed consumer of an SQS event source mapping: the thumbnailer (<see cref="FunctionHost"/>) or the image-metadata
/// consumer (<see cref="Metadata.MetadataHost"/>). <see cref="LambdaEntryPoint"/> turns either into a Lambda handler.
/// </summary>
public interface ISqsBatchHandler
{
    /// <summary>
    /// Handles one batch; leases last until <paramref name="deadline"/> (the invocation's
    /// <c>Lambda-Runtime-Deadline-Ms</c>). Never throws for a bad message: it is listed in the response's batch item
    /// failures or acknowledged, as the outcome table says.
    /// </summary>
    Task<SqsBatchResponse> HandleAsync(SqsEvent batch, DateTimeOffset deadline, CancellationToken cancellationToken);
}
