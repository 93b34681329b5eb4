using SkiaSharp;

namespace ImagePattern.Imaging.Skia;

/// <summary>Decodes an open codec's first frame to premultiplied RGBA in sRGB, as small as the format allows.</summary>
internal static class SkiaDecoder
{
    private static readonly SKColorSpace Srgb = SKColorSpace.CreateSrgb();

    /// <summary>
    /// The pixels in the stored orientation, at least <paramref name="cover"/> on both axes: JPEG at the smallest
    /// DCT scale in eighths that covers it, WebP at a scale that covers it, PNG and GIF in full.
    /// </summary>
    /// <exception cref="SkiaDecodeException">the data is damaged or cut short, or too large to hold.</exception>
    public static SKBitmap Decode(SKCodec codec, ImageInfo info, (int Width, int Height) cover)
    {
        // Premultiplied so that scaling weights colour by coverage; sRGB so that an embedded profile (Display P3,
        // CMYK) is converted on decode, since thumbnails carry no profile.
        var alpha = info.HasAlpha ? SKAlphaType.Premul : SKAlphaType.Opaque;
        var size = info.Format is "jpeg" or "webp" ? SmallestScaleCovering(codec, info, cover) : new SKSizeI(info.Width, info.Height);
        var pixels = new SKImageInfo(size.Width, size.Height, SKColorType.Rgba8888, alpha, Srgb);
        // SkiaSharp throws a bare Exception when it cannot allocate; within the pixel budget that means the image is unusable.
        var bitmap = pixels.BytesSize64 <= int.MaxValue
            ? new SKBitmap(pixels)
            : throw new SkiaDecodeException($"cannot hold {size.Width}x{size.Height} decoded pixels ({pixels.BytesSize64} bytes): the image is not usable");
        try
        {
            // Frame 0: an animated GIF or WebP gives its first frame.
            var result = codec.GetPixels(bitmap.Info, bitmap.GetPixels(), bitmap.RowBytes, new SKCodecOptions(0));
            return result == SKCodecResult.Success ? bitmap : throw new SkiaDecodeException(Describe(result));
        }
        catch
        {
            bitmap.Dispose();
            throw;
        }
    }

    /// <summary>A one-line reason for a codec result other than success.</summary>
    public static string Describe(SKCodecResult result) => result switch
    {
        SKCodecResult.IncompleteInput => "image data ends early (incomplete input)",
        SKCodecResult.ErrorInInput => "image data is damaged (error in input)",
        SKCodecResult.InvalidInput => "not a decodable image (invalid input)",
        _ => $"decoding failed ({result})",
    };

    // libjpeg-turbo scales in the DCT domain by n/8; Skia answers with the size it would decode at for a scale.
    private static SKSizeI SmallestScaleCovering(SKCodec codec, ImageInfo info, (int Width, int Height) cover)
    {
        for (var eighths = 1; eighths < 8; eighths++)
        {
            var size = codec.GetScaledDimensions(eighths / 8f);
            if (size.Width >= cover.Width && size.Height >= cover.Height)
            {
                return size;
            }
        }

        return new SKSizeI(info.Width, info.Height);
    }
}
