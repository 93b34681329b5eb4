using SkiaSharp;

namespace ImagePattern.Imaging.Skia;

/// <summary>
/// Encodes a finished thumbnail: 8 bits per sample, no metadata (no EXIF, no ICC profile: the pixels are already sRGB,
/// which viewers assume). Settings follow sharp's defaults where SkiaSharp has them (JPEG 4:2:0, PNG zlib level 6).
/// </summary>
internal static class SkiaEncoder
{
    /// <summary>Encodes <paramref name="image"/> as <paramref name="format"/>; JPEG needs an opaque image (see <see cref="SkiaScaler"/>).</summary>
    /// <exception cref="SkiaDecodeException">Skia's encoder failed.</exception>
    public static byte[] Encode(SKBitmap image, OutputFormat format, int quality)
    {
        if (format == OutputFormat.Jpeg && image.AlphaType != SKAlphaType.Opaque)
        {
            throw new ArgumentException("JPEG is encoded from an opaque image: flatten it first", nameof(image));
        }

        using var pixmap = image.PeekPixels();
        using var bare = pixmap.WithColorSpace(null!);
        using var data = format switch
        {
            OutputFormat.Jpeg => bare.Encode(new SKJpegEncoderOptions(quality, SKJpegEncoderDownsample.Downsample420, SKJpegEncoderAlphaOption.Ignore)),
            OutputFormat.Webp => bare.Encode(new SKWebpEncoderOptions(SKWebpEncoderCompression.Lossy, quality)),
            OutputFormat.Png => bare.Encode(new SKPngEncoderOptions(SKPngEncoderFilterFlags.AllFilters, 6)),
            _ => throw new ArgumentOutOfRangeException(nameof(format), format, "SkiaSharp writes WebP, JPEG and PNG"),
        };
        return data?.ToArray() ?? throw new SkiaDecodeException($"encoding {format} failed");
    }
}
