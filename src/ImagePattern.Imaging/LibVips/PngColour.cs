using System.Buffers.Binary;
using NetVips;

namespace ImagePattern.Imaging.LibVips;

/// <summary>
/// The colour a PNG states with <c>gAMA</c> and <c>cHRM</c> chunks but no ICC profile, applied the way the SkiaSharp
/// engine and browsers apply it. libvips' PNG loader ignores both chunks unless a profile is present, so without this
/// a PNG saved with gamma 1.0 (linear samples) came out far darker on the libvips engine than anywhere else.
/// </summary>
/// <remarks>
/// Decoding follows Skia's PNG codec: gAMA <c>g</c> makes the transfer function <c>v^(1/g)</c>; without gAMA (cHRM
/// alone) it is the sRGB curve; cHRM's primaries and white point, adapted to D50 with the Bradford transform, give
/// the conversion to sRGB's primaries. An <c>sRGB</c> or <c>iCCP</c> chunk outranks both (PNG specification,
/// 11.3.3.5), so such files are left alone. Only chunks before the first <c>IDAT</c> count.
/// </remarks>
/// <param name="Gamma">The file gamma from gAMA (e.g. 0.45455), or null when only cHRM is present.</param>
/// <param name="ToSrgb">Linear file RGB to linear sRGB (row-major 3 × 3), or null when the primaries are sRGB's.</param>
internal sealed record PngColour(double? Gamma, double[,]? ToSrgb)
{
    // sRGB's primaries and D65 white point, as x, y chromaticities (white, red, green, blue).
    private static readonly double[] SrgbChromaticities = [0.3127, 0.3290, 0.64, 0.33, 0.30, 0.60, 0.15, 0.06];

    /// <summary>The stated colour of a PNG, or null when it has none that libvips would miss.</summary>
    public static PngColour? Read(ReadOnlySpan<byte> png)
    {
        double? gamma = null;
        double[]? chromaticities = null;
        var position = 8;
        while (position + 12 <= png.Length)
        {
            var size = BinaryPrimitives.ReadUInt32BigEndian(png[position..]);
            if (size > (uint)(png.Length - position - 12))
            {
                break;
            }

            var type = png.Slice(position + 4, 4);
            var data = png.Slice(position + 8, (int)size);
            if (type.SequenceEqual("IDAT"u8))
            {
                break;
            }

            if (type.SequenceEqual("sRGB"u8) || type.SequenceEqual("iCCP"u8))
            {
                return null;
            }

            if (type.SequenceEqual("gAMA"u8) && size == 4 && BinaryPrimitives.ReadUInt32BigEndian(data) is > 0 and var fixedGamma)
            {
                gamma = fixedGamma / 100_000.0;
            }
            else if (type.SequenceEqual("cHRM"u8) && size == 32)
            {
                chromaticities = new double[8];
                for (var i = 0; i < 8; i++)
                {
                    chromaticities[i] = BinaryPrimitives.ReadUInt32BigEndian(data[(i * 4)..]) / 100_000.0;
                }
            }

            position += 12 + (int)size;
        }

        var toSrgb = chromaticities is null ? null : Conversion(chromaticities);
        return gamma is null && toSrgb is null ? null : new PngColour(gamma, toSrgb);
    }

    /// <summary>
    /// <paramref name="image"/> (8 or 16 bits, grey or RGB, with or without alpha) converted to 8-bit sRGB, or
    /// <paramref name="image"/> itself when <paramref name="colour"/> is null. A new image disposes its input.
    /// </summary>
    public static Image Apply(Image image, PngColour? colour)
    {
        if (colour is null)
        {
            return image;
        }

        using (image)
        {
            return colour.Convert(image);
        }
    }

    private Image Convert(Image image)
    {
        var wide = image.Format != Enums.BandFormat.Uchar;
        var colourBands = image.HasAlpha() ? image.Bands - 1 : image.Bands;
        using var colour = image.ExtractBand(0, n: colourBands);
        using var decode = DecodeTable(wide ? 65536 : 256);
        using var linear = colour.Maplut(decode);
        using var rgb = ToSrgb is not null && colourBands == 1 ? linear.Bandjoin(linear, linear) : linear.Copy();
        using var matrix = ToSrgb is null ? null : Image.NewFromArray(ToSrgb);
        using var converted = matrix is null ? rgb.Copy() : rgb.Recomb(matrix);
        // Linear light quantised to 16 bits, then the sRGB curve by table: fine enough for 8-bit output.
        using var quantised = converted.Linear([65535], [0.5]).Cast(Enums.BandFormat.Ushort);
        using var encode = EncodeTable();
        using var encoded = quantised.Maplut(encode);
        var interpretation = encoded.Bands == 1 ? Enums.Interpretation.Bw : Enums.Interpretation.Srgb;
        if (colourBands == image.Bands)
        {
            return encoded.Copy(interpretation: interpretation);
        }

        using var alpha = image.ExtractBand(colourBands);
        using var alpha8 = wide ? alpha.Cast(Enums.BandFormat.Uchar, shift: true) : alpha.Copy();
        using var joined = encoded.Bandjoin(alpha8);
        return joined.Copy(interpretation: interpretation);
    }

