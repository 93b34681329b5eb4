namespace ImagePattern.Tool.Local.RunPicture;

/// <summary>Percentiles by the nearest-rank method: always one of the samples, never an interpolation.</summary>
public static class Percentile
{
    /// <summary>
    /// The smallest sample with at least <paramref name="percent"/> % of the samples at or below it (rank
    /// ⌈percent/100 × n⌉); null for no samples.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="percent"/> is not in (0, 100].</exception>
    public static double? NearestRank(IReadOnlyList<double> samples, double percent)
    {
        ArgumentNullException.ThrowIfNull(samples);
        if (percent is <= 0 or > 100)
        {
            throw new ArgumentOutOfRangeException(nameof(percent), percent, "a percentile lies in (0, 100]");
        }

        if (samples.Count == 0)
        {
            return null;
        }

        var sorted = samples.Order().ToList();
        var rank = (int)Math.Ceiling(percent / 100 * sorted.Count);
        return sorted[Math.Clamp(rank, 1, sorted.Count) - 1];
    }
}
