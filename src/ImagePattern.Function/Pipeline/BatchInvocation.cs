using ImagePattern.Function.Events;
using ImagePattern.Function.Observability;
using Microsoft.Extensions.Logging;

namespace ImagePattern.Function.Pipeline;

/// <summary>
/// One Lambda invocation of a consumer, the same for every consumer: the batch through its <see cref="BatchProcessor"/>
/// under the invocation's deadline and inside a log scope carrying the invocation's fields, then one CloudWatch EMF
/// line with what the invocation counted.
/// </summary>
/// <param name="batches">The consumer's batch loop.</param>
/// <param name="minimumTimeToStart">The most time kept in reserve before the deadline (<see cref="InvocationDeadline"/>).</param>
/// <param name="time">The clock.</param>
/// <param name="metricsOutput">Where the EMF line goes (stdout on Lambda).</param>
/// <param name="metricsNamespace">CloudWatch namespace of the metrics.</param>
/// <param name="serviceName">The <c>service</c> dimension.</param>
/// <param name="logger">A logger of the consumer's logging: its scope reaches every logger of that factory.</param>
public sealed class BatchInvocation(
    BatchProcessor batches,
    TimeSpan minimumTimeToStart,
    TimeProvider time,
    TextWriter metricsOutput,
    string metricsNamespace,
    string serviceName,
    ILogger<BatchInvocation> logger)
{
    /// <summary>
    /// Handles one batch; leases last until the context's deadline and no object is started too close to it.
    /// </summary>
    public async Task<SqsBatchResponse> RunAsync(SqsEvent batch, InvocationContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        using var scope = logger.BeginScope(context.LogFields());
        var metrics = new InvocationMetrics();
        try
        {
            return await batches.ProcessAsync(batch, InvocationDeadline.Of(context.Deadline, time.GetUtcNow(), minimumTimeToStart), metrics, cancellationToken);
        }
        finally
        {
            metrics.Flush(metricsOutput, metricsNamespace, serviceName, time.GetUtcNow());
        }
    }
}
