using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using SkiaSharp;

namespace ImagePattern.Imaging.Skia;

/// <summary>Shrinks a bitmap to an exact size with little aliasing and little blur.</summary>
/// <remarks>
/// <para>
/// A separable Catmull-Rom cubic (Keys' a = −1/2, the bicubic of Pillow's thumbnails) whose support widens with
/// the reduction ratio, so every source pixel under an output pixel counts whatever the ratio. It was chosen over
/// Mitchell–Netravali (B = C = 1/3) by the bench's quality check: at widened support Mitchell blurs enough to
/// fall about 0.35 dB below Catmull-Rom against the full-decode Lanczos reference (and to the edge of the
/// 0.5 dB bound), while Catmull-Rom's ringing stays slight at these ratios.
/// </para>
/// <para>
/// It is done here rather than with <see cref="SKBitmap.ScalePixels(SKBitmap, SKSamplingOptions)"/>: Skia's
/// cubic samples a fixed 4×4 neighbourhood whatever the ratio (so a large step aliases, and needed a chain of
/// halvings before it), and SkiaSharp's native build runs it in the SSE2 float pipeline: profiled on a 24 MP
/// JPEG → 512 px thumbnail, that one step (750×500 → 512×341) cost an eighth of the whole. Two fixed-point
/// passes here take well under half of that.
/// </para>
/// <para>
/// Pixels are 4 bytes of any order (RGBA or BGRA); alpha, when present, is premultiplied, so colour is
/// weighted by coverage, and the negative lobes' overshoot is clamped to 0–255 and colour to at most alpha.
/// </para>
/// </remarks>
internal static class SkiaResampler
{
    // Weights are fixed point with this many fraction bits: 255 × 2^14 × the kernel's overshoot stays far inside
    // an int, and the weights' rounding moves a level by less than a tenth.
    private const int Precision = 14;
    private const int One = 1 << Precision;

    // Fraction bits the intermediate row keeps beyond a whole level: 255 × 2^6 × the cubic's largest gain (1.25)
    // still fits a short, and the second pass's products and sums an int.
    private const int Carry = 6;

    // The cubic is zero from |x| = 2 on.
    private const double Support = 2;

    /// <summary>A new bitmap of exactly <paramref name="width"/> × <paramref name="height"/>; the source is left alone.</summary>
    /// <exception cref="SkiaDecodeException">the source is not 4 bytes per pixel.</exception>
    public static SKBitmap Resize(SKBitmap source, int width, int height)
    {
        if (source.BytesPerPixel != 4)
        {
            throw new SkiaDecodeException($"cannot resample {source.ColorType} pixels");
        }

        var target = new SKBitmap(source.Info.WithSize(width, height));
        try
        {
            if (source.Width == width && source.Height == height)
            {
                source.GetPixelSpan().CopyTo(target.GetPixelSpan());
                return target;
            }

            Resample(source, target);
            return target;
        }
        catch
        {
            target.Dispose();
            throw;
        }
    }

    private static void Resample(SKBitmap source, SKBitmap target)
    {
        var columns = Filter.For(source.Width, target.Width);
        var rows = Filter.For(source.Height, target.Height);
        var premultiplied = source.AlphaType == SKAlphaType.Premul;
        var rowBytes = source.Width * 4;

        // Rows first, at the source width, then columns, one output row at a time: both orders cost the same
        // number of taps, and this one runs the row pass over whole rows of bytes with wide vectors and keeps
        // the intermediate to one row, which stays in cache. The intermediate keeps Carry more bits than a byte
        // in 16 bits and is not clamped, so the second pass rounds once, and reads a pixel's four channels (or two
        // neighbours' eight) as one vector. One zero pixel past the end lets a pair of taps start on the last pixel.
        var middle = ArrayPool<short>.Shared.Rent(rowBytes + 4);
        try
        {
            var input = source.GetPixelSpan();
            var output = target.GetPixelSpan();
            var line = middle.AsSpan(0, rowBytes + 4);
            line[rowBytes..].Clear();
            for (var y = 0; y < target.Height; y++)
            {
                ResampleRows(input, source.RowBytes, rows.First[y], rows.WeightsOf(y), line[..rowBytes]);
                var destination = output.Slice(y * target.RowBytes, target.Width * 4);
                ResampleColumns(line, columns, destination);
                if (premultiplied)
                {
                    ClampToAlpha(destination);
                }
            }
        }
        finally
        {
            ArrayPool<short>.Shared.Return(middle);
        }
    }

