using System.Collections.Concurrent;

namespace ImagePattern.Tool.Tests.Support;

/// <summary>
/// A clock whose timers fire at once and remember what they were asked to wait: code that backs off through a
/// <see cref="TimeProvider"/> runs its retries without waiting, and a test can check the waits it chose.
/// </summary>
internal sealed class InstantTimeProvider : TimeProvider
{
    public ConcurrentQueue<TimeSpan> Waits { get; } = new();

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        if (dueTime == Timeout.InfiniteTimeSpan)
        {
            return base.CreateTimer(callback, state, dueTime, period);
        }

        Waits.Enqueue(dueTime);
        return base.CreateTimer(callback, state, TimeSpan.Zero, period);
    }
}
