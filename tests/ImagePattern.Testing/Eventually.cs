using Xunit;

namespace ImagePattern.Testing;

/// <summary>
/// Waits on state: reads until a condition holds, polling through <see cref="TimeProvider.System"/>. The limit is only
/// when to give up; nothing here waits for time to pass as a stand-in for something happening.
/// </summary>
public static class Eventually
{
    /// <summary>How often a condition is read again when the caller names no interval: 100 ms.</summary>
    public static readonly TimeSpan DefaultPoll = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// Reads <paramref name="read"/> until <paramref name="done"/> holds for what it returned or
    /// <paramref name="limit"/> has passed, and returns the last value read, whether it held or not, so that the
    /// caller's assertions say what the state was.
    /// </summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static async Task<T> UntilAsync<T>(Func<Task<T>> read, Func<T, bool> done, TimeSpan limit, CancellationToken cancellationToken, TimeSpan? poll = null)
    {
        ArgumentNullException.ThrowIfNull(read);
        ArgumentNullException.ThrowIfNull(done);
        var started = TimeProvider.System.GetTimestamp();
        while (true)
        {
            var value = await read();
            if (done(value) || TimeProvider.System.GetElapsedTime(started) >= limit)
            {
                return value;
            }

            await Task.Delay(poll ?? DefaultPoll, TimeProvider.System, cancellationToken);
        }
    }

    /// <summary>Polls <paramref name="condition"/> until it holds or <paramref name="limit"/> has passed; returns whether it held.</summary>
    public static Task<bool> HoldsAsync(Func<Task<bool>> condition, TimeSpan limit, CancellationToken cancellationToken, TimeSpan? poll = null) =>
        UntilAsync(condition, held => held, limit, cancellationToken, poll);

    /// <summary>
    /// Polls <paramref name="probe"/> until it returns a value (default limit 2 minutes) and returns it; fails the
    /// running test, naming <paramref name="what"/>, when it never does.
    /// </summary>
    public static async Task<T> ValueAsync<T>(Func<Task<T?>> probe, string what, TimeSpan? limit = null)
        where T : class
    {
        var value = await UntilAsync(probe, found => found is not null, limit ?? TimeSpan.FromMinutes(2), TestContext.Current.CancellationToken);
        if (value is null)
        {
            Assert.Fail($"gave up waiting for {what}");
        }

        return value;
    }
}
