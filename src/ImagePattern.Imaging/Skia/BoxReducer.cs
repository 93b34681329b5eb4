using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
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
    /// <summary>The largest factor: column sums of up to 257 rows of bytes fit the 16-bit sums (257 × 255 = 65535).</summary>
    public const int MaxFactor = 257;

    /// <summary>
    /// The reduced image, <c>ceil(width / factor)</c> × <c>ceil(height / factor)</c> (edge blocks average the
    /// pixels they have), in <paramref name="source"/>'s colour type (4 bytes per pixel), alpha type and space.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static SKBitmap Reduce(SKBitmap source, int factor)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(factor, 2);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(factor, MaxFactor);
        var width = source.Width;
        var height = source.Height;
        var rowBytes = width * 4;
        var sourceRowBytes = source.RowBytes;
        var outWidth = (width + factor - 1) / factor;
        var outHeight = (height + factor - 1) / factor;
        var reduced = new SKBitmap(source.Info.WithSize(outWidth, outHeight));
        var columnSums = new ushort[rowBytes];
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

                var line = output.Slice(outY * outRowBytes, outWidth * 4);
                SumBlocks(columnSums, factor, rows, line);
            }

            return reduced;
        }
        catch
        {
            reduced.Dispose();
            throw;
        }
    }

    // Adds each block's column sums (four channels of a pixel as one vector) and divides by the pixels in
    // the block. The division is a multiply by a rounded-up reciprocal: exact for every sum a block can reach
    // (see Reciprocal), and a few cycles instead of a hardware divide per sample.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void SumBlocks(ReadOnlySpan<ushort> columnSums, int factor, int rows, Span<byte> line)
    {
        var width = columnSums.Length / 4;
        var outWidth = line.Length / 4;
        var fullReciprocal = Reciprocal((uint)(factor * rows));
        ref var sums = ref MemoryMarshal.GetReference(columnSums);
        for (var ox = 0; ox < outWidth; ox++)
        {
            var start = ox * factor;
            var columns = Math.Min(factor, width - start);
            var total = Vector128<uint>.Zero;
            for (var c = 0; c < columns; c++)
            {
                var pixel = Unsafe.ReadUnaligned<ulong>(ref Unsafe.As<ushort, byte>(ref Unsafe.Add(ref sums, (start + c) * 4)));
                total += Vector128.WidenLower(Vector128.CreateScalarUnsafe(pixel).AsUInt16());
            }

            var count = (uint)(columns * rows);
            var reciprocal = columns == factor ? fullReciprocal : Reciprocal(count);
            var half = count / 2;
            for (var ch = 0; ch < 4; ch++)
            {
                line[(ox * 4) + ch] = (byte)(((total.GetElement(ch) + half) * reciprocal) >> ReciprocalShift);
            }
        }
    }

    // floor(n × ceil(2^s / d) / 2^s) = floor(n / d) whenever 2^s ≥ n × d; here n ≤ 256 × d and d ≤ 257², so
    // 2^42 covers every block, and n × the reciprocal stays under 2^51.
    private const int ReciprocalShift = 42;

    private static ulong Reciprocal(uint count) => ((1UL << ReciprocalShift) + count - 1) / count;

    // Widened vector adds of 16-bit column sums (see MaxFactor) keep this near memory speed.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
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
