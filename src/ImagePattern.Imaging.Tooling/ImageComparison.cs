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

    /// <summary>
    /// Mean structural similarity (SSIM, Wang et al. 2004) of the two images' luma, compared as displayed, with
    /// an 8×8 sliding window and the usual constants (K1 = 0.01, K2 = 0.03). 1 means identical; photo thumbnails
    /// of good quality score above 0.95.
    /// </summary>
    /// <exception cref="ArgumentException">An input is not a decodable image, or the sizes differ.</exception>
    public static double Ssim(byte[] a, byte[] b)
    {
        using var left = DisplayDecoder.Decode(a, White, nameof(a));
        using var right = DisplayDecoder.Decode(b, White, nameof(b));
        RequireSameSize(left, right);
        var x = Luma(left);
        var y = Luma(right);
        var width = left.Width;
        var height = left.Height;
        const int Window = 8;
        const double C1 = 0.01 * 255 * 0.01 * 255;
        const double C2 = 0.03 * 255 * 0.03 * 255;
        var step = Math.Max(1, Window / 2);
        double total = 0;
        var windows = 0;
        for (var top = 0; top + Math.Min(Window, height) <= height; top += step)
        {
            for (var left0 = 0; left0 + Math.Min(Window, width) <= width; left0 += step)
            {
                total += WindowSsim(x, y, width, left0, top, Math.Min(Window, width), Math.Min(Window, height), C1, C2);
                windows++;
            }
        }

        return windows == 0 ? 1 : total / windows;
    }

    private static double WindowSsim(double[] x, double[] y, int stride, int left, int top, int w, int h, double c1, double c2)
    {
        double sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0;
        for (var row = top; row < top + h; row++)
        {
            for (var column = left; column < left + w; column++)
            {
                var a = x[(row * stride) + column];
                var b = y[(row * stride) + column];
                sx += a;
                sy += b;
                sxx += a * a;
                syy += b * b;
                sxy += a * b;
            }
        }

        var n = (double)(w * h);
        var mx = sx / n;
        var my = sy / n;
        var vx = (sxx / n) - (mx * mx);
        var vy = (syy / n) - (my * my);
        var cov = (sxy / n) - (mx * my);
        return ((2 * mx * my) + c1) * ((2 * cov) + c2) / (((mx * mx) + (my * my) + c1) * (vx + vy + c2));
    }

    // Rec. 601 luma of 8-bit sRGB (or the grey band of a one-band image).
    private static double[] Luma(NetVips.Image image)
    {
        var pixels = image.WriteToMemory<byte>();
        var bands = image.Bands;
        var luma = new double[image.Width * image.Height];
        for (var i = 0; i < luma.Length; i++)
        {
            var p = i * bands;
            luma[i] = bands >= 3 ? (0.299 * pixels[p]) + (0.587 * pixels[p + 1]) + (0.114 * pixels[p + 2]) : pixels[p];
        }

        return luma;
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
