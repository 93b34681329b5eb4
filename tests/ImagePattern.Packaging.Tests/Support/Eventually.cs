namespace ImagePattern.Packaging.Tests.Support;

/// <summary>Waits on state: polls a condition until it holds, failing only after a generous overall timeout.</summary>
internal static class Eventually
{
    public static async Task<T> ValueAsync<T>(Func<Task<T?>> probe, string what, TimeSpan? timeout = null)
        where T : class
    {
        using var limitTimer = new CancellationTokenSource(timeout ?? TimeSpan.FromMinutes(2), TimeProvider.System);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken, limitTimer.Token);
        while (true)
        {
            if (await probe() is { } value)
            {
                return value;
            }

            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(100), TimeProvider.System, limit.Token);
            }
            catch (OperationCanceledException) when (!TestContext.Current.CancellationToken.IsCancellationRequested)
            {
                Assert.Fail($"gave up waiting for {what}");
            }
        }
    }
}
