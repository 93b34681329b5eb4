using SkiaSharp;

namespace ImagePattern.Imaging.Skia;

/// <summary>Shrinks a bitmap to an exact size with little aliasing and little blur.</summary>
/// <remarks>
/// Skia's cubic filters sample a fixed 4×4 neighbourhood whatever the ratio, so one cubic step from far
/// above the target would skip most source pixels and alias. The image is therefore halved with a
/// bilinear sample at each 2×2 block's centre (an exact box average) while it is at least twice the
/// target, and the last step, a ratio under two, uses the Mitchell–Netravali cubic (B = C = 1/3): the
/// usual compromise between ringing (Catmull-Rom, Lanczos) and blur (B-spline) for photographs, and the
/// filter sharp and ImageMagick reach for when shrinking by small factors.
/// </remarks>
internal static class SkiaResampler
{
    private static readonly SKSamplingOptions BoxHalf = new(SKFilterMode.Linear, SKMipmapMode.None);
    private static readonly SKSamplingOptions Final = new(SKCubicResampler.Mitchell);

    /// <summary>A new bitmap of exactly <paramref name="width"/> × <paramref name="height"/>; the source is left alone.</summary>
    public static SKBitmap Resize(SKBitmap source, int width, int height)
    {
        var current = source;
        try
        {
            while (current.Width >= 2 * width && current.Height >= 2 * height)
            {
                var half = Scale(current, current.Width / 2, current.Height / 2, BoxHalf);
                Replace(ref current, half, source);
            }

            if (current.Width == width && current.Height == height)
            {
                return current == source ? Copy(source) : current;
            }

            var result = Scale(current, width, height, Final);
            Replace(ref current, result, source);
            return current;
        }
        catch
        {
            if (current != source)
            {
                current.Dispose();
            }

            throw;
        }
    }

    private static SKBitmap Scale(SKBitmap source, int width, int height, SKSamplingOptions sampling)
    {
        var target = new SKBitmap(source.Info.WithSize(width, height));
        if (!source.ScalePixels(target, sampling))
        {
            target.Dispose();
            throw new SkiaDecodeException($"cannot resample {source.Width}x{source.Height} to {width}x{height}");
        }

        return target;
    }

    private static SKBitmap Copy(SKBitmap source) =>
        source.Copy() ?? throw new SkiaDecodeException("cannot copy a bitmap");

    private static void Replace(ref SKBitmap current, SKBitmap next, SKBitmap source)
    {
        if (current != source)
        {
            current.Dispose();
        }

        current = next;
    }
}

/// <summary>A decode or pixel operation that failed inside SkiaSharp; the image is treated as corrupt.</summary>
internal sealed class SkiaDecodeException(string message) : Exception(message);
