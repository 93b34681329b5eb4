using SkiaSharp;

namespace ImagePattern.Imaging.Skia;

/// <summary>Reads a header through <see cref="SKCodec"/>, which parses it without decoding any pixel.</summary>
internal static class SkiaHeader
{
    /// <summary>The header facts of an open codec; null when the format is outside the allow-list.</summary>
    public static ImageInfo? Describe(SKCodec codec, ReadOnlySpan<byte> encoded)
    {
        var format = codec.EncodedFormat switch
        {
            SKEncodedImageFormat.Jpeg => "jpeg",
            SKEncodedImageFormat.Png => "png",
            SKEncodedImageFormat.Webp => "webp",
            SKEncodedImageFormat.Gif => "gif",
            // BMP, ICO, WBMP, DNG and the rest: decodable by Skia, but not on the allow-list both engines share.
            _ => null,
        };
        if (format is null)
        {
            return null;
        }

        var info = codec.Info;
        var hasAlpha = info.AlphaType != SKAlphaType.Opaque;
        var bands = (info.ColorType is SKColorType.Gray8 ? 1 : 3) + (hasAlpha ? 1 : 0);
        return new ImageInfo(
            format,
            info.Width,
            info.Height,
            // SKCodec's EncodedOrigin is read too, but this reading is the one both engines share.
            ExifOrientation.Read(encoded, format),
            ContainerFacts.IsInterlaced(encoded, format),
            bands,
            hasAlpha);
    }
}
