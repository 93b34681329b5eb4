using System.Runtime.CompilerServices;
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
        if (image.AlphaType == SKAlphaType.Premul && image.BytesPerPixel == 4)
        {
            OverWhite(image, flat);
        }
        else
        {
            using var canvas = new SKCanvas(flat);
            canvas.Clear(SKColors.White);
            using var pixels = SKImage.FromBitmap(image);
            canvas.DrawImage(pixels, 0, 0, new SKSamplingOptions(SKFilterMode.Nearest));
        }

        return WithoutProfile(flat, pixmap => pixmap.Encode(options));
    }

    // Premultiplied source-over onto opaque white is c + (255 - a) per colour channel, exact in bytes (c ≤ a),
    // and the same bytes Skia's canvas gives; done here because SkiaSharp draws even this through its SSE2 float
    // pipeline, about as costly as the encode itself. Alpha is the fourth byte in RGBA and BGRA alike.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void OverWhite(SKBitmap image, SKBitmap flat)
    {
        var input = image.GetPixelSpan();
        var output = flat.GetPixelSpan();
        var lineBytes = image.Width * 4;
        for (var y = 0; y < image.Height; y++)
        {
            var source = input.Slice(y * image.RowBytes, lineBytes);
            var target = output.Slice(y * flat.RowBytes, lineBytes);
            for (var i = 0; i < lineBytes; i += 4)
            {
                var clear = 255 - source[i + 3];
                target[i] = (byte)(source[i] + clear);
                target[i + 1] = (byte)(source[i + 1] + clear);
                target[i + 2] = (byte)(source[i + 2] + clear);
                target[i + 3] = 255;
            }
        }
    }

    private static SKData? WithoutProfile(SKBitmap image, Func<SKPixmap, SKData?> encode)
    {
        using var pixmap = image.PeekPixels();
        using var bare = pixmap.WithColorSpace(null!);
        return encode(bare);
    }
}
