using NetVips;

namespace ImagePattern.Imaging.LibVips;

/// <summary>Turns a <see cref="VipsException"/> into a failure reason of one line that names only this image's problem.</summary>
/// <remarks>
/// libvips keeps one error buffer per process. The engine empties it before each image, but with images decoded
/// side by side another image's warning (a corrupt ICC profile, say) can still land in it while this one fails.
/// So the reason keeps only what the decoders and the operation that failed said (<c>VipsJpeg: …</c>,
/// <c>jpegload_buffer: …</c>, <c>unable to copy to memory</c>), never colour-management or metadata lines.
/// </remarks>
internal static class VipsMessages
{
    private const int KeptLines = 3;

    // Domains of the loaders on the allow-list and of the generic failure lines libvips adds around them.
    private static readonly string[] DecoderDomains =
    [
        "VipsJpeg", "jpegload", "VipsForeignLoadJpeg",
        "vipspng", "VipsPng", "pngload", "VipsForeignLoadPng", "spng",
        "webp", "VipsForeignLoadWebp", "VipsWebp",
        "gifload", "VipsForeignLoadNsgif", "nsgif",
        "heif", "VipsForeignLoadHeif",
        "tiff", "VipsForeignLoadTiff", "VipsTiff",
        "unable to", "thumbnail", "VipsImage", "VipsRegion", "vips_image", "vips__file", "load error",
    ];

    /// <summary>The decoder's distinct lines, last few only, joined with "; ".</summary>
    public static string Reason(VipsException failure)
    {
        var lines = failure.Message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(line => !line.StartsWith("unable to call", StringComparison.Ordinal))
            .Where(line => DecoderDomains.Any(domain => line.StartsWith(domain, StringComparison.OrdinalIgnoreCase)))
            .Distinct(StringComparer.Ordinal)
            .ToArray();
        return lines.Length == 0
            ? "libvips could not decode the image (no detail)"
            : string.Join("; ", lines[Math.Max(0, lines.Length - KeptLines)..]);
    }
}
