using System.Runtime.InteropServices;

namespace ImagePattern.Imaging.LibVips;

/// <summary>glibc <c>mallopt</c> thresholds for libvips' working memory; see <see cref="NativeHeapTuning"/>.</summary>
/// <param name="MmapThreshold">Allocations at least this large get their own mapping (<c>M_MMAP_THRESHOLD</c>).</param>
/// <param name="TrimThreshold">Free memory an arena keeps before handing it back (<c>M_TRIM_THRESHOLD</c>).</param>
internal sealed record NativeHeapSettings(int MmapThreshold, int TrimThreshold);

/// <summary>
/// Keeps glibc from returning libvips' working memory to the kernel after every image.
/// </summary>
/// <remarks>
/// Each thumbnail allocates and frees megabytes of decoder buffers on libvips' threads: a few for a
/// shrink-on-load JPEG, two 12 MiB chroma planes for a 24 MP progressive one, 30-odd MiB of rows for a
/// 24 MP PNG. glibc trims an arena's free top above the trim threshold and maps blocks above the mmap
/// threshold on their own; it raises both only after freeing such a mapped block, so in a .NET process
/// they tend to stay near their 128 KiB start and every image faults the same pages in again (450
/// faults per 12 MP JPEG, 5,700 per 24 MP PNG): 10–20 % of the CPU time on a virtual machine. Pinning
/// them where glibc's own rule lands after a 16 MiB block (map from 16 MiB, trim above 32 MiB) keeps
/// the memory for the next image. The price is that each arena libvips' threads use keeps up to its
/// high-water mark: about 60 MiB more peak RSS on 24 MP PNGs and progressive JPEGs (libvips spreads a
/// thumbnail over several threads), nothing measurable on shrink-on-load JPEGs. <c>MALLOC_ARENA_MAX=2</c>
/// in the environment takes that back; a library loaded after the runtime's threads cannot set it
/// usefully. Thresholds set in the environment (<c>MALLOC_*_</c>, <c>GLIBC_TUNABLES</c>) win and
/// nothing is changed here; other C libraries (musl) are left alone.
/// </remarks>
internal static class NativeHeapTuning
{
    // mallopt parameter numbers from glibc's malloc.h.
    private const int MTrimThreshold = -1;
    private const int MMmapThreshold = -3;

    private const int MmapThresholdBytes = 16 << 20;
    private const int TrimThresholdBytes = 32 << 20;

    // Any of these means someone already chose when this process's malloc maps and trims memory.
    private static readonly string[] OperatorSettings =
    [
        "MALLOC_MMAP_MAX_",
        "MALLOC_MMAP_THRESHOLD_",
        "MALLOC_TOP_PAD_",
        "MALLOC_TRIM_THRESHOLD_",
    ];

    private static readonly string[] OperatorTunables =
    [
        "glibc.malloc.mmap_max",
        "glibc.malloc.mmap_threshold",
        "glibc.malloc.top_pad",
        "glibc.malloc.trim_threshold",
    ];

    /// <summary>The settings for this process, or null when the environment already sets the thresholds.</summary>
    public static NativeHeapSettings? Plan(Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        if (OperatorSettings.Any(name => !string.IsNullOrEmpty(environment(name))))
        {
            return null;
        }

        var tunables = environment("GLIBC_TUNABLES") ?? string.Empty;
        if (OperatorTunables.Any(name => tunables.Contains(name, StringComparison.Ordinal)))
        {
            return null;
        }

        return new NativeHeapSettings(MmapThresholdBytes, TrimThresholdBytes);
    }

    /// <summary>
    /// Applies <see cref="Plan"/> for the current process through glibc's <c>mallopt</c>; true when both
    /// values were taken. False, changing nothing, off Linux, without glibc, or when the environment decides.
    /// </summary>
    public static unsafe bool Apply()
    {
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }

        var settings = Plan(Environment.GetEnvironmentVariable);
        if (settings is null
            || !NativeLibrary.TryLoad("libc.so.6", out var libc)
            || !NativeLibrary.TryGetExport(libc, "mallopt", out var address))
        {
            return false;
        }

        // mallopt returns 1 when it takes a value. Setting either threshold also turns off glibc's
        // dynamic adjustment of both, which is what lets the trim threshold stay high.
        var mallopt = (delegate* unmanaged<int, int, int>)address;
        var taken = mallopt(MMmapThreshold, settings.MmapThreshold) == 1;
        taken &= mallopt(MTrimThreshold, settings.TrimThreshold) == 1;
        return taken;
    }
}
