using ImagePattern.Imaging.LibVips;
using ImagePattern.Imaging.Skia;

namespace ImagePattern.Imaging;

/// <summary>Builds the one engine a process uses; the other engine's native library is never touched.</summary>
public static class Thumbnailers
{
    /// <summary>
    /// Creates <paramref name="engine"/>'s thumbnailer and loads its native library now, so that cost lands in
    /// the cold start rather than in the first image.
    /// </summary>
    public static IThumbnailer Create(ImageEngine engine) => engine switch
    {
        ImageEngine.Skia => SkiaThumbnailer.Initialize(),
        ImageEngine.Libvips => VipsThumbnailer.Initialize(),
        _ => throw new ArgumentOutOfRangeException(nameof(engine), engine, "unknown image engine"),
    };
}
