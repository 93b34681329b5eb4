namespace ImagePattern.Imaging;

/// <summary>Turns the requested <see cref="OutputFormat"/> into the concrete one written for a given source.</summary>
internal static class OutputFormats
{
    public static OutputFormat Resolve(OutputFormat requested, HeaderInfo header)
    {
        if (requested != OutputFormat.Source)
        {
            return requested;
        }

        return header.Info.Format switch
        {
            "jpeg" => OutputFormat.Jpeg,
            "png" => OutputFormat.Png,
            "webp" => OutputFormat.Webp,
            "heif" when header.HeifCompression == "av1" => OutputFormat.Avif,
            // GIF, TIFF, HEIC: formats the engine reads but does not write.
            _ => header.Info.HasAlpha ? OutputFormat.Png : OutputFormat.Jpeg,
        };
    }
}
