using System.Buffers.Binary;

namespace ImagePattern.Imaging;

/// <summary>
/// Reads the EXIF orientation the way browsers apply it: tag 0x0112 of the first image directory (IFD0)
/// only, stored as a SHORT (the type EXIF defines; browsers ignore the tag stored as any other type), values 1–8.
/// An orientation that sits only in the thumbnail's directory (IFD1), one of another type, or a value out of
/// range, means "as stored" (1). Both engines and the metadata inspector use this one reading, so thumbnails
/// and the metadata record of one upload agree on orientation and displayed size.
/// </summary>
/// <remarks>
/// Looks in a JPEG's APP1 <c>Exif</c> segment, a WebP's <c>EXIF</c> chunk and a PNG's <c>eXIf</c> chunk when it comes
/// before the first <c>IDAT</c>; other formats give 1. Never throws: damaged EXIF is treated as absent, as viewers do.
/// </remarks>
internal static class ExifOrientation
{
    private const ushort OrientationTag = 0x0112;
    private const ushort ShortType = 3;

    /// <summary>Orientation 1–8 for an encoded image of the given loader family (<c>jpeg</c>, <c>png</c>, <c>webp</c>).</summary>
    public static int Read(ReadOnlySpan<byte> encoded, string format)
    {
        var tiff = format switch
        {
            "jpeg" => JpegExif(encoded),
            "webp" => RiffChunk(encoded, "EXIF"u8),
            "png" => PngChunk(encoded, "eXIf"u8),
            _ => [],
        };

        // WebP writers disagree about keeping the "Exif\0\0" prefix inside the chunk.
        if (tiff.StartsWith("Exif\0\0"u8))
        {
            tiff = tiff[6..];
        }

        return FromTiff(tiff);
    }

    /// <summary>Orientation from a TIFF-structured EXIF block (byte order mark first).</summary>
    internal static int FromTiff(ReadOnlySpan<byte> tiff)
    {
        if (tiff.Length < 8)
        {
            return 1;
        }

        bool little;
        if (tiff.StartsWith("II"u8))
        {
            little = true;
        }
        else if (tiff.StartsWith("MM"u8))
        {
            little = false;
        }
        else
        {
            return 1;
        }

        var ifd0 = ReadUInt32(tiff[4..], little);
        if (ifd0 < 8 || ifd0 > (uint)tiff.Length - 2)
        {
            return 1;
        }

        var directory = tiff[(int)ifd0..];
        int count = ReadUInt16(directory, little);
        for (var i = 0; i < count; i++)
        {
            var start = 2 + (12 * i);
            if (start + 12 > directory.Length)
            {
                return 1;
            }

            var entry = directory.Slice(start, 12);
            if (ReadUInt16(entry, little) != OrientationTag)
            {
                continue;
            }

            if (ReadUInt16(entry[2..], little) != ShortType || ReadUInt32(entry[4..], little) < 1)
            {
                return 1;
            }

            int value = ReadUInt16(entry[8..], little);
            return value is >= 1 and <= 8 ? value : 1;
        }

        return 1;
    }

    private static ReadOnlySpan<byte> JpegExif(ReadOnlySpan<byte> jpeg)
    {
        for (var segments = new JpegSegments(jpeg); segments.MoveNext();)
        {
            if (segments.Marker == 0xE1 && segments.Payload.StartsWith("Exif\0\0"u8))
            {
                return segments.Payload[6..];
            }
        }

        return [];
    }

    private static ReadOnlySpan<byte> RiffChunk(ReadOnlySpan<byte> riff, ReadOnlySpan<byte> fourCc)
    {
        if (riff.Length < 12 || !riff.StartsWith("RIFF"u8) || !riff[8..].StartsWith("WEBP"u8))
        {
            return [];
        }

        var position = 12;
        while (position + 8 <= riff.Length)
        {
            var size = BinaryPrimitives.ReadUInt32LittleEndian(riff[(position + 4)..]);
            if (size > (uint)(riff.Length - position - 8))
            {
                return [];
            }

            if (riff.Slice(position, 4).SequenceEqual(fourCc))
            {
                return riff.Slice(position + 8, (int)size);
            }

            // Chunks are padded to an even size.
            position += 8 + (int)size + (int)(size & 1);
        }

        return [];
    }

    private static ReadOnlySpan<byte> PngChunk(ReadOnlySpan<byte> png, ReadOnlySpan<byte> type)
    {
        var position = 8;
        while (position + 12 <= png.Length)
        {
            var size = BinaryPrimitives.ReadUInt32BigEndian(png[position..]);
            if (size > (uint)(png.Length - position - 12))
            {
                return [];
            }

            var chunkType = png.Slice(position + 4, 4);
            // PNG's third edition puts eXIf before the image data, and browsers ignore one that comes after it
            // (a late chunk may describe pixels an editor has since changed): reading stops at the first IDAT.
            if (chunkType.SequenceEqual("IDAT"u8))
            {
                return [];
            }

            if (chunkType.SequenceEqual(type))
            {
                return png.Slice(position + 8, (int)size);
            }

            position += 12 + (int)size;
        }

        return [];
    }

    private static ushort ReadUInt16(ReadOnlySpan<byte> data, bool little) =>
        data.Length < 2 ? (ushort)0 : little ? BinaryPrimitives.ReadUInt16LittleEndian(data) : BinaryPrimitives.ReadUInt16BigEndian(data);

    private static uint ReadUInt32(ReadOnlySpan<byte> data, bool little) =>
        data.Length < 4 ? 0 : little ? BinaryPrimitives.ReadUInt32LittleEndian(data) : BinaryPrimitives.ReadUInt32BigEndian(data);
}
