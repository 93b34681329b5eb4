namespace ImagePattern.Imaging;

/// <summary>
/// What an engine decodes and encodes, so configuration can default and validate against it before the
/// first image arrives (DESIGN §3.4: what an engine cannot do is refused at configuration time).
/// </summary>
/// <param name="Engine">The engine described.</param>
/// <param name="Name">Its configuration name: <c>skia</c> or <c>libvips</c>.</param>
/// <param name="InputSuffixes">
/// File-name suffixes of the formats it decodes, lower case with the leading dot (<c>.jpg</c>), in the order
/// used for the default of <c>IMAGE_SUFFIXES</c>.
/// </param>
/// <param name="OutputFormats">Concrete output formats it encodes (<see cref="OutputFormat.Source"/> is always accepted).</param>
public sealed record EngineCapabilities(
    ImageEngine Engine,
    string Name,
    IReadOnlyList<string> InputSuffixes,
    IReadOnlyList<OutputFormat> OutputFormats)
{
    /// <summary>SkiaSharp: JPEG, PNG, WebP, GIF in; WebP, JPEG, PNG out (SkiaSharp has no AVIF encoder, no TIFF/HEIF decoder).</summary>
    public static EngineCapabilities Skia { get; } = new(
        ImageEngine.Skia,
        "skia",
        [".jpg", ".jpeg", ".png", ".webp", ".gif"],
        [OutputFormat.Webp, OutputFormat.Jpeg, OutputFormat.Png]);

    /// <summary>
    /// libvips: Skia's formats plus TIFF, AVIF and HEIF (AV1 only) in, and AVIF out. <c>.heic</c> is not listed: it
    /// names HEVC-coded HEIF (what phones write), which this libvips build cannot decode, so such uploads are ignored
    /// by suffix instead of failing one by one; an HEVC-coded <c>.heif</c> ends <c>UnsupportedFormat</c>.
    /// </summary>
    public static EngineCapabilities Libvips { get; } = new(
        ImageEngine.Libvips,
        "libvips",
        [".jpg", ".jpeg", ".png", ".webp", ".gif", ".tif", ".tiff", ".avif", ".heif"],
        [OutputFormat.Webp, OutputFormat.Jpeg, OutputFormat.Png, OutputFormat.Avif]);

    /// <summary>Both engines, default first.</summary>
    public static IReadOnlyList<EngineCapabilities> All { get; } = [Skia, Libvips];

    /// <summary>The default engine's capabilities.</summary>
    public static EngineCapabilities Default => Skia;

    /// <summary>The capabilities of <paramref name="engine"/>.</summary>
    public static EngineCapabilities For(ImageEngine engine) => engine switch
    {
        ImageEngine.Skia => Skia,
        ImageEngine.Libvips => Libvips,
        _ => throw new ArgumentOutOfRangeException(nameof(engine), engine, "unknown image engine"),
    };

    /// <summary>Finds an engine by its configuration name (case-insensitive); null when there is none.</summary>
    public static EngineCapabilities? FindByName(string name) =>
        All.FirstOrDefault(engine => string.Equals(engine.Name, name?.Trim(), StringComparison.OrdinalIgnoreCase));

    /// <summary>True when <paramref name="suffix"/> (with its dot, any case) names a format this engine decodes.</summary>
    public bool Decodes(string suffix) => InputSuffixes.Contains(suffix, StringComparer.OrdinalIgnoreCase);

    /// <summary>True when this engine can write <paramref name="format"/>; <see cref="OutputFormat.Source"/> always.</summary>
    public bool Encodes(OutputFormat format) => format == OutputFormat.Source || OutputFormats.Contains(format);
}
