namespace ImagePattern.Bench;

/// <summary>
/// What an in-process peer reports, in ms: the warm-up pass, then each timed pass over the batch as
/// wall time and as CPU time of the whole process (user + system, all threads).
/// </summary>
internal sealed record PassTimings(double WarmupMs, IReadOnlyList<double> RoundsMs, IReadOnlyList<double> RoundsCpuMs);
