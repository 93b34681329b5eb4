using ImagePattern.Imaging.LibVips;

namespace ImagePattern.Imaging;

/// <summary>
/// Encodes a finished thumbnail: 8 bits per sample, metadata stripped (<c>keep=none</c>), alpha kept
/// where the format has it and flattened onto white for JPEG. Encoder settings follow the common
/// defaults of sharp so sizes and quality compare like for like.
/// </summary>
internal static class ThumbnailEncoder
{
    private static readonly double[] White = [255];

    /// <summary>Encodes <paramref name="image"/> as <paramref name="format"/> (never <see cref="OutputFormat.Source"/>).</summary>
    public static byte[] Encode(VipsImage image, OutputFormat format, int quality)
    {
        using var eightBit = ToEightBit(image);
        return format switch
        {
            OutputFormat.Jpeg => EncodeJpeg(eightBit, quality),
            OutputFormat.Webp => Save("webpsave_buffer", eightBit, op => op.Set("Q", quality)),
            OutputFormat.Png => Save("pngsave_buffer", eightBit, op => op.Set("compression", 6)),
            OutputFormat.Avif => Save(
                "heifsave_buffer",
                eightBit,
                op => op.Set("Q", quality).SetEnum("compression", "av1").Set("bitdepth", 8)),
            _ => throw new ArgumentOutOfRangeException(nameof(format), format, "a concrete output format is required"),
        };
    }

    private static byte[] EncodeJpeg(VipsImage image, int quality)
    {
        using var opaque = image.HasAlpha ? Flatten(image) : image.AddReference();
        // Huffman optimisation is lossless and cheap at thumbnail sizes. Chroma is always 4:2:0: libvips
        // would switch to 4:4:4 from q90, sharp and Pillow do not, and sizes should not jump at q90.
        return Save("jpegsave_buffer", opaque, op => op
            .Set("Q", quality)
            .Set("optimize-coding", true)
            .SetEnum("subsample-mode", "on"));
    }

    private static byte[] Save(string saver, VipsImage image, Action<VipsOperation> configure)
    {
        using var op = VipsOperation.Create(saver).Set("in", image).SetEnum("keep", "none");
        configure(op);
        return op.Build().GetBytes("buffer");
    }

    private static VipsImage Flatten(VipsImage image)
    {
        using var op = VipsOperation.Create("flatten").Set("in", image).Set("background", White);
        return op.Build().GetImage("out");
    }

    // 16-bit sources (PNG, TIFF) stay 16-bit through the thumbnail; thumbnails are 8-bit everywhere.
    private static VipsImage ToEightBit(VipsImage image)
    {
        if (image.BandFormat == VipsBandFormat.UChar)
        {
            return image.AddReference();
        }

        if (image.Interpretation is VipsInterpretation.Rgb16 or VipsInterpretation.Grey16)
        {
            var space = image.Interpretation == VipsInterpretation.Grey16 ? "b-w" : "srgb";
            using var convert = VipsOperation.Create("colourspace").Set("in", image).SetEnum("space", space);
            return convert.Build().GetImage("out");
        }

        // Integer formats wider than 8 bits keep their top byte; float data is clipped to 0–255.
        var shift = image.BandFormat is VipsBandFormat.UShort or VipsBandFormat.Short or VipsBandFormat.UInt or VipsBandFormat.Int;
        using var cast = VipsOperation.Create("cast").Set("in", image).SetEnum("format", "uchar").Set("shift", shift);
        return cast.Build().GetImage("out");
    }
}
