using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using SkiaSharp;

namespace ImagePattern.Imaging.Skia;

/// <summary>Applies an EXIF orientation, which SkiaSharp reports but does not apply.</summary>
/// <remarks>
/// Quarter turns and mirrors only move whole pixels, so they are done here as plain copies of 4-byte pixels
/// rather than by drawing through an <see cref="SKCanvas"/> with a matrix: SkiaSharp's native build runs even
/// nearest-neighbour draws in its SSE2 float pipeline, several times the cost of moving the pixels.
/// </remarks>
internal static class SkiaOrientation
{
    /// <summary>
    /// The upright picture of <paramref name="stored"/> (4 bytes per pixel) for EXIF <paramref name="orientation"/>
    /// 1–8; the same bitmap (not a copy) for 1. Nothing is resampled.
    /// </summary>
    public static SKBitmap Apply(SKBitmap stored, int orientation)
    {
        if (orientation is < 2 or > 8)
        {
            return stored;
        }

        var width = stored.Width;
        var height = stored.Height;
        var (uprightWidth, uprightHeight) = orientation >= 5 ? (height, width) : (width, height);
        var upright = new SKBitmap(stored.Info.WithSize(uprightWidth, uprightHeight));
        try
        {
            Move(stored, upright, orientation);
            return upright;
        }
        catch
        {
            upright.Dispose();
            throw;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Move(SKBitmap stored, SKBitmap upright, int orientation)
    {
        var width = stored.Width;
        var height = stored.Height;
        var input = MemoryMarshal.Cast<byte, uint>(stored.GetPixelSpan());
        var output = MemoryMarshal.Cast<byte, uint>(upright.GetPixelSpan());
        var inStride = stored.RowBytes / 4;
        var outStride = upright.RowBytes / 4;
        for (var y = 0; y < height; y++)
        {
            var row = input.Slice(y * inStride, width);
            for (var x = 0; x < width; x++)
            {
                // Where stored pixel (x, y) lands in the upright picture.
                var (ux, uy) = orientation switch
                {
                    2 => (width - 1 - x, y),
                    3 => (width - 1 - x, height - 1 - y),
                    4 => (x, height - 1 - y),
                    5 => (y, x),
                    6 => (height - 1 - y, x),
                    7 => (height - 1 - y, width - 1 - x),
                    _ => (y, width - 1 - x),
                };
                output[(uy * outStride) + ux] = row[x];
            }
        }
    }
}
