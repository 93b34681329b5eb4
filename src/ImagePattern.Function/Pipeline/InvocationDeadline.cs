namespace ImagePattern.Function.Pipeline;

/// <summary>
/// When the invocation ends (the Runtime API's <c>Lambda-Runtime-Deadline-Ms</c>), and the latest moment work on an
/// object may still start: the time kept in reserve is <see cref="ConsumerSettings.MinimumTimeToStart"/>
/// (2 s), or a quarter of the time the invocation had when it began if that is less, so a short function timeout
/// still gets work done. With no time left at all, nothing starts.
/// </summary>
/// <param name="At">The deadline: leases last until it.</param>
/// <param name="StartBy">Objects not started by then are handed back for another delivery.</param>
public readonly record struct InvocationDeadline(DateTimeOffset At, DateTimeOffset StartBy)
{
    /// <summary>The deadline of an invocation beginning at <paramref name="now"/> that must end by <paramref name="deadline"/>.</summary>
    public static InvocationDeadline Of(DateTimeOffset deadline, DateTimeOffset now, TimeSpan maximumReserve)
    {
        var budget = deadline - now;
        var reserve = budget <= TimeSpan.Zero ? TimeSpan.Zero : TimeSpan.FromTicks(Math.Min(maximumReserve.Ticks, budget.Ticks / 4));
        return new InvocationDeadline(deadline, deadline - reserve);
    }
}
