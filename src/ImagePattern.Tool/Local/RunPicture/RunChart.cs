using System.Globalization;
using ImagePattern.Imaging.Tooling;
using SkiaSharp;

namespace ImagePattern.Tool.Local.RunPicture;

/// <summary>
/// Draws a local run as one PNG: per consumer a band with uploads and ended tasks over time (cumulative counts) on
/// the left and the distribution of its notification latency, p50 and p95 marked, on the right.
/// </summary>
public static class RunChart
{
    /// <summary>Width of the picture in pixels.</summary>
    public const int Width = 1200;

    /// <summary>Height of the title above the bands, in pixels.</summary>
    public const int HeaderHeight = 44;

    /// <summary>Height of one consumer's band, in pixels.</summary>
    public const int BandHeight = 300;

    /// <summary>Bars of the latency histogram.</summary>
    public const int Bins = 20;

    /// <summary>Colour of uploads in the time panel.</summary>
    public static readonly SKColor UploadColor = new(0x1f, 0x77, 0xb4);

    /// <summary>Colour of ended tasks in the time panel.</summary>
    public static readonly SKColor EndedColor = new(0x2c, 0xa0, 0x2c);

    /// <summary>Colour of the histogram's bars.</summary>
    public static readonly SKColor BarColor = new(0xb0, 0xc4, 0xde);

    /// <summary>Colour of the p50 marker.</summary>
    public static readonly SKColor P50Color = new(0xff, 0x7f, 0x0e);

    /// <summary>Colour of the p95 marker.</summary>
    public static readonly SKColor P95Color = new(0xd6, 0x27, 0x28);

    private const float TextSize = 13;

    /// <summary>Encodes the picture of <paramref name="run"/> as PNG: <see cref="Width"/> wide, a header and one band per consumer.</summary>
    /// <exception cref="ArgumentException">The run has no consumer.</exception>
    public static byte[] Draw(RunTimeline run, string title)
    {
        ArgumentNullException.ThrowIfNull(run);
        if (run.Consumers.Count == 0)
        {
            throw new ArgumentException("a run picture needs at least one consumer", nameof(run));
        }

        var info = new SKImageInfo(Width, HeaderHeight + (run.Consumers.Count * BandHeight), SKColorType.Rgba8888, SKAlphaType.Premul);
        using var surface = SKSurface.Create(info);
        var canvas = surface.Canvas;
        canvas.Clear(SKColors.White);
        using var font = new SKFont(ContactSheet.TextTypeface, TextSize);
        using var bold = new SKFont(ContactSheet.TextTypeface, TextSize + 3);
        using var ink = new SKPaint { Color = SKColors.Black, IsAntialias = true };
        canvas.DrawText(title, 16, 28, SKTextAlign.Left, bold, ink);

        // One time scale for every band, so the consumers can be compared by eye.
        var seconds = run.Uploads.Concat(run.Consumers.SelectMany(c => c.Ended))
            .Select(t => (t - run.Started).TotalSeconds).DefaultIfEmpty(0).Max();
        for (var i = 0; i < run.Consumers.Count; i++)
        {
            DrawBand(canvas, run, run.Consumers[i], HeaderHeight + (i * BandHeight), seconds, font, ink);
        }

        using var image = surface.Snapshot();
        using var png = image.Encode(SKEncodedImageFormat.Png, 100);
        return png.ToArray();
    }

    /// <summary>Where the time panel of a band starting at <paramref name="bandTop"/> draws, for a run lasting <paramref name="seconds"/> with up to <paramref name="count"/> events.</summary>
    internal static Panel TimePanel(int bandTop, double seconds, int count) =>
        new(new SKRect(70, bandTop + 50, 560, bandTop + BandHeight - 40), Math.Max(seconds, 0.001), Math.Max(count, 1));

    /// <summary>Where the latency panel of a band starting at <paramref name="bandTop"/> draws, for latencies up to <paramref name="maxMs"/>.</summary>
    internal static Panel LatencyPanel(int bandTop, double maxMs, int tallestBin) =>
        new(new SKRect(680, bandTop + 50, 1170, bandTop + BandHeight - 40), Math.Max(maxMs, 0.001), Math.Max(tallestBin, 1));

