using System.Text;

namespace ImagePattern.Imaging.Inspection;

/// <summary>
/// BlurHash encoder (the format published by Wolt, written here from its public algorithm description): a DCT-like
/// sum of cosine components over linear-light RGB, the DC term as 24-bit sRGB and each AC term quantised to
/// 19 levels per channel, all in base 83. No BlurHash package is served to this project, hence our own.
/// </summary>
public static class BlurHash
{
    private const string Digits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz#$%*+,-.:;=?@[]^_{|}~";

    /// <summary>
    /// Encodes an 8-bit sRGB picture given as RGBA rows (4 bytes a pixel, alpha ignored, no row padding).
    /// </summary>
    /// <param name="rgba">width × height × 4 bytes.</param>
    /// <param name="width">Pixels per row, ≥ 1.</param>
    /// <param name="height">Rows, ≥ 1.</param>
    /// <param name="componentsX">Horizontal components, 1–9.</param>
    /// <param name="componentsY">Vertical components, 1–9.</param>
    /// <returns>A string of 4 + 2 × componentsX × componentsY characters.</returns>
    /// <exception cref="ArgumentException">Sizes or component counts out of range.</exception>
    public static string Encode(ReadOnlySpan<byte> rgba, int width, int height, int componentsX, int componentsY)
    {
        Validate(width, height, componentsX, componentsY);
        if (rgba.Length != checked(width * height * 4))
        {
            throw new ArgumentException($"expected {width * height * 4} bytes for {width}x{height} RGBA, got {rgba.Length}", nameof(rgba));
        }

        var linear = new double[width * height * 3];
        for (var i = 0; i < width * height; i++)
        {
            linear[(i * 3) + 0] = Srgb.ToLinear(rgba[(i * 4) + 0]);
            linear[(i * 3) + 1] = Srgb.ToLinear(rgba[(i * 4) + 1]);
            linear[(i * 3) + 2] = Srgb.ToLinear(rgba[(i * 4) + 2]);
        }

        return EncodeLinear(linear, width, height, componentsX, componentsY);
    }

    /// <summary>Encodes a picture already in linear light: width × height × 3 values (R, G, B) in 0–1.</summary>
    /// <inheritdoc cref="Encode" path="/param[@name='width']"/>
    /// <exception cref="ArgumentException">Sizes or component counts out of range.</exception>
    public static string EncodeLinear(ReadOnlySpan<double> linearRgb, int width, int height, int componentsX, int componentsY)
    {
        Validate(width, height, componentsX, componentsY);
        if (linearRgb.Length != checked(width * height * 3))
        {
            throw new ArgumentException($"expected {width * height * 3} values for {width}x{height} RGB, got {linearRgb.Length}", nameof(linearRgb));
        }

        var factors = new double[componentsX * componentsY * 3];
        var cosX = new double[width];
        var cosY = new double[height];
        for (var j = 0; j < componentsY; j++)
        {
            for (var i = 0; i < componentsX; i++)
            {
                for (var x = 0; x < width; x++)
                {
                    cosX[x] = Math.Cos(Math.PI * i * x / width);
                }

                for (var y = 0; y < height; y++)
                {
                    cosY[y] = Math.Cos(Math.PI * j * y / height);
                }

                double r = 0, g = 0, b = 0;
                for (var y = 0; y < height; y++)
                {
                    for (var x = 0; x < width; x++)
                    {
                        var basis = cosX[x] * cosY[y];
                        var at = ((y * width) + x) * 3;
                        r += basis * linearRgb[at];
                        g += basis * linearRgb[at + 1];
                        b += basis * linearRgb[at + 2];
                    }
                }

                var scale = (i == 0 && j == 0 ? 1.0 : 2.0) / (width * height);
                var f = ((j * componentsX) + i) * 3;
                factors[f] = r * scale;
                factors[f + 1] = g * scale;
                factors[f + 2] = b * scale;
            }
        }

        var hash = new StringBuilder(4 + (2 * componentsX * componentsY));
        Append83(hash, (componentsX - 1) + ((componentsY - 1) * 9), 1);

        double maximum;
        if (factors.Length > 3)
        {
            var actual = 0.0;
            for (var k = 3; k < factors.Length; k++)
            {
                actual = Math.Max(actual, Math.Abs(factors[k]));
            }

            var quantised = (int)Math.Max(0, Math.Min(82, Math.Floor((actual * 166) - 0.5)));
            maximum = (quantised + 1) / 166.0;
            Append83(hash, quantised, 1);
        }
        else
        {
            maximum = 1;
            Append83(hash, 0, 1);
        }

        Append83(hash, (Srgb.FromLinear(factors[0]) << 16) + (Srgb.FromLinear(factors[1]) << 8) + Srgb.FromLinear(factors[2]), 4);
        for (var k = 3; k < factors.Length; k += 3)
        {
            var value = (QuantiseAc(factors[k], maximum) * 19 * 19) + (QuantiseAc(factors[k + 1], maximum) * 19) + QuantiseAc(factors[k + 2], maximum);
            Append83(hash, value, 2);
        }

        return hash.ToString();
    }

    private static int QuantiseAc(double value, double maximum)
    {
        var signedRoot = Math.CopySign(Math.Sqrt(Math.Abs(value / maximum)), value);
        return (int)Math.Max(0, Math.Min(18, Math.Floor((signedRoot * 9) + 9.5)));
    }

    private static void Append83(StringBuilder hash, int value, int length)
    {
        for (var i = 1; i <= length; i++)
        {
            var divisor = 1;
            for (var p = 0; p < length - i; p++)
            {
                divisor *= 83;
            }

            hash.Append(Digits[value / divisor % 83]);
        }
    }

    private static void Validate(int width, int height, int componentsX, int componentsY)
    {
        if (width < 1 || height < 1)
        {
            throw new ArgumentException($"picture must be at least 1x1, got {width}x{height}");
        }

        if (componentsX is < 1 or > 9 || componentsY is < 1 or > 9)
        {
            throw new ArgumentException($"components must be 1-9 each, got {componentsX}x{componentsY}");
        }
    }
}

/// <summary>The sRGB transfer function (IEC 61966-2-1) in both directions.</summary>
internal static class Srgb
{
    private static readonly double[] Linear = BuildTable();

    /// <summary>8-bit sRGB to linear light 0–1.</summary>
    public static double ToLinear(byte value) => Linear[value];

    /// <summary>Linear light (clamped to 0–1) to 8-bit sRGB, rounded half up.</summary>
    public static int FromLinear(double value)
    {
        var v = Math.Clamp(value, 0, 1);
        return v <= 0.0031308
            ? (int)((v * 12.92 * 255) + 0.5)
            : (int)((((1.055 * Math.Pow(v, 1 / 2.4)) - 0.055) * 255) + 0.5);
    }

    private static double[] BuildTable()
    {
        var table = new double[256];
        for (var i = 0; i < 256; i++)
        {
            var v = i / 255.0;
            table[i] = v <= 0.04045 ? v / 12.92 : Math.Pow((v + 0.055) / 1.055, 2.4);
        }

        return table;
    }
}
