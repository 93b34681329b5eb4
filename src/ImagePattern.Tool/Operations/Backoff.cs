using System.Net.Sockets;
using ImagePattern.Tool.Sqs;

namespace ImagePattern.Tool.Operations;

/// <summary>
/// Exponential backoff with full jitter: the wait before retry <c>n</c> is uniform in
/// [0, min(cap, base × 2^(n-1))], so many senders throttled together do not retry in lockstep.
/// </summary>
internal sealed class Backoff(TimeSpan baseDelay, TimeSpan maxDelay, int maxAttempts, Func<TimeSpan, CancellationToken, Task>? delay = null, Random? random = null)
{
    private readonly Func<TimeSpan, CancellationToken, Task> delay = delay ?? Task.Delay;
    private readonly Random random = random ?? Random.Shared;

    /// <summary>8 attempts, 200 ms base, 20 s cap: a throttled batch gives up after roughly a minute at worst.</summary>
    public static Backoff Default { get; } = new(TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(20), 8);

    /// <summary>Attempts in all, the first included.</summary>
    public int MaxAttempts { get; } = maxAttempts >= 1 ? maxAttempts : throw new ArgumentOutOfRangeException(nameof(maxAttempts));

    /// <summary>The ceiling of the wait after failed attempt <paramref name="attempt"/> (1-based).</summary>
    public TimeSpan CeilingAfter(int attempt) =>
        TimeSpan.FromTicks((long)Math.Min(maxDelay.Ticks, baseDelay.Ticks * Math.Pow(2, Math.Max(0, attempt - 1))));

    /// <summary>Waits a jittered time after failed attempt <paramref name="attempt"/>.</summary>
    public Task WaitAsync(int attempt, CancellationToken cancellationToken)
    {
        // Jitter only spreads retries; it needs no cryptographic strength.
#pragma warning disable CA5394
        var wait = TimeSpan.FromTicks((long)(random.NextDouble() * CeilingAfter(attempt).Ticks));
#pragma warning restore CA5394
        return delay(wait, cancellationToken);
    }

    /// <summary>Throttling, server faults and broken connections: the request may succeed if repeated.</summary>
    public static bool IsTransient(Exception exception, CancellationToken cancellationToken) => exception switch
    {
        SqsException sqs => sqs.IsRetryable,
        HttpRequestException or IOException or SocketException => true,
        // HttpClient reports its own timeout as a cancellation that nobody asked for.
        TaskCanceledException => !cancellationToken.IsCancellationRequested,
        _ => false,
    };
}
