using SkiaSharp;

namespace ImagePattern.Imaging.Skia;

/// <summary>Resizes, turns upright and (for JPEG) flattens a decoded bitmap through an <see cref="SKCanvas"/>.</summary>
/// <remarks>
/// Skia's filters sample a fixed neighbourhood whatever the ratio, so one large step would alias: the image is halved
/// bilinearly (at an exact halving, a 2×2 box average) while at least twice the target, then drawn once at the target
/// size with Mitchell's cubic and the EXIF orientation as the canvas matrix (the README has the measurements).
/// </remarks>
internal static class SkiaScaler
{
    private static readonly SKSamplingOptions Halving = new(SKFilterMode.Linear, SKMipmapMode.None);

    private static readonly SKSamplingOptions Final = new(SKCubicResampler.Mitchell);

    /// <summary>
    /// A new bitmap of exactly <paramref name="upright"/> size showing <paramref name="source"/> (in its stored
    /// orientation) turned by EXIF <paramref name="orientation"/> (1–8); opaque over white when
    /// <paramref name="flatten"/>, otherwise of the source's alpha type. The source is left alone.
    /// </summary>
    public static SKBitmap Render(SKBitmap source, (int Width, int Height) upright, int orientation, bool flatten)
    {
        var stored = ThumbnailPlan.Stored(upright, orientation);
        var current = source;
        try
        {
            while (current.Width >= 2 * stored.Width && current.Height >= 2 * stored.Height)
            {
                var half = Draw(current, (current.Width / 2, current.Height / 2), 1, flatten: false, Halving);
                if (current != source)
                {
                    current.Dispose();
                }

                current = half;
            }

            return Draw(current, upright, orientation, flatten, Final);
        }
        finally
        {
            if (current != source)
            {
                current.Dispose();
            }
        }
    }

    private static SKBitmap Draw(SKBitmap source, (int Width, int Height) upright, int orientation, bool flatten, SKSamplingOptions sampling)
    {
        var stored = ThumbnailPlan.Stored(upright, orientation);
        var alpha = flatten ? SKAlphaType.Opaque : source.AlphaType;
        var target = new SKBitmap(source.Info.WithSize(upright.Width, upright.Height).WithAlphaType(alpha));
        try
        {
            using var canvas = new SKCanvas(target);
            if (flatten)
            {
                canvas.Clear(SKColors.White);
            }

            canvas.SetMatrix(Orientation(orientation, stored.Width, stored.Height));
            // Borrows the bitmap's pixels: SKImage.FromBitmap would copy a mutable bitmap.
            using var pixels = source.PeekPixels();
            using var image = SKImage.FromPixels(pixels);
            using var paint = new SKPaint { BlendMode = flatten ? SKBlendMode.SrcOver : SKBlendMode.Src };
            canvas.DrawImage(image, new SKRect(0, 0, stored.Width, stored.Height), sampling, paint);
            return target;
        }
        catch
        {
            target.Dispose();
            throw;
        }
    }

    // Maps a point of the stored picture (width × height) to where it is shown upright.
    private static SKMatrix Orientation(int orientation, float width, float height) => orientation switch
    {
        2 => new SKMatrix(-1, 0, width, 0, 1, 0, 0, 0, 1),
        3 => new SKMatrix(-1, 0, width, 0, -1, height, 0, 0, 1),
        4 => new SKMatrix(1, 0, 0, 0, -1, height, 0, 0, 1),
        5 => new SKMatrix(0, 1, 0, 1, 0, 0, 0, 0, 1),
        6 => new SKMatrix(0, -1, height, 1, 0, 0, 0, 0, 1),
        7 => new SKMatrix(0, -1, height, -1, 0, width, 0, 0, 1),
        8 => new SKMatrix(0, 1, 0, -1, 0, width, 0, 0, 1),
        _ => SKMatrix.Identity,
    };
}
