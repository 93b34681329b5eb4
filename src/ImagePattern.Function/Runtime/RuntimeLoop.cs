using ImagePattern.Function.Observability;
using Microsoft.Extensions.Logging;

namespace ImagePattern.Function.Runtime;

/// <summary>
/// The custom runtime's life: compose the handler once (a failure is posted to <c>/init/error</c> and ends the
/// process), then forever take the next invocation, run it and post its response or its error.
/// </summary>
public sealed partial class RuntimeLoop(RuntimeApiClient client, ILogger<RuntimeLoop> logger)
{
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

        while (!cancellationToken.IsCancellationRequested)
        {
            var invocation = await client.NextAsync(cancellationToken);
            LambdaEnvironment.InvocationStarted(invocation.RequestId, invocation.TraceId);
            try
            {
                ReadOnlyMemory<byte> response;
                try
                {
                    response = await handler.HandleAsync(invocation, cancellationToken);
                }
                catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
                {
                    LogInvocationFailed(ex);
                    await client.SendInvocationErrorAsync(invocation.RequestId, RuntimeError.From(ex), cancellationToken);
                    continue;
                }

                await client.SendResponseAsync(invocation.RequestId, response, cancellationToken);
            }
            finally
            {
                LambdaEnvironment.InvocationEnded();
            }
        }

        return 0;
    }

    [LoggerMessage(Level = LogLevel.Critical, Message = "Init failed; reported to the Runtime API")]
    private partial void LogInitFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Invocation failed; reported to the Runtime API")]
    private partial void LogInvocationFailed(Exception exception);
}