    private static void DrawBand(SKCanvas canvas, RunTimeline run, ConsumerTimeline consumer, int top, double seconds, SKFont font, SKPaint ink)
    {
        var summary = ConsumerSummary.Of(run, consumer);
        var line = string.Create(
            CultureInfo.InvariantCulture,
            $"{consumer.Name}: {summary.Uploads} uploads, {summary.Ended} ended, last at {summary.LastEndedSeconds:0.0} s; NotificationLatency n={summary.Samples}{Figures(summary)}");
        canvas.DrawText(line, 16, top + 24, SKTextAlign.Left, font, ink);

        // Uploads and ended tasks as cumulative step lines over seconds since the first upload started.
        var uploads = run.Uploads.Select(t => (t - run.Started).TotalSeconds).Order().ToList();
        var ended = consumer.Ended.Select(t => (t - run.Started).TotalSeconds).Order().ToList();
        var time = TimePanel(top, seconds, Math.Max(uploads.Count, ended.Count));
        Axes(canvas, time, font, ink, string.Create(CultureInfo.InvariantCulture, $"{seconds:0.0} s"), time.MaxY.ToString(CultureInfo.InvariantCulture));
        Steps(canvas, time, uploads, UploadColor);
        Steps(canvas, time, ended, EndedColor);
        Legend(canvas, time.Area.Left + 8, time.Area.Top + 14, font, [("uploaded", UploadColor), ("ended", EndedColor)]);

        // The latency histogram, with the percentiles drawn over the bars.
        var latencies = consumer.NotificationLatencyMs;
        var maxMs = latencies.DefaultIfEmpty(0).Max();
        var counts = new int[Bins];
        foreach (var value in latencies)
        {
            counts[Math.Min(Bins - 1, (int)(value / Math.Max(maxMs, 0.001) * Bins))]++;
        }

        var latency = LatencyPanel(top, maxMs, counts.Max());
        Axes(canvas, latency, font, ink, string.Create(CultureInfo.InvariantCulture, $"{maxMs:0} ms"), latency.MaxY.ToString(CultureInfo.InvariantCulture));
        using (var bar = new SKPaint { Color = BarColor, Style = SKPaintStyle.Fill })
        {
            var barWidth = latency.Area.Width / Bins;
            for (var b = 0; b < Bins; b++)
            {
                var height = counts[b] / latency.MaxY * latency.Area.Height;
                canvas.DrawRect(latency.Area.Left + (b * barWidth) + 1, latency.Area.Bottom - (float)height, barWidth - 2, (float)height, bar);
            }
        }

        if (summary.P50Ms is { } p50 && summary.P95Ms is { } p95)
        {
            Marker(canvas, latency, p50, P50Color);
            Marker(canvas, latency, p95, P95Color);
            Legend(canvas, latency.Area.Left + 8, latency.Area.Top + 14, font, [
                (string.Create(CultureInfo.InvariantCulture, $"p50 {p50:0} ms"), P50Color),
                (string.Create(CultureInfo.InvariantCulture, $"p95 {p95:0} ms"), P95Color),
            ]);
        }
        else
        {
            canvas.DrawText("no NotificationLatency samples", latency.Area.Left + 8, latency.Area.MidY, SKTextAlign.Left, font, ink);
        }
    }

    private static string Figures(ConsumerSummary summary) => summary.P50Ms is null
        ? ""
        : string.Create(CultureInfo.InvariantCulture, $", p50 {summary.P50Ms:0} ms, p95 {summary.P95Ms:0} ms, max {summary.MaxMs:0} ms");

    private static void Axes(SKCanvas canvas, Panel panel, SKFont font, SKPaint ink, string xMax, string yMax)
    {
        using var axis = new SKPaint { Color = SKColors.Gray, StrokeWidth = 1, IsAntialias = false };
        canvas.DrawLine(panel.Area.Left, panel.Area.Bottom, panel.Area.Right, panel.Area.Bottom, axis);
        canvas.DrawLine(panel.Area.Left, panel.Area.Top, panel.Area.Left, panel.Area.Bottom, axis);
        canvas.DrawText("0", panel.Area.Left - 4, panel.Area.Bottom + 16, SKTextAlign.Right, font, ink);
        canvas.DrawText(xMax, panel.Area.Right, panel.Area.Bottom + 16, SKTextAlign.Right, font, ink);
        canvas.DrawText(yMax, panel.Area.Left - 6, panel.Area.Top + 10, SKTextAlign.Right, font, ink);
    }

    private static void Steps(SKCanvas canvas, Panel panel, List<double> times, SKColor color)
    {
        if (times.Count == 0)
        {
            return;
        }

        // A step line: level i until the i-th event, then up one.
        using var paint = new SKPaint { Color = color, StrokeWidth = 2, Style = SKPaintStyle.Stroke, IsAntialias = true };
        var x = panel.X(0);
        for (var i = 0; i < times.Count; i++)
        {
            var next = panel.X(times[i]);
            canvas.DrawLine(x, panel.Y(i), next, panel.Y(i), paint);
            canvas.DrawLine(next, panel.Y(i), next, panel.Y(i + 1), paint);
            x = next;
        }

        canvas.DrawLine(x, panel.Y(times.Count), panel.Area.Right, panel.Y(times.Count), paint);
    }

    private static void Marker(SKCanvas canvas, Panel panel, double value, SKColor color)
    {
        using var paint = new SKPaint { Color = color, StrokeWidth = 3, IsAntialias = false };
        var x = panel.X(value);
        canvas.DrawLine(x, panel.Area.Top, x, panel.Area.Bottom, paint);
    }

    private static void Legend(SKCanvas canvas, float x, float y, SKFont font, IReadOnlyList<(string Label, SKColor Color)> items)
    {
        foreach (var (label, color) in items)
        {
            using var swatch = new SKPaint { Color = color, Style = SKPaintStyle.Fill };
            using var text = new SKPaint { Color = SKColors.Black, IsAntialias = true };
            canvas.DrawRect(x, y - 9, 12, 10, swatch);
            canvas.DrawText(label, x + 16, y, SKTextAlign.Left, font, text);
            x += 24 + font.MeasureText(label);
        }
    }

    /// <summary>A plot area and the values at its right and top edges (its left and bottom are 0).</summary>
    internal sealed record Panel(SKRect Area, double MaxX, double MaxY)
    {
        /// <summary>Pixel column of <paramref name="value"/>.</summary>
        public float X(double value) => Area.Left + (float)(Math.Clamp(value / MaxX, 0, 1) * Area.Width);

        /// <summary>Pixel row of <paramref name="value"/>.</summary>
        public float Y(double value) => Area.Bottom - (float)(Math.Clamp(value / MaxY, 0, 1) * Area.Height);
    }
}
