using System.Net;
using System.Net.Sockets;
using Amazon.Runtime;
using Polly;
using Polly.Retry;

namespace ImagePattern.Tool.Operations;

/// <summary>
/// How the operations tools (backfill, redrive) retry SQS: exponential backoff with jitter through Polly, so that
/// many senders throttled together do not retry in lockstep. The SQS client they use has the SDK's own retries
/// off (<see cref="OperationsTarget"/>), so whole calls and single batch entries share this one budget.
/// </summary>
/// <param name="MaxAttempts">Attempts in all, the first included.</param>
/// <param name="BaseDelay">Median wait before the first retry; it doubles with each retry.</param>
/// <param name="MaxDelay">No wait is longer.</param>
internal sealed record SqsRetry(int MaxAttempts, TimeSpan BaseDelay, TimeSpan MaxDelay)
{
    /// <summary>8 attempts, 200 ms base, 20 s cap: a throttled batch gives up after roughly a minute at worst.</summary>
    public static SqsRetry Default { get; } = new(8, TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(20));

    /// <summary>A pipeline that repeats a call while it fails transiently (see <see cref="IsTransient"/>).</summary>
    public ResiliencePipeline Calls(TimeProvider time) =>
        new ResiliencePipelineBuilder { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is { } ex && IsTransient(ex, args.Context.CancellationToken)),
                MaxRetryAttempts = MaxAttempts - 1,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = BaseDelay,
                MaxDelay = MaxDelay,
            })
            .Build();

    /// <summary>
    /// A pipeline over one step of a batch call whose result says whether entries remain to be sent: it repeats
    /// the step while it fails transiently or leaves entries behind.
    /// </summary>
    public ResiliencePipeline<bool> BatchSteps(TimeProvider time, Action? onRetry = null) =>
        new ResiliencePipelineBuilder<bool> { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions<bool>
            {
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is { } ex
                    ? IsTransient(ex, args.Context.CancellationToken)
                    : args.Outcome.Result),
                MaxRetryAttempts = MaxAttempts - 1,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = BaseDelay,
                MaxDelay = MaxDelay,
                OnRetry = _ =>
                {
                    onRetry?.Invoke();
                    return ValueTask.CompletedTask;
                },
            })
            .Build();

    /// <summary>Throttling, server faults and broken connections: the request may succeed if repeated.</summary>
    public static bool IsTransient(Exception exception, CancellationToken cancellationToken) => exception switch
    {
        AmazonServiceException service => service.StatusCode >= HttpStatusCode.InternalServerError
            || service.Retryable is not null
            || IsThrottling(service.ErrorCode)
            || (service.InnerException is { } inner && IsTransient(inner, cancellationToken)),
        HttpRequestException or IOException or SocketException => true,
        // HttpClient reports its own timeout as a cancellation that nobody asked for.
        TaskCanceledException => !cancellationToken.IsCancellationRequested,
        AmazonClientException { InnerException: { } inner } => IsTransient(inner, cancellationToken),
        _ => false,
    };

    /// <summary>The error codes SQS uses when it asks a caller to slow down or try later.</summary>
    public static bool IsThrottling(string? code) =>
        code is "ThrottlingException" or "RequestThrottled" or "ServiceUnavailable" or "InternalError";
}
