using ImagePattern.Imaging.Skia;
using SkiaSharp;

namespace ImagePattern.Imaging.Tests.Skia;

public sealed class SkiaResamplerTests
{
    // Widths whose rows are not a whole number of vectors, so the scalar tails run as well as the vector loops.
    [Theory]
    [InlineData(101, 37, 33, 12)]
    [InlineData(300, 200, 205, 137)]
    [InlineData(64, 64, 63, 64)]
    [InlineData(9, 5, 1, 1)]
    public void Resize_RandomPixels_MatchesTheCubicComputedInDoubles(int width, int height, int targetWidth, int targetHeight)
    {
        using var source = RandomBitmap(width, height, SKAlphaType.Opaque, seed: width + height);

        using var resized = SkiaResampler.Resize(source, targetWidth, targetHeight);

        Assert.Equal((targetWidth, targetHeight), (resized.Width, resized.Height));
        var expected = Reference(source, targetWidth, targetHeight);
        var actual = resized.GetPixelSpan();
        var worst = 0;
        for (var i = 0; i < expected.Length; i++)
        {
            worst = Math.Max(worst, Math.Abs(actual[i] - expected[i]));
        }

        // Fixed-point weights and one rounding step may move a level by one, never more.
        Assert.InRange(worst, 0, 1);
    }

    [Fact]
    public void Resize_FlatColour_StaysExactlyFlat()
    {
        using var source = new SKBitmap(new SKImageInfo(301, 203, SKColorType.Rgba8888, SKAlphaType.Opaque));
        source.Erase(new SKColor(250, 3, 128));

        using var resized = SkiaResampler.Resize(source, 97, 65);

        Assert.All(resized.Pixels, pixel => Assert.Equal(new SKColor(250, 3, 128), pixel));
    }

    [Fact]
    public void Resize_PremultipliedHardEdges_KeepColourWithinAlpha()
    {
        // Half-transparent white against opaque black: beside each edge the cubic's negative lobe takes alpha from
        // the black side but no colour, which would leave colour above alpha.
        using var source = new SKBitmap(new SKImageInfo(120, 80, SKColorType.Rgba8888, SKAlphaType.Premul));
        var pixels = source.GetPixelSpan();
        for (var i = 0; i < pixels.Length; i += 4)
        {
            var white = (i / 4 % 120 / 7 % 2) == 0;
            pixels[i] = pixels[i + 1] = pixels[i + 2] = white ? (byte)128 : (byte)0;
            pixels[i + 3] = white ? (byte)128 : (byte)255;
        }

        using var resized = SkiaResampler.Resize(source, 50, 33);

        var output = resized.GetPixelSpan();
        for (var i = 0; i < output.Length; i += 4)
        {
            Assert.True(output[i] <= output[i + 3] && output[i + 1] <= output[i + 3] && output[i + 2] <= output[i + 3], $"pixel {i / 4}");
        }
    }

    [Fact]
    public void Resize_SameSize_CopiesThePixels()
    {
        using var source = RandomBitmap(33, 21, SKAlphaType.Opaque, seed: 5);

        using var resized = SkiaResampler.Resize(source, 33, 21);

        Assert.NotSame(source, resized);
        Assert.True(source.GetPixelSpan().SequenceEqual(resized.GetPixelSpan()));
    }

    private static SKBitmap RandomBitmap(int width, int height, SKAlphaType alpha, int seed)
    {
        var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, alpha));
        var pixels = bitmap.GetPixelSpan();
        new Random(seed).NextBytes(pixels);
        for (var i = 3; i < pixels.Length; i += 4)
        {
            pixels[i] = 255;
        }

        return bitmap;
    }

    // The same separable Catmull-Rom with its support widened by the ratio, in doubles, rounded once at the end.
    private static byte[] Reference(SKBitmap source, int targetWidth, int targetHeight)
    {
        var input = source.GetPixelSpan().ToArray();
        var columns = Weights(source.Width, targetWidth);
        var rows = Weights(source.Height, targetHeight);
        var output = new byte[targetWidth * targetHeight * 4];
        for (var y = 0; y < targetHeight; y++)
        {
            for (var x = 0; x < targetWidth; x++)
            {
                for (var c = 0; c < 4; c++)
                {
                    var sum = 0.0;
                    foreach (var (row, rowWeight) in rows[y])
                    {
                        foreach (var (column, columnWeight) in columns[x])
                        {
                            sum += input[(((row * source.Width) + column) * 4) + c] * rowWeight * columnWeight;
                        }
                    }

                    output[(((y * targetWidth) + x) * 4) + c] = (byte)Math.Clamp(Math.Round(sum), 0, 255);
                }
            }
        }

        return output;
    }

    private static List<(int Index, double Weight)>[] Weights(int sourceLength, int targetLength)
    {
        var scale = (double)sourceLength / targetLength;
        var stretch = Math.Max(scale, 1);
        var result = new List<(int, double)>[targetLength];
        for (var x = 0; x < targetLength; x++)
        {
            var centre = (x + 0.5) * scale;
            var taps = new List<(int Index, double Weight)>();
            for (var i = 0; i < sourceLength; i++)
            {
                var weight = CatmullRom((i + 0.5 - centre) / stretch);
                if (weight != 0)
                {
                    taps.Add((i, weight));
                }
            }

            var total = taps.Sum(tap => tap.Weight);
            result[x] = [.. taps.Select(tap => (tap.Index, tap.Weight / total))];
        }

        return result;
    }

    private static double CatmullRom(double x)
    {
        x = Math.Abs(x);
        return x < 1 ? (1.5 * x * x * x) - (2.5 * x * x) + 1
            : x < 2 ? (-0.5 * x * x * x) + (2.5 * x * x) - (4 * x) + 2
            : 0;
    }
}
