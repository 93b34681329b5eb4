using System.Runtime.InteropServices;
using NetVips;

namespace ImagePattern.Imaging.LibVips;

/// <summary>A libvips <see cref="Source"/> over encoded bytes that never copies them whole.</summary>
/// <remarks>
/// <c>Image.NewFromBuffer</c> and <c>Image.ThumbnailBuffer</c> hand libvips a <c>g_malloc</c> copy of the whole
/// array, and the bytes arrive as a slice of a pooled buffer (the S3 reader rents one), which had to be copied
/// into an array of its own first: three copies of a 50 MB PNG per thumbnail, each a fresh mapping whose pages
/// fault in. A source reads the bytes where they are, as sharp's file source does from a file.
/// </remarks>
internal static class VipsInput
{
    /// <summary>
    /// A source that reads <paramref name="bytes"/>, which must stay unchanged until the source is disposed and
    /// every image loaded from it has been computed: pinned in place when they are a whole array, otherwise read
    /// in the chunks libvips asks for.
    /// </summary>
    public static Source Open(ReadOnlyMemory<byte> bytes)
    {
        if (MemoryMarshal.TryGetArray(bytes, out var segment) && segment.Offset == 0 && segment.Count == segment.Array!.Length)
        {
            return Source.NewFromMemory(segment.Array);
        }

        var position = 0L;
        var source = new SourceCustom();
        source.OnRead += (buffer, length) =>
        {
            var count = (int)Math.Min(length, bytes.Length - position);
            bytes.Span.Slice((int)position, count).CopyTo(buffer);
            position += count;
            return count;
        };
        source.OnSeek += (offset, origin) =>
        {
            var target = origin switch
            {
                SeekOrigin.Begin => offset,
                SeekOrigin.Current => position + offset,
                _ => bytes.Length + offset,
            };
            if (target < 0 || target > bytes.Length)
            {
                return -1;
            }

            position = target;
            return position;
        };
        return source;
    }
}
