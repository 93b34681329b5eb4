using SkiaSharp;

namespace ImagePattern.Imaging.Skia;

/// <summary>Reads a header through <see cref="SKCodec"/>, which parses it without decoding any pixel.</summary>
internal static class SkiaHeader
{
    /// <summary>
    /// An open codec (the caller disposes it) and its header facts; or null and why: <see cref="ImageFailureKind.Corrupt"/>
    /// for a known signature whose header cannot be read, <see cref="ImageFailureKind.UnsupportedFormat"/> otherwise.
    /// </summary>
    public static SKCodec? Open(SKData data, ReadOnlySpan<byte> encoded, out ImageInfo? info, out ImageFailure? failure)
    {
        info = null;
        var codec = SKCodec.Create(data);
        if (codec is null)
        {
            // A known signature whose header cannot be read is damaged, not foreign (libvips says the same).
            failure = SkiaSignatures.IsKnown(encoded)
                ? new ImageFailure(ImageFailureKind.Corrupt, "the header cannot be read: the file is damaged")
                : new ImageFailure(ImageFailureKind.UnsupportedFormat, "buffer is not in a known format, or its format is not allowed");
            return null;
        }

        info = Describe(codec, encoded);
        if (info is null)
        {
            failure = new ImageFailure(
                ImageFailureKind.UnsupportedFormat, $"{codec.EncodedFormat} is not an allowed input format (JPEG, PNG, WebP, GIF)");
            codec.Dispose();
            return null;
        }

        failure = null;
        return codec;
    }

    /// <summary>The header facts of an open codec; null when the format is outside the allow-list.</summary>
    private static ImageInfo? Describe(SKCodec codec, ReadOnlySpan<byte> encoded)
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
