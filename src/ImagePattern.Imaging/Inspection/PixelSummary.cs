using System.Globalization;

namespace ImagePattern.Imaging.Inspection;

/// <summary>
/// Folds decoded RGBA rows, one at a time, into what the inspector needs: a grid of at most
/// <see cref="GridSide"/> cells a side holding mean linear-light colours (for the BlurHash), and a 512-bin colour
/// histogram (for the dominant colour). Memory stays the same whatever the picture's size.
/// </summary>
internal sealed class PixelSummary
{
    /// <summary>Longest side of the grid the BlurHash is computed on: plenty for 4×3 components.</summary>
    public const int GridSide = 32;

    private const int Bins = 512;

    private readonly int width;
    private readonly int height;
    private readonly int gridWidth;
    private readonly int gridHeight;
    private readonly double[] sums;
    private readonly double[] weights;
    private readonly long[] binCounts = new long[Bins];
    private readonly long[] binSums = new long[Bins * 3];
    private readonly long[] opaqueBinCounts = new long[Bins];
    private readonly long[] opaqueBinSums = new long[Bins * 3];
    private long opaquePixels;

    public PixelSummary(int width, int height)
    {
        this.width = width;
        this.height = height;
        var longest = Math.Max(width, height);
        var side = Math.Min(GridSide, longest);
        gridWidth = Math.Max(1, (int)Math.Round((double)width * side / longest));
        gridHeight = Math.Max(1, (int)Math.Round((double)height * side / longest));
        sums = new double[gridWidth * gridHeight * 3];
        weights = new double[gridWidth * gridHeight];
    }

    /// <summary>Adds row <paramref name="y"/>: <c>width</c> unpremultiplied RGBA pixels in sRGB.</summary>
    public void AddRow(int y, ReadOnlySpan<byte> rgba)
    {
        var cellRow = (int)((long)y * gridHeight / height) * gridWidth;
        for (var x = 0; x < width; x++)
        {
            var p = rgba.Slice(x * 4, 4);
            var cell = cellRow + (int)((long)x * gridWidth / width);
            // Alpha-weighted: transparent areas do not darken the placeholder.
            var a = p[3] / 255.0;
            sums[(cell * 3) + 0] += a * Srgb.ToLinear(p[0]);
            sums[(cell * 3) + 1] += a * Srgb.ToLinear(p[1]);
            sums[(cell * 3) + 2] += a * Srgb.ToLinear(p[2]);
            weights[cell] += a;

            var bin = ((p[0] >> 5) << 6) | ((p[1] >> 5) << 3) | (p[2] >> 5);
            binCounts[bin]++;
            binSums[(bin * 3) + 0] += p[0];
            binSums[(bin * 3) + 1] += p[1];
            binSums[(bin * 3) + 2] += p[2];
            if (p[3] >= 128)
            {
                opaqueBinCounts[bin]++;
                opaqueBinSums[(bin * 3) + 0] += p[0];
                opaqueBinSums[(bin * 3) + 1] += p[1];
                opaqueBinSums[(bin * 3) + 2] += p[2];
                opaquePixels++;
            }

        }
    }

    /// <summary>The mean colour of the fullest histogram bin (opaque pixels when there are any), <c>#rrggbb</c>; ties go to the lower bin.</summary>
    public string DominantColor()
    {
        var (counts, binSum) = opaquePixels > 0 ? (opaqueBinCounts, opaqueBinSums) : (binCounts, binSums);
        var best = 0;
        for (var bin = 1; bin < Bins; bin++)
        {
            if (counts[bin] > counts[best])
            {
                best = bin;
            }
        }

        if (counts[best] == 0)
        {
            return "#000000";
        }

        var n = counts[best];
        return string.Create(CultureInfo.InvariantCulture, $"#{Mean(binSum[best * 3], n):x2}{Mean(binSum[(best * 3) + 1], n):x2}{Mean(binSum[(best * 3) + 2], n):x2}");
    }

    /// <summary>The grid turned upright for EXIF <paramref name="orientation"/>, as linear RGB with its size.</summary>
    public (double[] Linear, int Width, int Height) UprightGrid(int orientation)
    {
        var swap = orientation >= 5;
        var w = swap ? gridHeight : gridWidth;
        var h = swap ? gridWidth : gridHeight;
        var upright = new double[w * h * 3];
        for (var y = 0; y < h; y++)
        {
            for (var x = 0; x < w; x++)
            {
                // Where displayed (x, y) is stored, for each EXIF orientation (TIFF 6.0's row/column meaning).
                var (sx, sy) = orientation switch
                {
                    2 => (gridWidth - 1 - x, y),
                    3 => (gridWidth - 1 - x, gridHeight - 1 - y),
                    4 => (x, gridHeight - 1 - y),
                    5 => (y, x),
                    6 => (y, gridHeight - 1 - x),
                    7 => (gridWidth - 1 - y, gridHeight - 1 - x),
                    8 => (gridWidth - 1 - y, x),
                    _ => (x, y),
                };
                var cell = (sy * gridWidth) + sx;
                var weight = weights[cell];
                for (var c = 0; c < 3; c++)
                {
                    upright[(((y * w) + x) * 3) + c] = weight > 0 ? sums[(cell * 3) + c] / weight : 0;
                }
            }
        }

        return (upright, w, h);
    }

    private static int Mean(long sum, long count) => (int)((sum + (count / 2)) / count);
}
