using SkiaSharp;

namespace ImagePattern.Imaging.Skia;

/// <summary>Applies an EXIF orientation, which SkiaSharp reports but does not apply.</summary>
internal static class SkiaOrientation
{
    /// <summary>
    /// The upright picture of <paramref name="stored"/> for EXIF <paramref name="orientation"/> 1–8; the same
    /// bitmap (not a copy) for 1. Quarter turns and mirrors map whole pixels, so nothing is resampled.
    /// </summary>
    public static SKBitmap Apply(SKBitmap stored, int orientation)
    {
        if (orientation is < 2 or > 8)
        {
            return stored;
        }

        float w = stored.Width;
        float h = stored.Height;
        // Where stored pixel (x, y) lands in the upright picture.
        var matrix = orientation switch
        {
            2 => new SKMatrix(-1, 0, w, 0, 1, 0, 0, 0, 1),
            3 => new SKMatrix(-1, 0, w, 0, -1, h, 0, 0, 1),
            4 => new SKMatrix(1, 0, 0, 0, -1, h, 0, 0, 1),
            5 => new SKMatrix(0, 1, 0, 1, 0, 0, 0, 0, 1),
            6 => new SKMatrix(0, -1, h, 1, 0, 0, 0, 0, 1),
            7 => new SKMatrix(0, -1, h, -1, 0, w, 0, 0, 1),
            _ => new SKMatrix(0, 1, 0, -1, 0, w, 0, 0, 1),
        };

        var (width, height) = orientation >= 5 ? (stored.Height, stored.Width) : (stored.Width, stored.Height);
        var upright = new SKBitmap(stored.Info.WithSize(width, height));
        try
        {
            using var canvas = new SKCanvas(upright);
            using var image = SKImage.FromBitmap(stored);
            using var paint = new SKPaint { BlendMode = SKBlendMode.Src };
            canvas.SetMatrix(matrix);
            canvas.DrawImage(image, 0, 0, new SKSamplingOptions(SKFilterMode.Nearest), paint);
            return upright;
        }
        catch
        {
            upright.Dispose();
            throw;
        }
    }
}
