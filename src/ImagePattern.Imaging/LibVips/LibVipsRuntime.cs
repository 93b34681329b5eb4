using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using NetVips;
using Vips = NetVips.NetVips;

namespace ImagePattern.Imaging.LibVips;

/// <summary>
/// Process-wide libvips setup, done once on first use: operation cache off (a Lambda sees each image
/// once), one libvips worker per image (parallelism comes from processing images side by side), a
/// loader allow-list with untrusted loaders blocked, libvips warnings kept off stderr, and glibc malloc
/// kept from trimming libvips' working memory between images (<see cref="NativeHeapTuning"/>).
/// </summary>
internal static partial class LibVipsRuntime
{
    /// <summary>Loader families accepted as input. Everything else (SVG, UltraHDR, CSV, matrix, raw, .vips) is blocked.</summary>
    internal static readonly IReadOnlyList<string> AllowedLoaders =
    [
        "VipsForeignLoadJpeg",
        "VipsForeignLoadPng",
        "VipsForeignLoadWebp",
        "VipsForeignLoadNsgif",
        "VipsForeignLoadHeif",
        "VipsForeignLoadTiff",
    ];

    // The name NetVips.Native ships the library under; NetVips itself binds to the same file.
    private const string Library = "libvips.so.42";

    private static readonly Lock Gate = new();
    private static volatile bool initialized;

    /// <summary>The libvips version, e.g. <c>8.18.7</c>.</summary>
    public static string Version
    {
        get
        {
            EnsureInitialized();
            return $"{Vips.Version(0)}.{Vips.Version(1)}.{Vips.Version(2)}";
        }
    }

    /// <summary>Initialises libvips once; cheap after the first call.</summary>
    /// <exception cref="InvalidOperationException">libvips could not be loaded or started.</exception>
    public static void EnsureInitialized()
    {
        if (initialized)
        {
            return;
        }

        lock (Gate)
        {
            if (initialized)
            {
                return;
            }

            // Before libvips is loaded (under the JIT, NetVips' module initialiser loads it on first touch), so that
            // libvips' first threads find the settled heap.
            NativeHeapTuning.Apply();
            Configure();
            initialized = true;
        }
    }

    /// <summary>
    /// Empties libvips' process-wide error buffer. libvips appends to it and only a failure's reader takes
    /// it, so a warning one image leaves behind (a corrupt ICC profile) would otherwise open the next
    /// image's failure reason.
    /// </summary>
    public static void ClearErrors() => vips_error_clear();

    // Kept out of EnsureInitialized so that touching NetVips (and so loading libvips) happens after the heap tuning.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Configure()
    {
        if (!ModuleInitializer.VipsInitialized && ModuleInitializer.Exception is null)
        {
            Start();
        }

        if (!ModuleInitializer.VipsInitialized)
        {
            throw new InvalidOperationException(
                "libvips failed to initialise: " + (ModuleInitializer.Exception?.Message ?? "no detail"), ModuleInitializer.Exception);
        }

        // libvips reports recoverable decoder trouble as GLib warnings on stderr. The engine reports failures as
        // typed results instead, and a Lambda's stderr should carry only the host's structured log lines.
        Log.SetLogHandler("VIPS", Enums.LogLevelFlags.Warning, static (_, _, _) => { });

        Cache.Max = 0;
        Cache.MaxMem = 0;
        Cache.MaxFiles = 0;
        Vips.Concurrency = 1;

        // Blocking a class blocks its subclasses (file, buffer and source variants): block every loader,
        // reopen the allowed families, then re-block anything libvips marks untrusted.
        Operation.Block("VipsForeignLoad", true);
        foreach (var loader in AllowedLoaders)
        {
            Operation.Block(loader, false);
        }

        Vips.BlockUntrusted = true;
        vips_error_clear();
    }

    // Under Native AOT, NetVips' module initialiser is emptied at compile time (NetVips.Substitutions.xml) so that a
    // SkiaSharp process never loads libvips; this does its work instead, once this engine is created. NetVips
    // imports GLib and GObject by their own names, which NetVips.Native links into libvips itself.
    private static void Start()
    {
        NativeLibrary.SetDllImportResolver(typeof(Image).Assembly, static (_, assembly, searchPath) =>
            NativeLibrary.TryLoad(Library, assembly, searchPath, out var handle) ? handle : IntPtr.Zero);
        try
        {
            ModuleInitializer.VipsInitialized = Vips.Init();
            ModuleInitializer.Version = ModuleInitializer.VipsInitialized
                ? (Vips.Version(0, false) << 16) + (Vips.Version(1, false) << 8) + Vips.Version(2, false)
                : null;
            ModuleInitializer.Exception = ModuleInitializer.VipsInitialized ? null : new VipsException("vips_init failed");
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            ModuleInitializer.Exception = e;
        }
    }

    [LibraryImport(Library)]
    private static partial void vips_error_clear();
}
