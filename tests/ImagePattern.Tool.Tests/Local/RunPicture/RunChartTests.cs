using ImagePattern.Tool.Local.RunPicture;
using SkiaSharp;

namespace ImagePattern.Tool.Tests.Local.RunPicture;

/// <summary>The run picture of a run whose numbers are known: ten uploads a second apart, two consumers.</summary>
public sealed class RunChartTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 5, 23, 0, 0, TimeSpan.Zero);

    // thumbnails: ended 2..11 s, twenty latencies 50, 100, ..., 1000 ms (p50 = 500, p95 = 950 by nearest rank).
    // metadata: ended 3..12 s, no latency samples.
    private static readonly RunTimeline Run = new(
        Start,
        [.. Enumerable.Range(1, 10).Select(s => Start.AddSeconds(s))],
        [
            new ConsumerTimeline("thumbnails", [.. Enumerable.Range(2, 10).Select(s => Start.AddSeconds(s))], [.. Enumerable.Range(1, 20).Select(i => i * 50.0)]),
            new ConsumerTimeline("metadata", [.. Enumerable.Range(3, 10).Select(s => Start.AddSeconds(s))], []),
        ]);

    [Fact]
    public void Summary_OfAKnownRun_GivesItsCountsTimesAndPercentiles()
    {
        var thumbnails = ConsumerSummary.Of(Run, Run.Consumers[0]);
        var metadata = ConsumerSummary.Of(Run, Run.Consumers[1]);

        Assert.Equal(new ConsumerSummary("thumbnails", 10, 10, 11, 20, 500, 950, 1000), thumbnails);
        Assert.Equal(new ConsumerSummary("metadata", 10, 10, 12, 0, null, null, null), metadata);
    }

    [Fact]
    public void Draw_OfAKnownRun_HasABandPerConsumerAndMarksP50AndP95WhereTheNumbersPutThem()
    {
        using var picture = SKBitmap.Decode(RunChart.Draw(Run, "known run"));

        Assert.Equal(RunChart.Width, picture.Width);
        Assert.Equal(RunChart.HeaderHeight + (2 * RunChart.BandHeight), picture.Height);

        var thumbnails = RunChart.LatencyPanel(RunChart.HeaderHeight, maxMs: 1000, tallestBin: 1);
        var middle = (int)thumbnails.Area.MidY;
        Assert.Equal(RunChart.P50Color, picture.GetPixel((int)thumbnails.X(500), middle));
        Assert.Equal(RunChart.P95Color, picture.GetPixel((int)thumbnails.X(950), middle));

        // The metadata band has no samples, so nothing in its latency panel is a marker.
        var metadata = RunChart.LatencyPanel(RunChart.HeaderHeight + RunChart.BandHeight, maxMs: 1, tallestBin: 1);
        var markers = 0;
        for (var x = (int)metadata.Area.Left; x < (int)metadata.Area.Right; x++)
        {
            var pixel = picture.GetPixel(x, (int)metadata.Area.MidY + 20);
            markers += pixel == RunChart.P50Color || pixel == RunChart.P95Color ? 1 : 0;
        }

        Assert.Equal(0, markers);
    }

    [Fact]
    public void Draw_WithoutConsumers_IsRefused()
    {
        Assert.Throws<ArgumentException>(() => RunChart.Draw(new RunTimeline(Start, [], []), "empty"));
    }
}
