namespace ImagePattern.Imaging.Tooling;

/// <summary>Objective image comparison for tests and benchmarks.</summary>
public static class ImageComparison
{
    private static readonly double[] White = [255];

    /// <summary>
    /// Peak signal-to-noise ratio in dB between two encoded images of the same displayed size, compared
    /// as 8-bit sRGB (upright, alpha flattened onto white). Identical pixels give positive infinity;
    /// around 40 dB and up is visually indistinguishable for photos, under 25 dB clearly different.
    /// </summary>
    /// <exception cref="ArgumentException">An input is not a decodable image, or the sizes differ.</exception>
    public static double Psnr(byte[] a, byte[] b)
    {
        using var left = DisplayDecoder.Decode(a, White, nameof(a));
        using var right = DisplayDecoder.Decode(b, White, nameof(b));
        RequireSameSize(left, right);
        using var difference = left - right;
        using var squared = difference * difference;
        var meanSquaredError = squared.Avg();
        return meanSquaredError == 0 ? double.PositiveInfinity : 10 * Math.Log10(255.0 * 255.0 / meanSquaredError);
    }

    private static void RequireSameSize(NetVips.Image left, NetVips.Image right)
    {
        if (left.Width != right.Width || left.Height != right.Height)
        {
            throw new ArgumentException(
                $"images differ in size: {left.Width}x{left.Height} and {right.Width}x{right.Height}", nameof(right));
        }
    }
}
