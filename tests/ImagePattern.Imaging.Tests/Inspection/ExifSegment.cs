using System.Buffers.Binary;
using System.Text;

namespace ImagePattern.Imaging.Tests.Inspection;

/// <summary>
/// Writes an EXIF block (a TIFF structure: IFD0, the Exif sub-IFD and the GPS IFD) from the tag layout of the
/// EXIF 2.32 specification, and splices it into a JPEG as an APP1 segment. The image generators cannot write
/// capture times, camera names or GPS tags, so tests build them here.
/// </summary>
internal sealed class ExifSegment
{
    private const ushort Byte = 1;
    private const ushort Ascii = 2;
    private const ushort Short = 3;
    private const ushort Long = 4;
    private const ushort Rational = 5;

    private readonly List<Entry> ifd0 = [];
    private readonly List<Entry> exif = [];
    private readonly List<Entry> gps = [];
    private byte[]? thumbnail;

    public bool BigEndian { get; init; }

    public ExifSegment Orientation(ushort value) => Add(ifd0, 0x0112, Short, 1, U16(value));

    /// <summary>Orientation stored as a LONG, a type EXIF does not allow for it (some writers do it anyway).</summary>
    public ExifSegment OrientationAsLong(uint value)
    {
        var data = new byte[4];
        Write32(data, 0, value);
        return Add(ifd0, 0x0112, Long, 1, data);
    }

    public ExifSegment Make(string value) => Add(ifd0, 0x010F, Ascii, value);

    public ExifSegment Model(string value) => Add(ifd0, 0x0110, Ascii, value);

    /// <summary>IFD0's DateTime: when the file was last changed, not when the picture was taken.</summary>
    public ExifSegment ModifiedAt(string value) => Add(ifd0, 0x0132, Ascii, value);

    public ExifSegment DateTimeOriginal(string value) => Add(exif, 0x9003, Ascii, value);

    public ExifSegment OffsetTimeOriginal(string value) => Add(exif, 0x9011, Ascii, value);

    /// <summary>GPSVersionID 2.3.0.0 alone: a GPS IFD that holds no position.</summary>
    public ExifSegment GpsVersionOnly() => Add(gps, 0x0000, Byte, 4, [2, 3, 0, 0]);

    public ExifSegment GpsPosition(double latitude, double longitude)
    {
        GpsVersionOnly();
        Add(gps, 0x0001, Ascii, latitude >= 0 ? "N" : "S");
        Add(gps, 0x0002, Rational, 3, Degrees(Math.Abs(latitude)));
        Add(gps, 0x0003, Ascii, longitude >= 0 ? "E" : "W");
        return Add(gps, 0x0004, Rational, 3, Degrees(Math.Abs(longitude)));
    }

    /// <summary>An IFD1 holding <paramref name="jpeg"/> as the embedded thumbnail (JPEGInterchangeFormat), as cameras write.</summary>
    public ExifSegment Thumbnail(byte[] jpeg)
    {
        thumbnail = jpeg;
        return this;
    }

