using SkiaSharp;

namespace ImagePattern.Imaging.Skia;

/// <summary>Tells a JPEG that lacks only its end marker (browsers show it, so do we) from one cut short in its scans.</summary>
internal static class SkiaJpegEnd
{
    /// <summary>True when <paramref name="source"/> is a JPEG without its end marker, which <see cref="MissingRows"/> must judge.</summary>
    public static bool LacksEndMarker(ReadOnlySpan<byte> source) =>
        source.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8]) && ContainerFacts.LacksJpegEndMarker(source);

    /// <summary>
    /// Null when every row arrives, otherwise why not. SkiaSharp does not report libjpeg's warnings, so the smallest DCT
    /// scale is decoded row by row: whole data yields every row but the last row of blocks (libjpeg waits for more
    /// bytes to finish it), data cut short stops earlier. A progressive JPEG cannot be asked so: it counts as cut short.
    /// </summary>
    public static unsafe string? MissingRows(ReadOnlyMemory<byte> source)
    {
        using var pinned = source.Pin();
        using var data = SKData.Create((IntPtr)pinned.Pointer, source.Length);
        using var codec = SKCodec.Create(data);
        if (codec is null)
        {
            return null;
        }

        var size = codec.GetScaledDimensions(1 / 8f);
        var info = new SKImageInfo(size.Width, size.Height, SKColorType.Rgba8888, SKAlphaType.Opaque);
        if (codec.StartScanlineDecode(info) != SKCodecResult.Success)
        {
            return "JPEG data ends early (incomplete input) and lacks its end marker";
        }

        var rows = new byte[info.RowBytes * info.Height];
        int decoded;
        fixed (byte* first = rows)
        {
            decoded = codec.GetScanlines((IntPtr)first, info.Height, info.RowBytes);
        }

        // One row of 16-pixel blocks at 1/8 scale is two rows.
        return decoded >= info.Height - 2
            ? null
            : $"JPEG data ends early: {decoded} of {info.Height} rows at 1/8 scale (incomplete input)";
    }
}
