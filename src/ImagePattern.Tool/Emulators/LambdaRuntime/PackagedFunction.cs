using System.Text.Json;
using ImagePattern.Function.Events;

namespace ImagePattern.Tool.Emulators.LambdaRuntime;

/// <summary>A function error: the bootstrap posted to <c>/invocation/{id}/error</c>.</summary>
public sealed class FunctionErrorException(string errorType, string errorMessage)
    : Exception($"{errorType}: {errorMessage}")
{
    /// <summary>The <c>errorType</c> the function reported.</summary>
    public string ErrorType { get; } = errorType;
}

/// <summary>
/// The packaged function as Lambda's event source mapping meets it: up to <c>maximumConcurrency</c> execution
/// environments of the packaged <c>bootstrap</c>, started when first needed and reused while warm. A batch is sent as
/// the SQS event's JSON and the response read back from JSON, so the real serialization and the real startup are
/// exercised. An invocation that runs past its deadline, whose bootstrap dies or exceeds its memory size, ends its
/// environment, as on Lambda.
/// </summary>
public sealed class PackagedFunction(ExecutionEnvironmentOptions options, int maximumConcurrency) : IAsyncDisposable
{
    private readonly SemaphoreSlim slots = new(maximumConcurrency, maximumConcurrency);
    private readonly Stack<ExecutionEnvironment> idle = new();
    private readonly List<ExecutionEnvironment> all = [];
    private readonly List<ExecutionEnvironment> everStarted = [];
    private readonly Lock gate = new();

    /// <summary>Environments started so far (a cold start each).</summary>
    public int EnvironmentsStarted { get; private set; }

    /// <summary>The <c>REPORT</c> of every answered invocation of every environment so far, ended ones included.</summary>
    public IReadOnlyList<InvocationReport> Reports
    {
        get
        {
            lock (gate)
            {
                return [.. everStarted.SelectMany(e => e.Reports)];
            }
        }
    }

    /// <summary>
    /// Invokes the function with <paramref name="batch"/>; the shape of the poller's <c>BatchHandler</c>.
    /// </summary>
    /// <exception cref="FunctionErrorException">The function reported an error.</exception>
    /// <exception cref="BootstrapExitedException">The bootstrap ended before answering.</exception>
    public async Task<SqsBatchResponse> HandleAsync(SqsEvent batch, DateTimeOffset deadline, CancellationToken cancellationToken)
    {
        var payload = JsonSerializer.SerializeToUtf8Bytes(batch, EventJsonContext.Default.SqsEvent);
        var result = await InvokeAsync(payload, deadline, cancellationToken);
        return result switch
        {
            InvocationResult.Response response => JsonSerializer.Deserialize(response.Body, EventJsonContext.Default.SqsBatchResponse)
                ?? throw new JsonException("the function answered JSON null"),
            InvocationResult.Error error => throw new FunctionErrorException(error.Document.ErrorType, error.Document.ErrorMessage),
            _ => throw new InvalidOperationException("unreachable: unknown invocation result"),
        };
    }

    /// <summary>Invokes the function with raw event bytes (<c>make invoke</c>).</summary>
    public async Task<InvocationResult> InvokeAsync(ReadOnlyMemory<byte> payload, DateTimeOffset deadline, CancellationToken cancellationToken)
    {
        await slots.WaitAsync(cancellationToken);
        ExecutionEnvironment? environment = null;
        var keep = false;
        try
        {
            environment = await TakeAsync(cancellationToken);
            var result = await environment.InvokeAsync(payload, deadline, cancellationToken);
            keep = true;
            return result;
        }
        finally
        {
            if (environment is not null)
            {
                await ReturnAsync(environment, keep);
            }

            slots.Release();
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        List<ExecutionEnvironment> environments;
        lock (gate)
        {
            environments = [.. all];
            all.Clear();
            idle.Clear();
        }

        foreach (var environment in environments)
        {
            await environment.DisposeAsync();
        }

        slots.Dispose();
    }

    private async Task<ExecutionEnvironment> TakeAsync(CancellationToken cancellationToken)
    {
        lock (gate)
        {
            while (idle.Count > 0)
            {
                var warm = idle.Pop();
                if (!warm.Exited.IsCompleted)
                {
                    return warm;
                }

                all.Remove(warm);
            }
        }

        var started = await ExecutionEnvironment.StartAsync(options, cancellationToken);
        lock (gate)
        {
            all.Add(started);
            everStarted.Add(started);
            EnvironmentsStarted++;
        }

        return started;
    }

    private async Task ReturnAsync(ExecutionEnvironment environment, bool healthy)
    {
        if (healthy && !environment.Exited.IsCompleted)
        {
            lock (gate)
            {
                idle.Push(environment);
            }

            return;
        }

        lock (gate)
        {
            all.Remove(environment);
        }

        await environment.DisposeAsync();
    }
}
