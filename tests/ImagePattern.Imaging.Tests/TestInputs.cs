using NetVips;

namespace ImagePattern.Imaging.Tests;

/// <summary>Fixture files, inputs made at test time, and a raw decoder that shows what an encoded image really contains.</summary>
internal static class TestInputs
{
    public static readonly ImageLimits Generous = new(MaxBytes: 50_000_000, MaxPixels: 100_000_000, MaxInterlacedPixels: 30_000_000);

    public static byte[] Fixture(string name) => File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Fixtures", name));

    /// <summary>Decodes with libvips without any conversion (bit depth, bands and colour space as stored).</summary>
    public static Image DecodeRaw(byte[] encoded)
    {
        using var image = Image.NewFromBuffer(encoded);
        return image.CopyMemory();
    }

    /// <summary>The same JPEG with its APP1 EXIF segment replaced by one holding <paramref name="tiff"/>.</summary>
    public static byte[] WithExif(byte[] jpeg, byte[] tiff)
    {
        var segment = new List<byte> { 0xFF, 0xE1 };
        var length = 2 + 6 + tiff.Length;
        segment.Add((byte)(length >> 8));
        segment.Add((byte)length);
        segment.AddRange("Exif\0\0"u8.ToArray());
        segment.AddRange(tiff);
        return [.. jpeg[..2], .. segment, .. jpeg[2..]];
    }

    /// <summary>A little-endian TIFF block: IFD0 with <paramref name="ifd0Orientation"/> (none when null), IFD1 with <paramref name="ifd1Orientation"/>.</summary>
    public static byte[] ExifTiff(int? ifd0Orientation, int? ifd1Orientation)
    {
        var bytes = new List<byte>();
        bytes.AddRange("II*\0"u8.ToArray());
        bytes.AddRange(BitConverter.GetBytes(8u));
        const int Ifd1Offset = 8 + 2 + 12 + 4;
        // IFD0: one entry (orientation, or an unrelated short tag), then the offset of IFD1.
        bytes.AddRange(BitConverter.GetBytes((ushort)1));
        bytes.AddRange(Entry(ifd0Orientation is null ? (ushort)0x0128 : (ushort)0x0112, (ushort)(ifd0Orientation ?? 2)));
        bytes.AddRange(BitConverter.GetBytes(ifd1Orientation is null ? 0u : Ifd1Offset));
        if (ifd1Orientation is { } thumbnailOrientation)
        {
            bytes.AddRange(BitConverter.GetBytes((ushort)1));
            bytes.AddRange(Entry(0x0112, (ushort)thumbnailOrientation));
            bytes.AddRange(BitConverter.GetBytes(0u));
        }

        return [.. bytes];

        static byte[] Entry(ushort tag, ushort value) =>
            [.. BitConverter.GetBytes(tag), .. BitConverter.GetBytes((ushort)3), .. BitConverter.GetBytes(1u), .. BitConverter.GetBytes(value), 0, 0];
    }

    /// <summary>A JPEG carrying an APP2 ICC_PROFILE segment of garbage, like error-isolation/a-corrupt-icc-profile.jpg.</summary>
    public static byte[] WithCorruptIccProfile(byte[] jpeg)
    {
        var garbage = Enumerable.Range(0, 200).Select(i => (byte)(i * 7)).ToArray();
        var payload = new List<byte>();
        payload.AddRange("ICC_PROFILE\0"u8.ToArray());
        payload.Add(1);
        payload.Add(1);
        payload.AddRange(garbage);
        var length = payload.Count + 2;
        return [.. jpeg[..2], 0xFF, 0xE2, (byte)(length >> 8), (byte)length, .. payload, .. jpeg[2..]];
    }

    /// <summary>The JPEG without its final end-of-image marker, like error-isolation/b-missing-end-marker.jpg.</summary>
    public static byte[] WithoutEndMarker(byte[] jpeg)
    {
        Assert.Equal([0xFF, 0xD9], jpeg[^2..]);
        return jpeg[..^2];
    }
}