    // Stored sample (0 … entries − 1) to linear light (0 … 1).
    private Image DecodeTable(int entries)
    {
        var table = new float[entries];
        for (var i = 0; i < entries; i++)
        {
            var v = i / (double)(entries - 1);
            table[i] = (float)(Gamma is { } g ? Math.Pow(v, 1 / g) : SrgbToLinear(v));
        }

        return Image.NewFromMemory(table, entries, 1, 1, Enums.BandFormat.Float);
    }

    // Linear light in 16 bits to 8-bit sRGB.
    private static Image EncodeTable()
    {
        var table = new byte[65536];
        for (var i = 0; i < table.Length; i++)
        {
            table[i] = (byte)Math.Round(255 * LinearToSrgb(i / 65535.0));
        }

        return Image.NewFromMemory(table, table.Length, 1, 1, Enums.BandFormat.Uchar);
    }

    private static double SrgbToLinear(double v) => v <= 0.04045 ? v / 12.92 : Math.Pow((v + 0.055) / 1.055, 2.4);

    private static double LinearToSrgb(double v) => v <= 0.0031308 ? v * 12.92 : (1.055 * Math.Pow(v, 1 / 2.4)) - 0.055;

    // File RGB -> XYZ (D50) -> sRGB, both sides adapted to D50 as ICC profiles are; null when it is (nearly) identity.
    private static double[,]? Conversion(double[] chromaticities)
    {
        if (ToXyzD50(chromaticities) is not { } file || ToXyzD50(SrgbChromaticities) is not { } srgb || Inverse(srgb) is not { } fromXyz)
        {
            return null;
        }

        var matrix = Multiply(fromXyz, file);
        var identity = true;
        for (var r = 0; r < 3; r++)
        {
            for (var c = 0; c < 3; c++)
            {
                identity &= Math.Abs(matrix[r, c] - (r == c ? 1 : 0)) < 1e-3;
            }
        }

        return identity ? null : matrix;
    }

    // RGB -> XYZ for the primaries and white point, then Bradford-adapted from that white to D50.
    private static double[,]? ToXyzD50(double[] xy)
    {
        var (wx, wy) = (xy[0], xy[1]);
        if (wy <= 0 || xy[3] <= 0 || xy[5] <= 0 || xy[7] <= 0)
        {
            return null;
        }

        double[,] primaries =
        {
            { xy[2] / xy[3], xy[4] / xy[5], xy[6] / xy[7] },
            { 1, 1, 1 },
            { (1 - xy[2] - xy[3]) / xy[3], (1 - xy[4] - xy[5]) / xy[5], (1 - xy[6] - xy[7]) / xy[7] },
        };
        if (Inverse(primaries) is not { } inverse)
        {
            return null;
        }

        double[] white = [wx / wy, 1, (1 - wx - wy) / wy];
        var scale = Apply(inverse, white);
        var toXyz = new double[3, 3];
        for (var r = 0; r < 3; r++)
        {
            for (var c = 0; c < 3; c++)
            {
                toXyz[r, c] = primaries[r, c] * scale[c];
            }
        }

        double[,] bradford = { { 0.8951, 0.2664, -0.1614 }, { -0.7502, 1.7135, 0.0367 }, { 0.0389, -0.0685, 1.0296 } };
        double[] d50 = [0.9642, 1, 0.8249];
        var source = Apply(bradford, white);
        var target = Apply(bradford, d50);
        var gains = new double[3, 3];
        for (var i = 0; i < 3; i++)
        {
            gains[i, i] = target[i] / source[i];
        }

        var adapt = Multiply(Inverse(bradford)!, Multiply(gains, bradford));
        return Multiply(adapt, toXyz);
    }

    private static double[] Apply(double[,] m, double[] v) =>
        [.. Enumerable.Range(0, 3).Select(r => (m[r, 0] * v[0]) + (m[r, 1] * v[1]) + (m[r, 2] * v[2]))];

    private static double[,] Multiply(double[,] a, double[,] b)
    {
        var product = new double[3, 3];
        for (var r = 0; r < 3; r++)
        {
            for (var c = 0; c < 3; c++)
            {
                product[r, c] = (a[r, 0] * b[0, c]) + (a[r, 1] * b[1, c]) + (a[r, 2] * b[2, c]);
            }
        }

        return product;
    }

    private static double[,]? Inverse(double[,] m)
    {
        var det = (m[0, 0] * ((m[1, 1] * m[2, 2]) - (m[1, 2] * m[2, 1])))
            - (m[0, 1] * ((m[1, 0] * m[2, 2]) - (m[1, 2] * m[2, 0])))
            + (m[0, 2] * ((m[1, 0] * m[2, 1]) - (m[1, 1] * m[2, 0])));
        if (Math.Abs(det) < 1e-12)
        {
            return null;
        }

        var inverse = new double[3, 3];
        for (var r = 0; r < 3; r++)
        {
            for (var c = 0; c < 3; c++)
            {
                // Cofactor of (c, r), divided by the determinant: the adjugate's entry.
                var (r1, r2) = ((c + 1) % 3, (c + 2) % 3);
                var (c1, c2) = ((r + 1) % 3, (r + 2) % 3);
                inverse[r, c] = ((m[r1, c1] * m[r2, c2]) - (m[r1, c2] * m[r2, c1])) / det;
            }
        }

        return inverse;
    }
}
