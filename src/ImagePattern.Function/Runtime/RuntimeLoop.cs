using Microsoft.Extensions.Logging;

namespace ImagePattern.Function.Runtime;

/// <summary>
/// The custom runtime's life: compose the handler once (a failure is posted to <c>/init/error</c> and ends the
/// process), then forever take the next invocation, run it and post its response or its error.
/// </summary>
/// <param name="client">The Runtime API.</param>
/// <param name="logger">The loop's own log (init and invocation failures), with each invocation's fields in scope.</param>
/// <param name="functionName"><c>AWS_LAMBDA_FUNCTION_NAME</c>, or null: the <c>function_name</c> of every invocation.</param>
public sealed partial class RuntimeLoop(RuntimeApiClient client, ILogger<RuntimeLoop> logger, string? functionName = null)
{
    /// <summary>The variable X-Ray-aware clients (the AWS SDK among them) read the trace header from.</summary>
    public const string TraceIdVariable = "_X_AMZN_TRACE_ID";

    /// <summary>Exit code after an init error: Lambda records the init error and ends the environment.</summary>
    public const int InitFailedExitCode = 1;

    /// <summary>
    /// Runs until <paramref name="cancellationToken"/> fires (the process is then ending) or the Runtime API
    /// becomes unreachable (Lambda is tearing the environment down).
    /// </summary>
    /// <param name="initialize">Composes the handler; an exception is an init error.</param>
    /// <param name="cancellationToken">Ends the loop.</param>
    /// <returns>The process exit code.</returns>
    public async Task<int> RunAsync(Func<IInvocationHandler> initialize, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(initialize);
        IInvocationHandler handler;
        try
        {
            handler = initialize();
        }
        catch (Exception ex)
        {
            LogInitFailed(ex);
            await client.SendInitErrorAsync(RuntimeError.From(ex), cancellationToken);
            return InitFailedExitCode;
        }

        var coldStart = true;
        while (!cancellationToken.IsCancellationRequested)
        {
            var invocation = await client.NextAsync(cancellationToken);
            // Set per invocation, not only handed on: the AWS SDK reads the trace header from the process environment.
            Environment.SetEnvironmentVariable(TraceIdVariable, invocation.TraceId);
            var context = new InvocationContext(invocation.RequestId, invocation.Deadline, invocation.TraceId, invocation.InvokedFunctionArn, coldStart, functionName);
            coldStart = false;
            using var scope = logger.BeginScope(context.LogFields());
            ReadOnlyMemory<byte> response;
            try
            {
                response = await handler.HandleAsync(invocation.Payload, context, cancellationToken);
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                LogInvocationFailed(ex);
                await client.SendInvocationErrorAsync(invocation.RequestId, RuntimeError.From(ex), cancellationToken);
                continue;
            }

            await client.SendResponseAsync(invocation.RequestId, response, cancellationToken);
        }

        return 0;
    }

    [LoggerMessage(Level = LogLevel.Critical, Message = "Init failed; reported to the Runtime API")]
    private partial void LogInitFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Invocation failed; reported to the Runtime API")]
    private partial void LogInvocationFailed(Exception exception);
}