    // One output row as the weighted sum of the source rows under it, a vector of bytes at a time with the
    // sums kept in registers across the taps.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ResampleRows(ReadOnlySpan<byte> input, int sourceRowBytes, int first, ReadOnlySpan<int> weights, Span<short> destination)
    {
        var rowBytes = destination.Length;
        // Every row read lies inside the source, the last one included, so each load below stays in bounds.
        if ((long)(first + weights.Length - 1) * sourceRowBytes + rowBytes > input.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(first), "the filter reads past the source");
        }

        ref var source = ref MemoryMarshal.GetReference(input);
        ref var target = ref MemoryMarshal.GetReference(destination);
        const int shift = Precision - Carry;
        var bias = new Vector<int>(1 << (shift - 1));
        var lanes = Vector<short>.Count;
        var i = 0;
        for (; i + Vector<byte>.Count <= rowBytes; i += Vector<byte>.Count)
        {
            var (s0, s1, s2, s3) = (bias, bias, bias, bias);
            for (var k = 0; k < weights.Length; k++)
            {
                var bytes = Vector.LoadUnsafe(ref source, (nuint)(((first + k) * sourceRowBytes) + i));
                Vector.Widen(bytes, out var low, out var high);
                Vector.Widen(low, out var a, out var b);
                Vector.Widen(high, out var c, out var d);
                var w = new Vector<int>(weights[k]);
                s0 += Vector.AsVectorInt32(a) * w;
                s1 += Vector.AsVectorInt32(b) * w;
                s2 += Vector.AsVectorInt32(c) * w;
                s3 += Vector.AsVectorInt32(d) * w;
            }

            // In range by construction (see Carry), so narrowing drops only zero or sign bits.
            Vector.Narrow(Vector.ShiftRightArithmetic(s0, shift), Vector.ShiftRightArithmetic(s1, shift)).StoreUnsafe(ref target, (nuint)i);
            Vector.Narrow(Vector.ShiftRightArithmetic(s2, shift), Vector.ShiftRightArithmetic(s3, shift)).StoreUnsafe(ref target, (nuint)(i + lanes));
        }

