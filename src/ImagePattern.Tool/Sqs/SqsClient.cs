using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Amazon.Runtime;
using Amazon.Runtime.Credentials;

namespace ImagePattern.Tool.Sqs;

/// <summary>An SQS error response.</summary>
public sealed class SqsException(string code, string message, HttpStatusCode status) : Exception($"{code}: {message}")
{
    /// <summary>Error code, e.g. <c>QueueDoesNotExist</c>.</summary>
    public string Code { get; } = code;

    /// <summary>HTTP status.</summary>
    public HttpStatusCode Status { get; } = status;

    /// <summary>Throttling or a server-side fault: worth a retry with backoff.</summary>
    public bool IsRetryable => (int)Status >= 500 || Code is "ThrottlingException" or "RequestThrottled" or "ServiceUnavailable";
}

/// <summary>
/// The SQS operations the tooling needs, over SQS's JSON protocol signed with SigV4 — AWSSDK.SQS is not available
/// here. The same client works against the local stack and against AWS: endpoint from <c>AWS_ENDPOINT_URL_SQS</c>
/// (or <c>AWS_ENDPOINT_URL</c>), region and credentials from the standard AWS chain.
/// </summary>
public sealed class SqsClient : IDisposable
{
    private readonly HttpClient http;
    private readonly Uri endpoint;
    private readonly string region;
    private readonly AWSCredentials credentials;
    private readonly TimeProvider time;

    /// <summary>Creates a client for <paramref name="endpoint"/>.</summary>
    public SqsClient(Uri endpoint, string region, AWSCredentials credentials, TimeProvider? time = null)
    {
        this.endpoint = endpoint;
        this.region = region;
        this.credentials = credentials;
        this.time = time ?? TimeProvider.System;
        // Long polls hold the connection for up to 20 s.
        http = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
    }

    /// <summary>A client configured the way the AWS SDKs configure themselves.</summary>
    public static SqsClient FromEnvironment()
    {
        var region = Environment.GetEnvironmentVariable("AWS_REGION")
            ?? Environment.GetEnvironmentVariable("AWS_DEFAULT_REGION")
            ?? FallbackRegionFactory.GetRegionEndpoint()?.SystemName
            ?? throw new InvalidOperationException("No AWS region: set AWS_REGION.");
        var url = Environment.GetEnvironmentVariable("AWS_ENDPOINT_URL_SQS")
            ?? Environment.GetEnvironmentVariable("AWS_ENDPOINT_URL")
            ?? $"https://sqs.{region}.amazonaws.com";
        return new SqsClient(new Uri(url), region, DefaultAWSCredentialsIdentityResolver.GetCredentials(null));
    }

    /// <summary>Creates a queue (idempotent for identical attributes) and returns its URL.</summary>
    public async Task<string> CreateQueueAsync(string name, IReadOnlyDictionary<string, string>? attributes, CancellationToken cancellationToken = default)
    {
        var response = await CallAsync("CreateQueue", new CreateQueueRequest(name, attributes), SqsJsonContext.Default.CreateQueueRequest, SqsJsonContext.Default.QueueUrlResponse, cancellationToken);
        return response.QueueUrl ?? throw new SqsException("InvalidResponse", "CreateQueue returned no QueueUrl", HttpStatusCode.OK);
    }

    /// <summary>The URL of an existing queue.</summary>
    public async Task<string> GetQueueUrlAsync(string name, CancellationToken cancellationToken = default)
    {
        var response = await CallAsync("GetQueueUrl", new QueueNameRequest(name), SqsJsonContext.Default.QueueNameRequest, SqsJsonContext.Default.QueueUrlResponse, cancellationToken);
        return response.QueueUrl ?? throw new SqsException("InvalidResponse", "GetQueueUrl returned no QueueUrl", HttpStatusCode.OK);
    }

    /// <summary>Queue URLs, optionally filtered by a name prefix.</summary>
    public async Task<IReadOnlyList<string>> ListQueuesAsync(string? prefix = null, CancellationToken cancellationToken = default)
    {
        var response = await CallAsync("ListQueues", new ListQueuesRequest(prefix), SqsJsonContext.Default.ListQueuesRequest, SqsJsonContext.Default.ListQueuesResponse, cancellationToken);
        return response.QueueUrls ?? [];
    }

    /// <summary>Reads queue attributes (e.g. <c>All</c>, <c>QueueArn</c>, <c>ApproximateNumberOfMessages</c>).</summary>
    public async Task<IReadOnlyDictionary<string, string>> GetQueueAttributesAsync(string queueUrl, IReadOnlyList<string> names, CancellationToken cancellationToken = default)
    {
        var response = await CallAsync("GetQueueAttributes", new GetQueueAttributesRequest(queueUrl, names), SqsJsonContext.Default.GetQueueAttributesRequest, SqsJsonContext.Default.GetQueueAttributesResponse, cancellationToken);
        return response.Attributes ?? [];
    }

