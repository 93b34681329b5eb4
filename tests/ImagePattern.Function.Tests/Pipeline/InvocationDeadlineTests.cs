using ImagePattern.Function.Pipeline;

namespace ImagePattern.Function.Tests.Pipeline;

public sealed class InvocationDeadlineTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Reserve = TimeSpan.FromSeconds(2);

    [Fact]
    public void Of_MinuteLongInvocation_StopsStartingWorkTwoSecondsBeforeTheDeadline()
    {
        var deadline = InvocationDeadline.Of(Now.AddSeconds(60), Now, Reserve);

        Assert.Equal(Now.AddSeconds(60), deadline.At);
        Assert.Equal(Now.AddSeconds(58), deadline.StartBy);
    }

    [Fact]
    public void Of_OneSecondInvocation_KeepsAQuarterInReserve()
    {
        var deadline = InvocationDeadline.Of(Now.AddSeconds(1), Now, Reserve);

        Assert.Equal(Now.AddMilliseconds(750), deadline.StartBy);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-500)]
    public void Of_DeadlineAlreadyReached_StartsNothing(int millisecondsLeft)
    {
        var deadline = InvocationDeadline.Of(Now.AddMilliseconds(millisecondsLeft), Now, Reserve);

        Assert.True(deadline.StartBy <= Now);
    }
}
