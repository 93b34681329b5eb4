using NetVips;

namespace ImagePattern.Imaging.LibVips;

/// <summary>
/// What the libvips engine reads from a header: the public <see cref="ImageInfo"/> plus what only this engine
/// needs. Built from the allowed loader with sequential access, which parses the header only (a few
/// milliseconds even for very large images).
/// </summary>
/// <param name="Info">Public header facts; the orientation is the browsers' reading (<see cref="ExifOrientation"/>).</param>
/// <param name="HeifCompression"><c>av1</c> (AVIF) or <c>hevc</c> (HEIC) for HEIF containers, otherwise null.</param>
/// <param name="HasIccProfile">True when the file embeds a colour profile that thumbnails must be converted from.</param>
/// <param name="RotateLikeLibvips">True when libvips' own orientation reading agrees with <see cref="ImageInfo.Orientation"/>.</param>
internal sealed record VipsHeader(ImageInfo Info, string? HeifCompression, bool HasIccProfile, bool RotateLikeLibvips)
{
    /// <summary>The header of <paramref name="bytes"/>, read without copying them (<see cref="VipsInput"/>).</summary>
    public static ImageResult<VipsHeader> Read(ReadOnlyMemory<byte> bytes)
    {
        LibVipsRuntime.EnsureInitialized();
        if (bytes.Length == 0)
        {
            return ImageResult.Fail<VipsHeader>(ImageFailureKind.UnsupportedFormat, "empty input: zero bytes");
        }

        // Blocked loaders are skipped here, so disallowed formats look unknown.
        var loader = Image.FindLoadBuffer(bytes.Span);
        if (loader is null)
        {
            LibVipsRuntime.ClearErrors();
            return ImageResult.Fail<VipsHeader>(
                ImageFailureKind.UnsupportedFormat, "buffer is not in a known format, or its loader is not allowed");
        }

        try
        {
            LibVipsRuntime.ClearErrors();
            using var input = VipsInput.Open(bytes);
            using var image = Image.NewFromSource(input, access: Enums.Access.Sequential);
            var header = Describe(image, loader, bytes.Span);
            LibVipsRuntime.ClearErrors();
            return ImageResult.Success(header);
        }
        catch (VipsException e)
        {
            return ImageResult.Fail<VipsHeader>(ImageFailureKind.Corrupt, VipsMessages.Reason(e));
        }
    }

    private static VipsHeader Describe(Image image, string loader, ReadOnlySpan<byte> bytes)
    {
        var format = Family(image.Contains("vips-loader") ? (string)image.Get("vips-loader") : loader);
        var libvipsOrientation = image.Contains("orientation") ? Convert.ToInt32(image.Get("orientation"), System.Globalization.CultureInfo.InvariantCulture) : 1;
        var orientation = format is "jpeg" or "png" or "webp" ? ExifOrientation.Read(bytes, format) : Math.Clamp(libvipsOrientation, 1, 8);
        var info = new ImageInfo(
            format,
            image.Width,
            image.PageHeight,
            orientation,
            Interlaced: image.Contains("interlaced") && Convert.ToInt32(image.Get("interlaced"), System.Globalization.CultureInfo.InvariantCulture) > 0,
            image.Bands,
            image.HasAlpha());
        var heif = format == "heif" && image.Contains("heif-compression") ? (string)image.Get("heif-compression") : null;
        return new VipsHeader(info, heif, image.Contains("icc-profile-data"), RotateLikeLibvips: libvipsOrientation == orientation);
    }

    // "jpegload_source" -> "jpeg", "gifload_buffer" -> "gif" (whichever GIF library backs it).
    private static string Family(string loaderNickname)
    {
        var end = loaderNickname.IndexOf("load", StringComparison.Ordinal);
        return end > 0 ? loaderNickname[..end] : loaderNickname;
    }
}
