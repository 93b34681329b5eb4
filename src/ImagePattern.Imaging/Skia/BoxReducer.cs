using System.Numerics;
using System.Runtime.InteropServices;
using SkiaSharp;

namespace ImagePattern.Imaging.Skia;

/// <summary>
/// Averages each block of <c>factor</c> × <c>factor</c> pixels of a decoded image into one, a band of rows at a
/// time: the cheap first stage of a large reduction (vector adds of whole rows, then one division per output
/// sample), leaving the last factor of two or less to the cubic resampler.
/// </summary>
/// <remarks>
/// PNG has no scaled decode, and SkiaSharp 4.155's PNG codec does not implement scanline decoding
/// (<see cref="SKCodec.StartScanlineDecode(SKImageInfo)"/> answers <see cref="SKCodecResult.Unimplemented"/>), so the rows
/// cannot be reduced as they are decoded: the image is decoded whole first, then reduced here.
/// </remarks>
internal static class BoxReducer
{
    /// <summary>
    /// The reduced image, <c>ceil(width / factor)</c> × <c>ceil(height / factor)</c> (edge blocks average the
    /// pixels they have), in <paramref name="source"/>'s colour type (4 bytes per pixel), alpha type and space.
    /// </summary>
    public static SKBitmap Reduce(SKBitmap source, int factor)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(factor, 2);
        var width = source.Width;
        var height = source.Height;
        var rowBytes = width * 4;
        var sourceRowBytes = source.RowBytes;
        var outWidth = (width + factor - 1) / factor;
        var outHeight = (height + factor - 1) / factor;
        var reduced = new SKBitmap(source.Info.WithSize(outWidth, outHeight));
        var columnSums = new ushort[rowBytes];
        var pixelSums = new uint[outWidth * 4];
        try
        {
            var input = source.GetPixelSpan();
            var output = reduced.GetPixelSpan();
            var outRowBytes = reduced.RowBytes;
            for (var outY = 0; outY < outHeight; outY++)
            {
                var rows = Math.Min(factor, height - (outY * factor));
                Array.Clear(columnSums);
                for (var r = 0; r < rows; r++)
                {
                    AddRow(columnSums, input.Slice(((outY * factor) + r) * sourceRowBytes, rowBytes));
                }

                Array.Clear(pixelSums);
                for (var x = 0; x < width; x++)
                {
                    var target = (x / factor) * 4;
                    var sourceIndex = x * 4;
                    pixelSums[target] += columnSums[sourceIndex];
                    pixelSums[target + 1] += columnSums[sourceIndex + 1];
                    pixelSums[target + 2] += columnSums[sourceIndex + 2];
                    pixelSums[target + 3] += columnSums[sourceIndex + 3];
                }

                var line = output.Slice(outY * outRowBytes, outWidth * 4);
                for (var ox = 0; ox < outWidth; ox++)
                {
                    var columns = Math.Min(factor, width - (ox * factor));
                    var count = (uint)(columns * rows);
                    var half = count / 2;
                    for (var c = 0; c < 4; c++)
                    {
                        line[(ox * 4) + c] = (byte)((pixelSums[(ox * 4) + c] + half) / count);
                    }
                }
            }

            return reduced;
        }
        catch
        {
            reduced.Dispose();
            throw;
        }
    }

    // Column sums of up to 257 rows of bytes fit in 16 bits; widened vector adds keep this near memory speed.
    private static void AddRow(Span<ushort> sums, ReadOnlySpan<byte> row)
    {
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var sumVectors = MemoryMarshal.Cast<ushort, Vector<ushort>>(sums);
            var byteVectors = MemoryMarshal.Cast<byte, Vector<byte>>(row);
            for (var v = 0; v < byteVectors.Length; v++)
            {
                Vector.Widen(byteVectors[v], out var low, out var high);
                sumVectors[2 * v] += low;
                sumVectors[(2 * v) + 1] += high;
            }

            i = byteVectors.Length * Vector<byte>.Count;
        }

        for (; i < row.Length; i++)
        {
            sums[i] += row[i];
        }
    }
}
