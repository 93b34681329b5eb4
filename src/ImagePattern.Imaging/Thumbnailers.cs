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

    /// <summary>
    /// Applies the process-wide settings <paramref name="engine"/> wants in place before other threads allocate,
    /// without loading its native library: for libvips, glibc's malloc thresholds and arena cap (glibc takes the cap
    /// only while it has made fewer than nine arenas, and every thread that allocates takes one); nothing for
    /// SkiaSharp. <see cref="Create"/> applies them too; calling this first, at the top of <c>Main</c>, keeps the
    /// threads a host starts before it creates the engine (logging, HTTP, the thread pool) from holding arenas of
    /// their own. Idempotent; returns true when settings were applied.
    /// </summary>
    public static bool PrepareProcess(ImageEngine engine) => engine == ImageEngine.Libvips && NativeHeapTuning.Apply();
}
