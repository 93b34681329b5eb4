using ImagePattern.Tool.Local.RunPicture;

namespace ImagePattern.Tool.Tests.Local.RunPicture;

public sealed class PercentileTests
{
    [Theory]
    [InlineData(50, 50)]
    [InlineData(95, 95)]
    [InlineData(100, 100)]
    [InlineData(0.5, 1)]
    public void NearestRank_OfOneToAHundred_IsThePercentItself(double percent, double expected)
    {
        var samples = Enumerable.Range(1, 100).Select(i => (double)i).Reverse().ToList();

        Assert.Equal(expected, Percentile.NearestRank(samples, percent));
    }

    [Fact]
    public void NearestRank_OfNoSamples_IsNull() => Assert.Null(Percentile.NearestRank([], 95));

    [Theory]
    [InlineData(0)]
    [InlineData(100.5)]
    public void NearestRank_OutsideZeroToAHundred_IsRefused(double percent) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => Percentile.NearestRank([1.0], percent));
}
