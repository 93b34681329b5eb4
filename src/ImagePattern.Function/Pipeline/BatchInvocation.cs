using ImagePattern.Function.Events;
using ImagePattern.Function.Observability;

namespace ImagePattern.Function.Pipeline;

/// <summary>
/// One Lambda invocation of a consumer, the same for every consumer: the batch through its <see cref="BatchProcessor"/>
/// under the invocation's deadline, then one CloudWatch EMF line with what the invocation counted.
/// </summary>
/// <param name="batches">The consumer's batch loop.</param>
/// <param name="minimumTimeToStart">The most time kept in reserve before the deadline (<see cref="InvocationDeadline"/>).</param>
/// <param name="time">The clock.</param>
/// <param name="metricsOutput">Where the EMF line goes (stdout on Lambda).</param>
/// <param name="metricsNamespace">CloudWatch namespace of the metrics.</param>
/// <param name="serviceName">The <c>service</c> dimension.</param>
public sealed class BatchInvocation(
    BatchProcessor batches,
    TimeSpan minimumTimeToStart,
    TimeProvider time,
    TextWriter metricsOutput,
    string metricsNamespace,
    string serviceName)
{
    /// <summary>
    /// Handles one batch; leases last until <paramref name="deadline"/> (the invocation's <c>Lambda-Runtime-Deadline-Ms</c>)
    /// and no object is started too close to it.
    /// </summary>
    public async Task<SqsBatchResponse> RunAsync(SqsEvent batch, DateTimeOffset deadline, CancellationToken cancellationToken)
    {
        var metrics = new InvocationMetrics();
        try
        {
            return await batches.ProcessAsync(batch, InvocationDeadline.Of(deadline, time.GetUtcNow(), minimumTimeToStart), metrics, cancellationToken);
        }
        finally
        {
            metrics.Flush(metricsOutput, metricsNamespace, serviceName, time.GetUtcNow());
            LambdaEnvironment.InvocationFinished();
        }
    }
}
