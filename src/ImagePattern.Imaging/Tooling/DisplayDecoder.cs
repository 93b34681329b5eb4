using System.Runtime.InteropServices;
using ImagePattern.Imaging.LibVips;

namespace ImagePattern.Imaging.Tooling;

/// <summary>Decodes encoded bytes into what a viewer would show: upright, 8-bit sRGB, alpha flattened.</summary>
internal static class DisplayDecoder
{
    /// <summary>Decodes fully into memory (the source may be released afterwards).</summary>
    /// <exception cref="ArgumentException">The bytes are not an image of an allowed format, or are damaged.</exception>
    public static unsafe VipsImage Decode(ReadOnlyMemory<byte> encoded, ReadOnlySpan<double> background, string name)
    {
        LibVipsRuntime.EnsureInitialized();
        using var pinned = encoded.Pin();
        var data = (IntPtr)pinned.Pointer;
        var length = (nuint)encoded.Length;
        var loader = length == 0 ? IntPtr.Zero : LibVipsNative.vips_foreign_find_load_buffer(data, length);
        if (loader == IntPtr.Zero)
        {
            throw new ArgumentException(VipsErrors.Take("buffer is not in a known format, or its loader is not allowed"), name);
        }

        try
        {
            using var load = VipsOperation.Create(Marshal.PtrToStringUTF8(loader)!)
                .SetBuffer("buffer", data, length)
                .SetEnum("fail_on", "error")
                .Build();
            using var image = load.GetImage("out");
            using var upright = VipsOperation.Run("autorot", op => op.Set("in", image));
            using var srgb = VipsOperation.Run("colourspace", op => op.Set("in", upright).SetEnum("space", "srgb"));
            var flatBackground = background.ToArray();
            using var opaque = srgb.HasAlpha
                ? VipsOperation.Run("flatten", op => op.Set("in", srgb).Set("background", flatBackground))
                : srgb.AddReference();
            using var bytes = VipsOperation.Run("cast", op => op.Set("in", opaque).SetEnum("format", "uchar"));
            return bytes.CopyMemory();
        }
        catch (VipsException e)
        {
            throw new ArgumentException(e.Message, name, e);
        }
    }
}
