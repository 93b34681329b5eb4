using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Threading.Channels;
using ImagePattern.Function.Runtime;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ImagePattern.Tool.Emulators.LambdaRuntime;

/// <summary>What the function answered to one invocation.</summary>
public abstract record InvocationResult
{
    private InvocationResult()
    {
    }

    /// <summary>The body posted to <c>/invocation/{id}/response</c>.</summary>
    public sealed record Response(byte[] Body) : InvocationResult;

    /// <summary>The document posted to <c>/invocation/{id}/error</c>.</summary>
    public sealed record Error(RuntimeError Document) : InvocationResult;
}

/// <summary>
/// The Lambda Runtime API (version <c>2018-06-01</c>) of one execution environment, served on 127.0.0.1 for a
/// <c>bootstrap</c> child process, as Lambda serves it at <c>AWS_LAMBDA_RUNTIME_API</c>: invocations queue until the
/// runtime asks for the next one, and each waits for its response or error.
/// </summary>
public sealed class RuntimeApiEmulator : IAsyncDisposable
{
    private const string Prefix = "/2018-06-01/runtime";
    private readonly WebApplication app;
    private readonly TimeProvider time;
    private readonly Channel<Pending> queue = Channel.CreateUnbounded<Pending>();
    private readonly ConcurrentDictionary<string, Pending> inFlight = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource<RuntimeError> initError = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<long> firstNext = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private string functionArn = "arn:aws:lambda:us-east-1:000000000000:function:imagepattern-thumbnails";

    private RuntimeApiEmulator(WebApplication app, TimeProvider time)
    {
        this.app = app;
        this.time = time;
    }

    /// <summary><c>host:port</c> to give the runtime as <c>AWS_LAMBDA_RUNTIME_API</c>.</summary>
    public string Address { get; private set; } = "";

    /// <summary>Completes with the document the runtime posted to <c>/init/error</c>.</summary>
    public Task<RuntimeError> InitError => initError.Task;

    /// <summary>
    /// Completes with the <see cref="TimeProvider.GetTimestamp"/> of the first <c>GET /invocation/next</c>: the
    /// moment the runtime is ready for its first invocation.
    /// </summary>
    public Task<long> FirstNextRequest => firstNext.Task;

    /// <summary>Starts serving on 127.0.0.1 on a free port.</summary>
    public static async Task<RuntimeApiEmulator> StartAsync(TimeProvider time, string? functionName = null, CancellationToken cancellationToken = default)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var emulator = new RuntimeApiEmulator(app, time);
        if (functionName is not null)
        {
            emulator.functionArn = $"arn:aws:lambda:us-east-1:000000000000:function:{functionName}";
        }

