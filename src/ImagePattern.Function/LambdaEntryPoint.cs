using System.Text.Json;
using ImagePattern.Function.Events;
using ImagePattern.Function.Runtime;

namespace ImagePattern.Function;

/// <summary>
/// A consumer as Lambda invokes it: the SQS event's JSON bytes in, the partial-batch response's JSON bytes out, with
/// the invocation's context from the Runtime API. This is the one place the function's types meet bytes;
/// the local event-source-mapping poller goes through the same step.
/// </summary>
public sealed class LambdaEntryPoint(ISqsBatchHandler host) : IInvocationHandler
{
    /// <summary>The consumer <c>_HANDLER</c> names, composed from the environment, as on Lambda.</summary>
    /// <exception cref="Configuration.SettingsException">The configuration is invalid.</exception>
    /// <exception cref="ArgumentException">No consumer has that handler name.</exception>
    public static LambdaEntryPoint FromEnvironment() => new(FunctionBuilder.FromEnvironment().Build());

    /// <summary>SQS event JSON in, <c>{"batchItemFailures":[…]}</c> JSON out.</summary>
    /// <exception cref="JsonException">
    /// The payload is not an SQS event. The invocation then fails as a whole, so Lambda's event source mapping retries
    /// the batch rather than deleting messages that were never looked at.
    /// </exception>
    public async Task<ReadOnlyMemory<byte>> HandleAsync(ReadOnlyMemory<byte> eventJson, InvocationContext context, CancellationToken cancellationToken)
    {
        var batch = JsonSerializer.Deserialize(eventJson.Span, EventJsonContext.Default.SqsEvent)
            ?? throw new JsonException("the event is JSON null, not an SQS event");
        var response = await host.HandleAsync(batch, context, cancellationToken);
        return JsonSerializer.SerializeToUtf8Bytes(response, EventJsonContext.Default.SqsBatchResponse);
    }

    /// <summary>The same outside a Runtime API (<see cref="InvocationContext.Local"/>), with leases until <paramref name="deadline"/>.</summary>
    /// <exception cref="JsonException">The payload is not an SQS event.</exception>
    public Task<ReadOnlyMemory<byte>> HandleAsync(ReadOnlyMemory<byte> eventJson, DateTimeOffset deadline, CancellationToken cancellationToken) =>
        HandleAsync(eventJson, InvocationContext.Local(deadline), cancellationToken);

    /// <summary>
    /// The typed seam callers on the host side use (the local poller, the bench): the batch is serialized and read
    /// back exactly as on Lambda before the function sees it, and so is the response.
    /// </summary>
    public async Task<SqsBatchResponse> HandleAsync(SqsEvent batch, DateTimeOffset deadline, CancellationToken cancellationToken)
    {
        var request = JsonSerializer.SerializeToUtf8Bytes(batch, EventJsonContext.Default.SqsEvent);
        var response = await HandleAsync(request, deadline, cancellationToken);
        return JsonSerializer.Deserialize(response.Span, EventJsonContext.Default.SqsBatchResponse)
            ?? throw new JsonException("the handler answered JSON null");
    }
}
