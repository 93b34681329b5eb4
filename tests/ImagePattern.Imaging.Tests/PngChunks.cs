using System.Buffers.Binary;
using System.IO.Hashing;
using System.Text;

namespace ImagePattern.Imaging.Tests;

/// <summary>Adds ancillary chunks to a PNG made at test time, with a correct CRC, where a writer would put them.</summary>
internal static class PngChunks
{
    /// <summary>Where the new chunk goes: right after IHDR (before the image data), or right before IEND (after it).</summary>
    public enum Place
    {
        BeforeImageData,
        AfterImageData,
    }

    public static byte[] Insert(byte[] png, string type, byte[] data, Place place)
    {
        var at = place == Place.BeforeImageData ? 8 + 12 + 13 : Find(png, "IEND");
        return [.. png[..at], .. Chunk(type, data), .. png[at..]];
    }

    /// <summary>A <c>gAMA</c> chunk: the file gamma times 100 000.</summary>
    public static byte[] Gamma(double gamma)
    {
        var data = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(data, (uint)Math.Round(gamma * 100_000));
        return data;
    }

    /// <summary>A <c>cHRM</c> chunk: white point, then red, green and blue chromaticities (x, y pairs).</summary>
    public static byte[] Chromaticities(params double[] xy)
    {
        var data = new byte[32];
        for (var i = 0; i < 8; i++)
        {
            BinaryPrimitives.WriteUInt32BigEndian(data.AsSpan(i * 4), (uint)Math.Round(xy[i] * 100_000));
        }

        return data;
    }

    private static byte[] Chunk(string type, byte[] data)
    {
        var typeBytes = Encoding.ASCII.GetBytes(type);
        var chunk = new byte[12 + data.Length];
        BinaryPrimitives.WriteUInt32BigEndian(chunk, (uint)data.Length);
        typeBytes.CopyTo(chunk, 4);
        data.CopyTo(chunk, 8);
        // The CRC covers the type and the data, not the length.
        BinaryPrimitives.WriteUInt32BigEndian(chunk.AsSpan(8 + data.Length), Crc32.HashToUInt32(chunk.AsSpan(4, 4 + data.Length)));
        return chunk;
    }

    private static int Find(byte[] png, string type)
    {
        var position = 8;
        while (position + 12 <= png.Length)
        {
            var size = (int)BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(position));
            if (png.AsSpan(position + 4, 4).SequenceEqual(Encoding.ASCII.GetBytes(type)))
            {
                return position;
            }

            position += 12 + size;
        }

        return -1;
    }
}