        app.MapGet($"{Prefix}/invocation/next", emulator.NextAsync);
        app.MapPost($"{Prefix}/invocation/{{requestId}}/response", emulator.ResponseAsync);
        app.MapPost($"{Prefix}/invocation/{{requestId}}/error", emulator.ErrorAsync);
        app.MapPost($"{Prefix}/init/error", emulator.InitErrorAsync);
        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        emulator.Address = new Uri(address).Authority;
        return emulator;
    }

    /// <summary>
    /// Queues one invocation and waits for the runtime's answer. Cancelling stops the wait only; what the runtime
    /// does then is the caller's business (Lambda would end the environment at the deadline).
    /// </summary>
    /// <param name="payload">The event JSON.</param>
    /// <param name="deadline">Sent as <c>Lambda-Runtime-Deadline-Ms</c>.</param>
    /// <param name="traceId">Sent as <c>Lambda-Runtime-Trace-Id</c>; a fresh X-Ray-style header when null.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <param name="requestId">Sent as <c>Lambda-Runtime-Aws-Request-Id</c>; a fresh GUID when null.</param>
    public async Task<InvocationResult> InvokeAsync(ReadOnlyMemory<byte> payload, DateTimeOffset deadline, string? traceId, CancellationToken cancellationToken, string? requestId = null)
    {
        var pending = new Pending(
            requestId ?? Guid.NewGuid().ToString(),
            payload,
            deadline,
            traceId ?? $"Root=1-{time.GetUtcNow().ToUnixTimeSeconds():x8}-{Guid.NewGuid().ToString("N")[..24]};Sampled=0");
        inFlight[pending.RequestId] = pending;
        try
        {
            await queue.Writer.WriteAsync(pending, cancellationToken);
            return await pending.Answer.Task.WaitAsync(cancellationToken);
        }
        finally
        {
            inFlight.TryRemove(pending.RequestId, out _);
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        queue.Writer.TryComplete();
        await app.StopAsync(CancellationToken.None);
        await app.DisposeAsync();
    }

    private async Task NextAsync(HttpContext context)
    {
        firstNext.TrySetResult(time.GetTimestamp());
        Pending pending;
        try
        {
            // An invocation whose caller stopped waiting before the runtime asked for it is not handed out.
            do
            {
                pending = await queue.Reader.ReadAsync(context.RequestAborted);
            }
            while (!inFlight.ContainsKey(pending.RequestId));
        }
        catch (Exception ex) when (ex is OperationCanceledException or ChannelClosedException)
        {
            context.Response.StatusCode = StatusCodes.Status410Gone;
            return;
        }

        var headers = context.Response.Headers;
        headers[RuntimeApiClient.RequestIdHeader] = pending.RequestId;
        headers[RuntimeApiClient.DeadlineHeader] = pending.Deadline.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        headers[RuntimeApiClient.FunctionArnHeader] = functionArn;
        headers[RuntimeApiClient.TraceIdHeader] = pending.TraceId;
        context.Response.ContentType = "application/json";
        context.Response.ContentLength = pending.Payload.Length;
        await context.Response.Body.WriteAsync(pending.Payload, context.RequestAborted);
    }

    private async Task ResponseAsync(HttpContext context)
    {
        var body = await ReadBodyAsync(context);
        Answer(context, new InvocationResult.Response(body));
    }

    private async Task ErrorAsync(HttpContext context)
    {
        var document = ParseError(await ReadBodyAsync(context), context);
        Answer(context, new InvocationResult.Error(document));
    }

    private async Task InitErrorAsync(HttpContext context)
    {
        initError.TrySetResult(ParseError(await ReadBodyAsync(context), context));
        context.Response.StatusCode = StatusCodes.Status202Accepted;
    }

    private void Answer(HttpContext context, InvocationResult result)
    {
        var requestId = context.Request.RouteValues["requestId"] as string ?? "";
        if (!inFlight.TryGetValue(requestId, out var pending))
        {
            // As Lambda does for an id that is not the invocation under way (or was already answered).
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        context.Response.StatusCode = pending.Answer.TrySetResult(result) ? StatusCodes.Status202Accepted : StatusCodes.Status400BadRequest;
    }

    private static RuntimeError ParseError(byte[] body, HttpContext context)
    {
        var headerType = context.Request.Headers[RuntimeApiClient.ErrorTypeHeader].ToString();
        try
        {
            return JsonSerializer.Deserialize(body, RuntimeJsonContext.Default.RuntimeError)
                ?? new RuntimeError(headerType, "", []);
        }
        catch (JsonException)
        {
            return new RuntimeError(headerType, System.Text.Encoding.UTF8.GetString(body), []);
        }
    }

    private static async Task<byte[]> ReadBodyAsync(HttpContext context)
    {
        using var copy = new MemoryStream();
        await context.Request.Body.CopyToAsync(copy, context.RequestAborted);
        return copy.ToArray();
    }

    private sealed record Pending(string RequestId, ReadOnlyMemory<byte> Payload, DateTimeOffset Deadline, string TraceId)
    {
        public TaskCompletionSource<InvocationResult> Answer { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