        for (; i < rowBytes; i++)
        {
            var sum = 1 << (shift - 1);
            for (var k = 0; k < weights.Length; k++)
            {
                sum += input[((first + k) * sourceRowBytes) + i] * weights[k];
            }

            destination[i] = (short)(sum >> shift);
        }
    }

    // One output row's pixels as weighted sums of the pixels beside them, the four channels of a pixel at once.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ResampleColumns(ReadOnlySpan<short> row, Filter columns, Span<byte> destination)
    {
        // Filter.For keeps every tap inside the source row (a pair's second tap may be the zero pixel past it),
        // and the destination holds one pixel per filter position.
        if ((columns.SourceLength + 1) * 4 > row.Length || columns.First.Length * 4 > destination.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(row), "the row and the filter disagree in size");
        }

        const int shift = Precision + Carry;
        ref var pixels = ref MemoryMarshal.GetReference(row);
        ref var output = ref MemoryMarshal.GetReference(destination);
        var bias = Vector128.Create(1 << (shift - 1));
        var max = Vector128.Create(255);
        // Two neighbours' channels interleaved (r r g g b b a a) for a multiply-add of 16-bit pairs: half the
        // multiplies of one tap at a time, where they were the bottleneck.
        var interleave = Vector128.Create((byte)0, 1, 8, 9, 2, 3, 10, 11, 4, 5, 12, 13, 6, 7, 14, 15);
        for (var x = 0; x < columns.First.Length; x++)
        {
            var first = columns.First[x];
            var sum = bias;
            if (Ssse3.IsSupported)
            {
                var pairs = columns.PairsOf(x);
                for (var j = 0; j < pairs.Length; j++)
                {
                    var two = Vector128.LoadUnsafe(ref pixels, (nuint)((first + (2 * j)) * 4)).AsByte();
                    sum += Sse2.MultiplyAddAdjacent(Ssse3.Shuffle(two, interleave).AsInt16(), Vector128.Create(pairs[j]).AsInt16());
                }
            }
            else
            {
                var weights = columns.WeightsOf(x);
                for (var k = 0; k < weights.Length; k++)
                {
                    var pixel = Vector128.CreateScalarUnsafe(Unsafe.ReadUnaligned<long>(ref Unsafe.As<short, byte>(ref Unsafe.Add(ref pixels, (first + k) * 4)))).AsInt16();
                    sum += Vector128.WidenLower(pixel) * Vector128.Create(weights[k]);
                }
            }

            var level = Vector128.Min(Vector128.Max(Vector128.ShiftRightArithmetic(sum, shift), Vector128<int>.Zero), max);
            var bytes = Vector128.Narrow(Vector128.Narrow(level, level), Vector128<short>.Zero).AsUInt32();
            Unsafe.WriteUnaligned(ref Unsafe.Add(ref output, x * 4), bytes.ToScalar());
        }
    }

    // Premultiplied colour can not exceed its alpha; the cubic's overshoot can push it there at hard edges.
    // Alpha is the fourth byte in both RGBA and BGRA.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ClampToAlpha(Span<byte> line)
    {
        for (var i = 0; i < line.Length; i += 4)
        {
            var alpha = line[i + 3];
            line[i] = Math.Min(line[i], alpha);
            line[i + 1] = Math.Min(line[i + 1], alpha);
            line[i + 2] = Math.Min(line[i + 2], alpha);
        }
    }

    /// <summary>For each output position along one axis: the first source position it reads and its fixed-point weights.</summary>
    private sealed class Filter(int sourceLength, int[] first, int[] counts, int taps, int[] weights, int[] pairs)
    {
        /// <summary>Source positions along the axis; every tap lies below this.</summary>
        public int SourceLength { get; } = sourceLength;

        public int[] First { get; } = first;

        public ReadOnlySpan<int> WeightsOf(int position) => weights.AsSpan(position * taps, counts[position]);

        /// <summary>The weights two by two, each pair packed as two 16-bit halves (first tap low); an odd count's last pair ends in zero.</summary>
        public ReadOnlySpan<int> PairsOf(int position) => pairs.AsSpan(position * ((taps + 1) / 2), (counts[position] + 1) / 2);

        public static Filter For(int sourceLength, int targetLength)
        {
            var scale = (double)sourceLength / targetLength;
            // Shrinking stretches the kernel over the source so that it still low-passes at the target's rate.
            var stretch = Math.Max(scale, 1);
            var radius = Support * stretch;
            var taps = (int)Math.Ceiling(radius) * 2 + 1;
            var first = new int[targetLength];
            var counts = new int[targetLength];
            var weights = new int[targetLength * taps];
            var real = new double[taps];
            for (var x = 0; x < targetLength; x++)
            {
                var centre = (x + 0.5) * scale;
                // Only the source pixels whose centres (i + 0.5) fall inside the support: a tap more on each side
                // would weigh nothing and cost as much as any other.
                var start = Math.Max(0, (int)Math.Ceiling(centre - radius - 0.5));
                var end = Math.Min(sourceLength, (int)Math.Floor(centre + radius - 0.5) + 1);
                var count = Math.Min(end - start, taps);
                var total = 0.0;
                for (var k = 0; k < count; k++)
                {
                    real[k] = Cubic((start + k + 0.5 - centre) / stretch);
                    total += real[k];
                }

                // Normalised so that a flat area stays flat (the edges lose the taps that fall outside), and the
                // rounding remainder goes to the largest weight so the fixed-point weights sum to exactly one.
                var sum = 0;
                var largest = 0;
                for (var k = 0; k < count; k++)
                {
                    var w = (int)Math.Round(real[k] / total * One);
                    weights[(x * taps) + k] = w;
                    sum += w;
                    if (w > weights[(x * taps) + largest])
                    {
                        largest = k;
                    }
                }

                weights[(x * taps) + largest] += One - sum;
                first[x] = start;
                counts[x] = count;
            }

            var pairTaps = (taps + 1) / 2;
            var pairs = new int[targetLength * pairTaps];
            for (var x = 0; x < targetLength; x++)
            {
                for (var k = 0; k < counts[x]; k += 2)
                {
                    var low = weights[(x * taps) + k];
                    var high = k + 1 < counts[x] ? weights[(x * taps) + k + 1] : 0;
                    pairs[(x * pairTaps) + (k / 2)] = (low & 0xFFFF) | (high << 16);
                }
            }

            return new Filter(sourceLength, first, counts, taps, weights, pairs);
        }

        // Keys' cubic convolution with a = -1/2 (Catmull-Rom).
        private static double Cubic(double x)
        {
            x = Math.Abs(x);
            if (x < 1)
            {
                return (((1.5 * x) - 2.5) * x * x) + 1;
            }

            if (x < 2)
            {
                return (((((-0.5 * x) + 2.5) * x) - 4) * x) + 2;
            }

            return 0;
        }
    }
}

/// <summary>A decode or pixel operation that failed inside SkiaSharp; the image is treated as corrupt.</summary>
internal sealed class SkiaDecodeException(string message) : Exception(message);
