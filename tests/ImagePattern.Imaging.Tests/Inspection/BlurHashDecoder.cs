namespace ImagePattern.Imaging.Tests.Inspection;

/// <summary>
/// A BlurHash decoder written from the format's public description, only to check what the encoder's strings
/// mean: the size flag, the maximum AC value, the DC term as sRGB and each AC term from 19 levels per channel.
/// </summary>
internal static class BlurHashDecoder
{
    private const string Digits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz#$%*+,-.:;=?@[]^_{|}~";

    public static DecodedPicture Decode(string hash, int width, int height)
    {
        var size = Value(hash[..1]);
        var cx = (size % 9) + 1;
        var cy = (size / 9) + 1;
        Assert.Equal(4 + (2 * cx * cy), hash.Length);
        var maximum = (Value(hash[1..2]) + 1) / 166.0;
        var colours = new double[cx * cy][];
        var dc = Value(hash[2..6]);
        colours[0] = [ToLinear(dc >> 16), ToLinear((dc >> 8) & 255), ToLinear(dc & 255)];
        for (var i = 1; i < colours.Length; i++)
        {
            var ac = Value(hash.Substring(4 + (i * 2), 2));
            colours[i] = [Level(ac / 361, maximum), Level(ac / 19 % 19, maximum), Level(ac % 19, maximum)];
        }

        var pixels = new (int R, int G, int B)[width * height];
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                double r = 0, g = 0, b = 0;
                for (var j = 0; j < cy; j++)
                {
                    for (var i = 0; i < cx; i++)
                    {
                        var basis = Math.Cos(Math.PI * x * i / width) * Math.Cos(Math.PI * y * j / height);
                        var c = colours[(j * cx) + i];
                        r += c[0] * basis;
                        g += c[1] * basis;
                        b += c[2] * basis;
                    }
                }

                pixels[(y * width) + x] = (ToSrgb(r), ToSrgb(g), ToSrgb(b));
            }
        }

        return new DecodedPicture(pixels, width);
    }

    private static int Value(string digits) => digits.Aggregate(0, (v, c) => (v * 83) + Digits.IndexOf(c, StringComparison.Ordinal));

    private static double Level(int quantised, double maximum)
    {
        var v = (quantised - 9) / 9.0;
        return Math.CopySign(v * v, v) * maximum;
    }

    private static double ToLinear(int value)
    {
        var v = value / 255.0;
        return v <= 0.04045 ? v / 12.92 : Math.Pow((v + 0.055) / 1.055, 2.4);
    }

    private static int ToSrgb(double value)
    {
        var v = Math.Clamp(value, 0, 1);
        return (int)Math.Round(v <= 0.0031308 ? v * 12.92 * 255 : ((1.055 * Math.Pow(v, 1 / 2.4)) - 0.055) * 255);
    }
}

/// <summary>Decoded pixels, sRGB.</summary>
internal sealed record DecodedPicture((int R, int G, int B)[] Pixels, int Width)
{
    public (double R, double G, double B) Mean(int x0, int y0, int x1, int y1)
    {
        double r = 0, g = 0, b = 0;
        var n = 0;
        for (var y = y0; y < y1; y++)
        {
            for (var x = x0; x < x1; x++)
            {
                var p = Pixels[(y * Width) + x];
                r += p.R;
                g += p.G;
                b += p.B;
                n++;
            }
        }

        return (r / n, g / n, b / n);
    }

    /// <summary>Mean absolute difference per channel against another decode of the same size.</summary>
    public double DistanceTo(DecodedPicture other) =>
        Pixels.Zip(other.Pixels, (a, b) => (Math.Abs(a.R - b.R) + Math.Abs(a.G - b.G) + Math.Abs(a.B - b.B)) / 3.0).Average();
}
