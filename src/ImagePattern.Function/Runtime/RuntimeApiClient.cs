using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;

namespace ImagePattern.Function.Runtime;

/// <summary>
/// The client side of the Lambda Runtime API (version <c>2018-06-01</c>) at <c>AWS_LAMBDA_RUNTIME_API</c>: the small
/// part of <c>Amazon.Lambda.RuntimeSupport</c> this function needs. Requests go to plain HTTP on the address Lambda gives.
/// </summary>
public sealed class RuntimeApiClient : IDisposable
{
    /// <summary>Header carrying the invocation's request id.</summary>
    public const string RequestIdHeader = "Lambda-Runtime-Aws-Request-Id";

    /// <summary>Header carrying the deadline, Unix epoch milliseconds.</summary>
    public const string DeadlineHeader = "Lambda-Runtime-Deadline-Ms";

    /// <summary>Header carrying the ARN the function was invoked with.</summary>
    public const string FunctionArnHeader = "Lambda-Runtime-Invoked-Function-Arn";

    /// <summary>Header carrying the X-Ray trace header.</summary>
    public const string TraceIdHeader = "Lambda-Runtime-Trace-Id";

    /// <summary>Header naming the error type on error posts.</summary>
    public const string ErrorTypeHeader = "Lambda-Runtime-Function-Error-Type";

    private static readonly MediaTypeHeaderValue Json = new("application/json");
    private readonly HttpClient http;

    /// <summary>A client of the Runtime API at <paramref name="endpoint"/> (<c>host:port</c>, as in <c>AWS_LAMBDA_RUNTIME_API</c>).</summary>
    /// <exception cref="ArgumentException">The endpoint is not <c>host:port</c>.</exception>
    public RuntimeApiClient(string endpoint)
    {
        if (!Uri.TryCreate($"http://{endpoint}/2018-06-01/runtime/", UriKind.Absolute, out var baseAddress))
        {
            throw new ArgumentException($"not a host:port Runtime API address: '{endpoint}'", nameof(endpoint));
        }

        // /next blocks until an invocation arrives, which may be minutes on a quiet function: no client timeout.
        http = new HttpClient(new SocketsHttpHandler { UseProxy = false, PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan })
        {
            BaseAddress = baseAddress,
            Timeout = Timeout.InfiniteTimeSpan,
        };
    }

    /// <summary>Waits for the next invocation (<c>GET invocation/next</c>).</summary>
    /// <exception cref="HttpRequestException">The Runtime API answered with an error or is unreachable.</exception>
    /// <exception cref="InvalidDataException">The answer lacks the request id or the deadline.</exception>
    public async Task<Invocation> NextAsync(CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync(new Uri("invocation/next", UriKind.Relative), HttpCompletionOption.ResponseContentRead, cancellationToken);
        response.EnsureSuccessStatusCode();
        var requestId = Header(response, RequestIdHeader) ?? throw new InvalidDataException($"the Runtime API sent no {RequestIdHeader}");
        var deadlineRaw = Header(response, DeadlineHeader);
        if (!long.TryParse(deadlineRaw, NumberStyles.None, CultureInfo.InvariantCulture, out var deadlineMs))
        {
            throw new InvalidDataException($"the Runtime API sent no usable {DeadlineHeader} ('{deadlineRaw}')");
        }

        var payload = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        return new Invocation(
            requestId,
            DateTimeOffset.FromUnixTimeMilliseconds(deadlineMs),
            Header(response, FunctionArnHeader),
            Header(response, TraceIdHeader),
            payload);
    }

    /// <summary>Sends the result of <paramref name="requestId"/> (<c>POST invocation/{id}/response</c>).</summary>
    public Task SendResponseAsync(string requestId, ReadOnlyMemory<byte> body, CancellationToken cancellationToken) =>
        PostAsync($"invocation/{Uri.EscapeDataString(requestId)}/response", new ReadOnlyMemoryContent(body), cancellationToken);

    /// <summary>Reports that <paramref name="requestId"/> failed (<c>POST invocation/{id}/error</c>).</summary>
    public Task SendInvocationErrorAsync(string requestId, RuntimeError error, CancellationToken cancellationToken) =>
        PostErrorAsync($"invocation/{Uri.EscapeDataString(requestId)}/error", error, cancellationToken);

    /// <summary>Reports that the function could not start (<c>POST init/error</c>); Lambda then ends the environment.</summary>
    public Task SendInitErrorAsync(RuntimeError error, CancellationToken cancellationToken) =>
        PostErrorAsync("init/error", error, cancellationToken);

    /// <inheritdoc />
    public void Dispose() => http.Dispose();

    private Task PostErrorAsync(string path, RuntimeError error, CancellationToken cancellationToken)
    {
        var content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(error, RuntimeJsonContext.Default.RuntimeError));
        content.Headers.Add(ErrorTypeHeader, error.ErrorType);
        return PostAsync(path, content, cancellationToken);
    }

    private async Task PostAsync(string path, HttpContent content, CancellationToken cancellationToken)
    {
        using (content)
        {
            content.Headers.ContentType = Json;
            using var response = await http.PostAsync(new Uri(path, UriKind.Relative), content, cancellationToken);
            response.EnsureSuccessStatusCode();
        }
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;
}
