using ImagePattern.Imaging.Inspection;

namespace ImagePattern.Imaging.Tests.Inspection;

public sealed class BlurHashTests
{
    private delegate (int R, int G, int B) Pattern(int x, int y);

    // Expected strings: the reference TypeScript encoder (npm `blurhash` 2.0.5, by the format's authors) run on the
    // same formula-made pixels. Where its maximum-AC step takes the largest signed value rather than the largest
    // magnitude (the C reference takes magnitudes, and so do we), the two can differ; these inputs are ones where
    // they agree.
    [Theory]
    [InlineData("portrait", 20, 30, 3, 4, "T:HUCom[Z-naaif%fCSgbGfnjuWW")]
    [InlineData("onepixel", 1, 1, 1, 1, "001JlB")]
    [InlineData("fade", 32, 24, 4, 3, "L;Hx}{|_$5xGq8odjtkAgcfjfQfj")]
    [InlineData("dark", 24, 16, 5, 2, "D01Vb$BRfQbZWprIWWfQf7a|")]
    public void Encode_KnownPixels_MatchesTheReferenceEncoder(string name, int width, int height, int cx, int cy, string expected)
    {
        Assert.Equal(expected, BlurHash.Encode(Make(width, height, PatternOf(name)), width, height, cx, cy));
    }

    [Fact]
    public void Encode_Length_IsFourPlusTwoPerComponent()
    {
        var pixels = Make(10, 10, PatternOf("gradient"));
        for (var cx = 1; cx <= 9; cx++)
        {
            for (var cy = 1; cy <= 9; cy++)
            {
                Assert.Equal(4 + (2 * cx * cy), BlurHash.Encode(pixels, 10, 10, cx, cy).Length);
            }
        }
    }

    [Fact]
    public void Decode_OfAHorizontalSplit_KeepsLeftAndRightColours()
    {
        var pixels = Make(40, 20, (x, _) => x < 20 ? (220, 30, 30) : (30, 30, 220));

        var decoded = BlurHashDecoder.Decode(BlurHash.Encode(pixels, 40, 20, 4, 3), 40, 20);

        var left = decoded.Mean(0, 0, 10, 20);
        var right = decoded.Mean(30, 0, 40, 20);
        Assert.True(left.R > left.B + 100, $"left should be red, got {left}");
        Assert.True(right.B > right.R + 100, $"right should be blue, got {right}");
    }

    [Fact]
    public void Decode_OfAnyPicture_HasTheMeanColourAsItsDcTerm()
    {
        // The DC term is the mean in linear light; a solid picture's mean is its colour.
        var pixels = Make(16, 12, (_, _) => (90, 160, 40));

        var decoded = BlurHashDecoder.Decode(BlurHash.Encode(pixels, 16, 12, 4, 3), 16, 12);

        var mean = decoded.Mean(0, 0, 16, 12);
        Assert.InRange(mean.R, 80, 100);
        Assert.InRange(mean.G, 150, 170);
        Assert.InRange(mean.B, 30, 50);
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(1, 10)]
    [InlineData(1, 0)]
    [InlineData(10, 1)]
    public void Encode_ComponentsOutOfRange_Throws(int cx, int cy)
    {
        Assert.Throws<ArgumentException>(() => BlurHash.Encode(new byte[4], 1, 1, cx, cy));
    }

    [Fact]
    public void Encode_WrongBufferLength_Throws()
    {
        Assert.Throws<ArgumentException>(() => BlurHash.Encode(new byte[15], 2, 2, 1, 1));
    }

    private static Pattern PatternOf(string name) => name switch
    {
        "gradient" => (x, y) => (x * 8, y * 10, x * y % 256),
        "portrait" => (x, y) => (((x * 37) + (y * 11)) % 256, ((x * x) + (y * 3)) % 256, 255 - (y * 8)),
        "onepixel" => (_, _) => (10, 200, 30),
        "checker" => (x, y) => ((x >> 2) + (y >> 2)) % 2 == 1 ? (255, 255, 255) : (0, 0, 0),
        "dark" => (x, y) => (x, y, 0),
        "fade" => (x, y) => (255 - (x * 8), 255 - (y * 10), 128),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    private static byte[] Make(int width, int height, Pattern pattern)
    {
        var rgba = new byte[width * height * 4];
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                var (r, g, b) = pattern(x, y);
                var at = ((y * width) + x) * 4;
                rgba[at] = (byte)r;
                rgba[at + 1] = (byte)g;
                rgba[at + 2] = (byte)b;
                rgba[at + 3] = 255;
            }
        }

        return rgba;
    }
}
