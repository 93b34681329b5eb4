using System.Buffers.Binary;

namespace ImagePattern.Imaging;

/// <summary>
/// Walks a JPEG's marker segments from the start-of-image marker up to the first scan (or the end-of-image marker),
/// where the header ends: <c>for (var s = new JpegSegments(jpeg); s.MoveNext();)</c>. Fill bytes (0xFF runs) are
/// skipped; the walk stops at a segment whose length is under 2 or runs past the data.
/// </summary>
internal ref struct JpegSegments
{
    private readonly ReadOnlySpan<byte> jpeg;
    private int next;

    /// <summary>A walk over <paramref name="jpeg"/>; nothing to walk when it does not start with the start-of-image marker.</summary>
    public JpegSegments(ReadOnlySpan<byte> jpeg)
    {
        this.jpeg = jpeg;
        next = jpeg.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8]) ? 2 : jpeg.Length;
    }

    /// <summary>The current segment's marker byte (the one after 0xFF), e.g. 0xE1 for APP1, 0xC2 for a progressive frame.</summary>
    public byte Marker { get; private set; }

    /// <summary>The current segment's data after its two length bytes; empty when its length is out of bounds.</summary>
    public ReadOnlySpan<byte> Payload { get; private set; }

    /// <summary>Moves to the next segment; false at the first scan, the end of the image, or malformed data.</summary>
    public bool MoveNext()
    {
        var position = next;
        while (position + 4 <= jpeg.Length && jpeg[position] == 0xFF)
        {
            var marker = jpeg[position + 1];
            if (marker == 0xFF)
            {
                position++;
                continue;
            }

            // Start of scan or end of image: the entropy-coded data follows, no more header segments.
            if (marker is 0xDA or 0xD9)
            {
                break;
            }

            int length = BinaryPrimitives.ReadUInt16BigEndian(jpeg[(position + 2)..]);
            var fits = length >= 2 && position + 2 + length <= jpeg.Length;
            Marker = marker;
            Payload = fits ? jpeg.Slice(position + 4, length - 2) : [];
            next = fits ? position + 2 + length : jpeg.Length;
            return true;
        }

        next = jpeg.Length;
        return false;
    }
}
