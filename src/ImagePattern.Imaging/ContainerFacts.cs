namespace ImagePattern.Imaging;

/// <summary>
/// Header facts some decoders do not report, read from the container: whether a JPEG is progressive or a
/// PNG Adam7-interlaced (both are decoded whole, so they get the lower pixel budget), and whether a JPEG
/// ends with its end-of-image marker.
/// </summary>
internal static class ContainerFacts
{
    /// <summary>True for a progressive JPEG (SOF2, SOF6, SOF10, SOF14) or an Adam7-interlaced PNG.</summary>
    public static bool IsInterlaced(ReadOnlySpan<byte> encoded, string format) => format switch
    {
        "jpeg" => JpegFrameMarker(encoded) is 0xC2 or 0xC6 or 0xCA or 0xCE,
        // IHDR is the first chunk: 8-byte signature, length, type, then width, height, depth, colour type,
        // compression, filter, interlace method.
        "png" => encoded.Length > 28 && encoded[12..].StartsWith("IHDR"u8) && encoded[28] == 1,
        _ => false,
    };

    /// <summary>True when a JPEG's last two bytes are not the end-of-image marker (trailing zero padding ignored).</summary>
    public static bool LacksJpegEndMarker(ReadOnlySpan<byte> jpeg)
    {
        var end = jpeg.Length;
        while (end > 0 && jpeg[end - 1] == 0)
        {
            end--;
        }

        return end < 2 || jpeg[end - 2] != 0xFF || jpeg[end - 1] != 0xD9;
    }

    // The start-of-frame marker byte, or 0 when none comes before the first scan.
    private static byte JpegFrameMarker(ReadOnlySpan<byte> jpeg)
    {
        for (var segments = new JpegSegments(jpeg); segments.MoveNext();)
        {
            if (segments.Marker is >= 0xC0 and <= 0xCF and not 0xC4 and not 0xC8 and not 0xCC)
            {
                return segments.Marker;
            }
        }

        return 0;
    }
}
