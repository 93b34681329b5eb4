
namespace ImagePattern.Bench.Pipeline;

/// <summary>Wall time and this process's CPU time (user + system, all threads) of one piece of work, in ms.</summary>
internal readonly record struct Measured(double WallMs, double CpuMs)
{
    public static async Task<(T Value, Measured Time)> TimeAsync<T>(Func<Task<T>> work)
    {
        var cpu = Environment.CpuUsage.TotalTime;
        var clock = TimeProvider.System.GetTimestamp();
        var value = await work();
        return (value, new Measured(TimeProvider.System.GetElapsedTime(clock).TotalMilliseconds, (Environment.CpuUsage.TotalTime - cpu).TotalMilliseconds));
    }

    public static (T Value, Measured Time) Time<T>(Func<T> work)
    {
        var cpu = Environment.CpuUsage.TotalTime;
        var clock = TimeProvider.System.GetTimestamp();
        var value = work();
        return (value, new Measured(TimeProvider.System.GetElapsedTime(clock).TotalMilliseconds, (Environment.CpuUsage.TotalTime - cpu).TotalMilliseconds));
    }

    /// <summary>Now as Unix ms with sub-ms digits, comparable across processes on this machine.</summary>
    public static double UnixMs() => (TimeProvider.System.GetUtcNow() - DateTimeOffset.UnixEpoch).TotalMilliseconds;
}
