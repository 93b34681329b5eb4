using System.Runtime.InteropServices;

namespace ImagePattern.Imaging.LibVips;

/// <summary>
/// Process-wide libvips setup, done once on first use: operation cache off (a Lambda sees each image
/// once), one libvips worker per image (parallelism comes from processing images side by side), a
/// loader allow-list with untrusted loaders blocked, and glibc malloc kept from trimming libvips' working
/// memory between images (<see cref="NativeHeapTuning"/>).
/// </summary>
internal static class LibVipsRuntime
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

    private static readonly Lock Gate = new();
    private static volatile bool initialized;

    /// <summary>The libvips version string, e.g. <c>8.18.7</c>.</summary>
    public static string Version
    {
        get
        {
            EnsureInitialized();
            return Marshal.PtrToStringUTF8(LibVipsNative.vips_version_string()) ?? "unknown";
        }
    }

    /// <summary>Initialises libvips once; cheap after the first call.</summary>
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

            // Before vips_init, so that libvips' first threads already find the settled heap.
            NativeHeapTuning.Apply();

            if (LibVipsNative.vips_init("imagepattern") != 0)
            {
                throw new InvalidOperationException("libvips failed to initialise: " + VipsErrors.Take("no detail"));
            }

            SilenceWarnings();

            LibVipsNative.vips_cache_set_max(0);
            LibVipsNative.vips_cache_set_max_mem(0);
            LibVipsNative.vips_cache_set_max_files(0);
            LibVipsNative.vips_concurrency_set(1);

            // Blocking a class blocks its subclasses (file, buffer and source variants): block every
            // loader, reopen the allowed families, then re-block anything libvips marks untrusted.
            LibVipsNative.vips_operation_block_set("VipsForeignLoad", true);
            foreach (var loader in AllowedLoaders)
            {
                LibVipsNative.vips_operation_block_set(loader, false);
            }

            LibVipsNative.vips_block_untrusted_set(true);
            initialized = true;
        }
    }

    // libvips reports recoverable decoder trouble (e.g. a truncated file read with fail_on=none) as GLib
    // warnings on stderr. The engine reports failures as typed results instead, and a Lambda's stderr
    // should carry only the host's structured log lines.
    private static unsafe void SilenceWarnings() =>
        LibVipsNative.g_log_set_handler("VIPS", LibVipsNative.GLogLevelWarning, &IgnoreLogMessage, IntPtr.Zero);

    [UnmanagedCallersOnly]
    private static void IgnoreLogMessage(IntPtr logDomain, int logLevel, IntPtr message, IntPtr userData)
    {
    }
}
