namespace ImagePattern.Imaging;

/// <summary>Turns the requested <see cref="OutputFormat"/> into the concrete one written for a given source.</summary>
internal static class OutputFormats
{
    /// <param name="requested">The configured format.</param>
    /// <param name="source">The source header.</param>
    /// <param name="writesAvif">Whether the engine can write AVIF (an AVIF source keeps its format only then).</param>
    /// <param name="heifCompression"><c>av1</c> for AVIF, <c>hevc</c> for HEIC, null for other formats.</param>
    public static OutputFormat Resolve(OutputFormat requested, ImageInfo source, bool writesAvif, string? heifCompression = null)
    {
        if (requested != OutputFormat.Source)
        {
            return requested;
        }

        return source.Format switch
        {
            "jpeg" => OutputFormat.Jpeg,
            "png" => OutputFormat.Png,
            "webp" => OutputFormat.Webp,
            "heif" when writesAvif && heifCompression == "av1" => OutputFormat.Avif,
            // GIF, TIFF, HEIC: formats the engines read but do not write.
            _ => source.HasAlpha ? OutputFormat.Png : OutputFormat.Jpeg,
        };
    }
}