    /// <summary>The TIFF structure alone (what PNG's eXIf chunk and WebP's EXIF chunk hold).</summary>
    public byte[] ToTiff()
    {
        var entries0 = new List<Entry>(ifd0);
        // Pointers to the sub-IFDs are IFD0 entries whose values are filled in once the layout is known.
        if (exif.Count > 0)
        {
            entries0.Add(new Entry(0x8769, Long, 1, new byte[4]));
        }

        if (gps.Count > 0)
        {
            entries0.Add(new Entry(0x8825, Long, 1, new byte[4]));
        }

        var blocks = new List<List<Entry>> { entries0 };
        List<Entry>? ifd1 = null;
        if (thumbnail is not null)
        {
            ifd1 = [new Entry(0x0103, Short, 1, [.. U16(6), 0, 0]), new Entry(0x0201, Long, 1, new byte[4]), new Entry(0x0202, Long, 1, new byte[4])];
            Write32(ifd1[2].Data, 0, (uint)thumbnail.Length);
            blocks.Add(ifd1);
        }

        if (exif.Count > 0)
        {
            blocks.Add(exif);
        }

        if (gps.Count > 0)
        {
            blocks.Add(gps);
        }

        // Layout: header (8), then each IFD followed by its out-of-line values.
        var offsets = new List<int>();
        var position = 8;
        foreach (var block in blocks)
        {
            offsets.Add(position);
            position += 2 + (12 * block.Count) + 4 + block.Sum(e => e.Data.Length > 4 ? Even(e.Data.Length) : 0);
        }

        var pointerIndex = ifd1 is null ? 1 : 2;
        if (ifd1 is not null)
        {
            // The thumbnail's bytes follow every IFD; offsets count from the TIFF header.
            Write32(ifd1[1].Data, 0, (uint)position);
            position += thumbnail!.Length;
        }

        foreach (var pointer in entries0.Where(e => e.Tag is 0x8769 or 0x8825))
        {
            Write32(pointer.Data, 0, (uint)offsets[pointerIndex++]);
        }

        var output = new byte[position];
        if (ifd1 is not null)
        {
            thumbnail!.CopyTo(output, position - thumbnail.Length);
        }

        Encoding.ASCII.GetBytes(BigEndian ? "MM" : "II").CopyTo(output, 0);
        Write16(output, 2, 42);
        Write32(output, 4, 8);
        for (var b = 0; b < blocks.Count; b++)
        {
            var block = blocks[b].OrderBy(e => e.Tag).ToList();
            var at = offsets[b];
            Write16(output, at, (ushort)block.Count);
            var extra = at + 2 + (12 * block.Count) + 4;
            if (b == 0 && ifd1 is not null)
            {
                // IFD0's next-IFD link: IFD1 is the second block.
                Write32(output, extra - 4, (uint)offsets[1]);
            }

            for (var i = 0; i < block.Count; i++)
            {
                var e = block[i];
                var slot = at + 2 + (12 * i);
                Write16(output, slot, e.Tag);
                Write16(output, slot + 2, e.Type);
                Write32(output, slot + 4, (uint)e.Count);
                if (e.Data.Length <= 4)
                {
                    e.Data.CopyTo(output, slot + 8);
                }
                else
                {
                    Write32(output, slot + 8, (uint)extra);
                    e.Data.CopyTo(output, extra);
                    extra += Even(e.Data.Length);
                }
            }
        }

        return output;
    }

    /// <summary>The JPEG with this block as an APP1 <c>Exif</c> segment right after SOI.</summary>
    public byte[] InsertInto(byte[] jpeg)
    {
        ArgumentNullException.ThrowIfNull(jpeg);
        if (jpeg.Length < 2 || jpeg[0] != 0xFF || jpeg[1] != 0xD8)
        {
            throw new ArgumentException("not a JPEG", nameof(jpeg));
        }

        var tiff = ToTiff();
        var payload = new byte[6 + tiff.Length];
        Encoding.ASCII.GetBytes("Exif\0\0").CopyTo(payload, 0);
        tiff.CopyTo(payload, 6);
        var segment = new byte[4 + payload.Length];
        segment[0] = 0xFF;
        segment[1] = 0xE1;
        BinaryPrimitives.WriteUInt16BigEndian(segment.AsSpan(2), (ushort)(payload.Length + 2));
        payload.CopyTo(segment, 4);
        return [.. jpeg[..2], .. segment, .. jpeg[2..]];
    }

    private ExifSegment Add(List<Entry> ifd, ushort tag, ushort type, string text)
    {
        var bytes = Encoding.ASCII.GetBytes(text + "\0");
        return Add(ifd, tag, type, bytes.Length, bytes);
    }

    private ExifSegment Add(List<Entry> ifd, ushort tag, ushort type, int count, byte[] data)
    {
        var padded = data.Length < 4 ? [.. data, .. new byte[4 - data.Length]] : data;
        ifd.Add(new Entry(tag, type, count, padded));
        return this;
    }

    private byte[] U16(ushort value)
    {
        var data = new byte[2];
        Write16(data, 0, value);
        return data;
    }

    private byte[] Degrees(double value)
    {
        var degrees = Math.Floor(value);
        var minutes = Math.Floor((value - degrees) * 60);
        var seconds = Math.Round((((value - degrees) * 60) - minutes) * 60 * 100);
        var data = new byte[24];
        uint[] parts = [(uint)degrees, 1, (uint)minutes, 1, (uint)seconds, 100];
        for (var i = 0; i < parts.Length; i++)
        {
            Write32(data, i * 4, parts[i]);
        }

        return data;
    }

    private void Write16(byte[] data, int at, ushort value)
    {
        if (BigEndian)
        {
            BinaryPrimitives.WriteUInt16BigEndian(data.AsSpan(at), value);
        }
        else
        {
            BinaryPrimitives.WriteUInt16LittleEndian(data.AsSpan(at), value);
        }
    }

    private void Write32(byte[] data, int at, uint value)
    {
        if (BigEndian)
        {
            BinaryPrimitives.WriteUInt32BigEndian(data.AsSpan(at), value);
        }
        else
        {
            BinaryPrimitives.WriteUInt32LittleEndian(data.AsSpan(at), value);
        }
    }

    private static int Even(int length) => length + (length & 1);

    private sealed record Entry(ushort Tag, ushort Type, int Count, byte[] Data);
}
