namespace ImagePattern.Function.Runtime;

/// <summary>
/// One invocation as the Lambda Runtime API hands it out on <c>GET /2018-06-01/runtime/invocation/next</c>.
/// </summary>
/// <param name="RequestId">The <c>Lambda-Runtime-Aws-Request-Id</c> header: names the invocation in the response or error.</param>
/// <param name="Deadline">The <c>Lambda-Runtime-Deadline-Ms</c> header (Unix epoch milliseconds): when Lambda stops the invocation.</param>
/// <param name="InvokedFunctionArn">The <c>Lambda-Runtime-Invoked-Function-Arn</c> header, or null when absent.</param>
/// <param name="TraceId">The <c>Lambda-Runtime-Trace-Id</c> header (X-Ray trace header), or null when absent.</param>
/// <param name="Payload">The event, as JSON bytes.</param>
public sealed record Invocation(
    string RequestId,
    DateTimeOffset Deadline,
    string? InvokedFunctionArn,
    string? TraceId,
    ReadOnlyMemory<byte> Payload);

/// <summary>A handler the <c>bootstrap</c> can run, chosen by <c>_HANDLER</c>.</summary>
public interface IInvocationHandler
{
    /// <summary>
    /// Handles one invocation (its JSON <paramref name="eventJson"/>, under <paramref name="context"/>) and returns the
    /// response body (JSON bytes). An exception is reported to the Runtime API
    /// as an invocation error (<c>errorType</c>, <c>errorMessage</c>), and Lambda's event source retries the whole event.
    /// </summary>
    Task<ReadOnlyMemory<byte>> HandleAsync(ReadOnlyMemory<byte> eventJson, InvocationContext context, CancellationToken cancellationToken);
}
