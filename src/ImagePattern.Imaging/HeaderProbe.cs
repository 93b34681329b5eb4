using System.Runtime.InteropServices;
using ImagePattern.Imaging.LibVips;

namespace ImagePattern.Imaging;

/// <summary>What the engine needs from a header beyond the public <see cref="ImageInfo"/>.</summary>
/// <param name="Info">The public header facts.</param>
/// <param name="HeifCompression"><c>av1</c> (AVIF) or <c>hevc</c> (HEIC) for HEIF containers, otherwise null.</param>
/// <param name="HasIccProfile">True when the file embeds a colour profile that thumbnails must be converted from.</param>
internal sealed record HeaderInfo(ImageInfo Info, string? HeifCompression, bool HasIccProfile);

/// <summary>
/// Reads a header without decoding pixels: finds the allowed loader for the bytes and builds it with
/// sequential access, which parses the header only (under 3 ms even for very large images).
/// </summary>
internal static class HeaderProbe
{
    /// <summary>Probes <paramref name="length"/> bytes at <paramref name="data"/>; the caller keeps them pinned.</summary>
    public static ImageResult<HeaderInfo> Read(IntPtr data, nuint length)
    {
        LibVipsRuntime.EnsureInitialized();
        if (length == 0)
        {
            return ImageResult.Fail<HeaderInfo>(ImageFailureKind.UnsupportedFormat, "empty input: zero bytes");
        }

        // Blocked loaders are skipped here, so disallowed formats look unknown.
        var loaderName = LibVipsNative.vips_foreign_find_load_buffer(data, length);
        if (loaderName == IntPtr.Zero)
        {
            return ImageResult.Fail<HeaderInfo>(
                ImageFailureKind.UnsupportedFormat, VipsErrors.Take("buffer is not in a known format, or its loader is not allowed"));
        }

        var loader = Marshal.PtrToStringUTF8(loaderName)!;
        try
        {
            using var load = VipsOperation.Create(loader)
                .SetBuffer("buffer", data, length)
                .SetEnum("access", "sequential")
                .Build();
            using var image = load.GetImage("out");
            return ImageResult.Success(Describe(image, loader));
        }
        catch (VipsException e)
        {
            return ImageResult.Fail<HeaderInfo>(ImageFailureKind.Corrupt, e.Message);
        }
    }

    private static HeaderInfo Describe(VipsImage image, string loader)
    {
        var format = Family(image.GetString("vips-loader") ?? loader);
        var info = new ImageInfo(
            format,
            image.Width,
            image.PageHeight,
            image.Orientation,
            Interlaced: image.GetInt("interlaced") is > 0,
            image.Bands,
            image.HasAlpha);
        return new HeaderInfo(info, format == "heif" ? image.GetString("heif-compression") : null, image.Has("icc-profile-data"));
    }

    // "jpegload_buffer" -> "jpeg", "gifload_buffer" -> "gif" (whichever GIF library backs it).
    private static string Family(string loaderNickname)
    {
        var end = loaderNickname.IndexOf("load", StringComparison.Ordinal);
        return end > 0 ? loaderNickname[..end] : loaderNickname;
    }
}
