using SkiaSharp;

namespace ImagePattern.Imaging.Skia;

/// <summary>
/// Encodes a finished thumbnail: 8 bits per sample, no metadata (no EXIF, and no ICC profile: the pixels are
/// already sRGB, which viewers assume), alpha kept for WebP and PNG and flattened onto white for JPEG. Settings
/// follow sharp's defaults where SkiaSharp exposes them (JPEG 4:2:0 at every quality, PNG zlib level 6).
/// </summary>
internal static class SkiaEncoder
{
    /// <summary>Encodes <paramref name="image"/> as <paramref name="format"/>.</summary>
    public static byte[] Encode(SKBitmap image, OutputFormat format, int quality)
    {
        using var data = format switch
        {
            OutputFormat.Jpeg => EncodeJpeg(image, quality),
            OutputFormat.Webp => WithoutProfile(image, pixmap => pixmap.Encode(new SKWebpEncoderOptions(SKWebpEncoderCompression.Lossy, quality))),
            OutputFormat.Png => WithoutProfile(image, pixmap => pixmap.Encode(new SKPngEncoderOptions(SKPngEncoderFilterFlags.AllFilters, 6))),
            _ => throw new ArgumentOutOfRangeException(nameof(format), format, "SkiaSharp writes WebP, JPEG and PNG"),
        };
        return data?.ToArray() ?? throw new SkiaDecodeException($"encoding {format} failed");
    }

    private static SKData? EncodeJpeg(SKBitmap image, int quality)
    {
        var options = new SKJpegEncoderOptions(quality, SKJpegEncoderDownsample.Downsample420, SKJpegEncoderAlphaOption.Ignore);
        if (image.AlphaType == SKAlphaType.Opaque)
        {
            return WithoutProfile(image, pixmap => pixmap.Encode(options));
        }

        using var flat = new SKBitmap(image.Info.WithAlphaType(SKAlphaType.Opaque));
        using (var canvas = new SKCanvas(flat))
        {
            canvas.Clear(SKColors.White);
            using var pixels = SKImage.FromBitmap(image);
            canvas.DrawImage(pixels, 0, 0, new SKSamplingOptions(SKFilterMode.Nearest));
        }

        return WithoutProfile(flat, pixmap => pixmap.Encode(options));
    }

    private static SKData? WithoutProfile(SKBitmap image, Func<SKPixmap, SKData?> encode)
    {
        using var pixmap = image.PeekPixels();
        using var bare = pixmap.WithColorSpace(null!);
        return encode(bare);
    }
}
