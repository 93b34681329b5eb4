using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using ImagePattern.Imaging.Tooling;

namespace ImagePattern.Tool.Tests.Drills.Support;

/// <summary>Hand-built hostile image files.</summary>
public static class HostileFiles
{
    /// <summary>
    /// A real PNG decompression bomb: a valid 1-bit greyscale image of <paramref name="side"/>² pixels whose all-zero
    /// rows deflate about a thousand to one, so a file of tens of kilobytes decodes to hundreds of megapixels.
    /// </summary>
    public static byte[] PngBomb(int side)
    {
        using var png = new MemoryStream();
        png.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, side);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), side);
        header[8] = 1; // bit depth
        header[9] = 0; // greyscale
        Chunk(png, "IHDR", header);

        using var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            // Filter byte 0 then the packed row: every row is zeros.
            var row = new byte[1 + ((side + 7) / 8)];
            for (var y = 0; y < side; y++)
            {
                zlib.Write(row);
            }
        }

        foreach (var part in compressed.ToArray().Chunk(1 << 16))
        {
            Chunk(png, "IDAT", part);
        }

        Chunk(png, "IEND", []);
        return png.ToArray();
    }

    /// <summary>A small real JPEG whose frame header (SOFn) is rewritten to claim <paramref name="width"/> × <paramref name="height"/>.</summary>
    public static byte[] JpegClaiming(int width, int height)
    {
        var jpeg = SampleImages.Create(64, 48, SampleFormat.Jpeg);
        for (var i = 2; i + 9 < jpeg.Length; i++)
        {
            // SOF0..SOF2 (baseline, extended, progressive): FF Cx, length, precision, height, width.
            if (jpeg[i] == 0xFF && jpeg[i + 1] is 0xC0 or 0xC1 or 0xC2)
            {
                BinaryPrimitives.WriteUInt16BigEndian(jpeg.AsSpan(i + 5), (ushort)height);
                BinaryPrimitives.WriteUInt16BigEndian(jpeg.AsSpan(i + 7), (ushort)width);
                return jpeg;
            }
        }

        throw new InvalidOperationException("no SOF marker in the sample JPEG");
    }

    private static void Chunk(Stream png, string type, byte[] data)
    {
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(length, data.Length);
        png.Write(length);
        var typed = Encoding.ASCII.GetBytes(type).Concat(data).ToArray();
        png.Write(typed);
        Span<byte> crc = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(crc, Crc32(typed));
        png.Write(crc);
    }

    // PNG's CRC-32 (ISO 3309, reflected polynomial 0xEDB88320).
    private static uint Crc32(byte[] data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++)
            {
                crc = (crc & 1) != 0 ? 0xEDB88320u ^ (crc >> 1) : crc >> 1;
            }
        }

        return crc ^ 0xFFFFFFFFu;
    }
}
