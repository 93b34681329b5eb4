namespace ImagePattern.Function.Tests.Support;

/// <summary>A clock the test moves by hand: the only way to cross a lease expiry without waiting.</summary>
internal sealed class ManualTimeProvider(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset now = start;

    public override DateTimeOffset GetUtcNow() => now;

    public void Advance(TimeSpan by) => now += by;
}