    /// <summary>Sets queue attributes.</summary>
    public Task SetQueueAttributesAsync(string queueUrl, IReadOnlyDictionary<string, string> attributes, CancellationToken cancellationToken = default) =>
        CallAsync("SetQueueAttributes", new SetQueueAttributesRequest(queueUrl, attributes), SqsJsonContext.Default.SetQueueAttributesRequest, SqsJsonContext.Default.QueueUrlResponse, cancellationToken);

    /// <summary>Receives up to 10 messages, long-polling for up to <paramref name="waitSeconds"/>.</summary>
    public async Task<IReadOnlyList<SqsReceivedMessage>> ReceiveMessagesAsync(
        string queueUrl, int maxMessages, int waitSeconds, int? visibilityTimeout = null, CancellationToken cancellationToken = default)
    {
        var request = new ReceiveMessageRequest(queueUrl, maxMessages, waitSeconds, visibilityTimeout, ["All"], ["All"]);
        var response = await CallAsync("ReceiveMessage", request, SqsJsonContext.Default.ReceiveMessageRequest, SqsJsonContext.Default.ReceiveMessageResponse, cancellationToken);
        return response.Messages ?? [];
    }

    /// <summary>Sends up to 10 messages; partial failures are returned, not thrown.</summary>
    public Task<SqsBatchResult> SendMessageBatchAsync(string queueUrl, IReadOnlyList<SqsSendEntry> entries, CancellationToken cancellationToken = default) =>
        BatchAsync("SendMessageBatch", new SendMessageBatchRequest(queueUrl, entries), SqsJsonContext.Default.SendMessageBatchRequest, cancellationToken);

    /// <summary>Deletes up to 10 messages; partial failures are returned, not thrown.</summary>
    public Task<SqsBatchResult> DeleteMessageBatchAsync(string queueUrl, IReadOnlyList<SqsDeleteEntry> entries, CancellationToken cancellationToken = default) =>
        BatchAsync("DeleteMessageBatch", new DeleteMessageBatchRequest(queueUrl, entries), SqsJsonContext.Default.DeleteMessageBatchRequest, cancellationToken);

    /// <summary>Changes the visibility of up to 10 messages.</summary>
    public Task<SqsBatchResult> ChangeMessageVisibilityBatchAsync(string queueUrl, IReadOnlyList<SqsVisibilityEntry> entries, CancellationToken cancellationToken = default) =>
        BatchAsync("ChangeMessageVisibilityBatch", new ChangeMessageVisibilityBatchRequest(queueUrl, entries), SqsJsonContext.Default.ChangeMessageVisibilityBatchRequest, cancellationToken);

    /// <summary>Asks SQS to move a DLQ's messages back to their source queue; returns the task handle.</summary>
    public async Task<string?> StartMessageMoveTaskAsync(string sourceArn, string? destinationArn, CancellationToken cancellationToken = default)
    {
        var response = await CallAsync("StartMessageMoveTask", new StartMessageMoveTaskRequest(sourceArn, destinationArn), SqsJsonContext.Default.StartMessageMoveTaskRequest, SqsJsonContext.Default.StartMessageMoveTaskResponse, cancellationToken);
        return response.TaskHandle;
    }

    private async Task<SqsBatchResult> BatchAsync<TRequest>(string action, TRequest request, JsonTypeInfo<TRequest> requestType, CancellationToken cancellationToken)
    {
        var response = await CallAsync(action, request, requestType, SqsJsonContext.Default.BatchResponse, cancellationToken);
        return new SqsBatchResult(
            response.Successful?.Select(e => e.Id).ToList() ?? [],
            response.Failed ?? []);
    }

    private async Task<TResponse> CallAsync<TRequest, TResponse>(
        string action, TRequest body, JsonTypeInfo<TRequest> requestType, JsonTypeInfo<TResponse> responseType, CancellationToken cancellationToken)
        where TResponse : class
    {
        var payload = JsonSerializer.SerializeToUtf8Bytes(body, requestType);
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint);
        request.Content = new ByteArrayContent(payload);
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-amz-json-1.0");
        request.Headers.TryAddWithoutValidation("X-Amz-Target", "AmazonSQS." + action);
        var identity = await credentials.GetCredentialsAsync();
        SigV4.Sign(request, payload, identity, region, "sqs", time.GetUtcNow().UtcDateTime);

        using var response = await http.SendAsync(request, cancellationToken);
        var text = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            var error = text.Length > 0 ? TryParseError(text) : null;
            var code = error?.Type is { } type ? type[(type.LastIndexOf('#') + 1)..] : response.StatusCode.ToString();
            throw new SqsException(code, error?.Message ?? error?.MessageUpper ?? "no message", response.StatusCode);
        }

        return text.Length == 0
            ? JsonSerializer.Deserialize("{}", responseType)!
            : JsonSerializer.Deserialize(text, responseType)!;
    }

    private static ErrorResponse? TryParseError(byte[] text)
    {
        try
        {
            return JsonSerializer.Deserialize(text, SqsJsonContext.Default.ErrorResponse);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <inheritdoc />
    public void Dispose() => http.Dispose();
}
