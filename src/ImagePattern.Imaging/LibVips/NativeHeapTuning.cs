using System.Runtime.InteropServices;

namespace ImagePattern.Imaging.LibVips;

/// <summary>glibc <c>mallopt</c> settings for libvips' working memory; see <see cref="NativeHeapTuning"/>.</summary>
/// <param name="MmapThreshold">Allocations at least this large get their own mapping (<c>M_MMAP_THRESHOLD</c>).</param>
/// <param name="TrimThreshold">Free memory an arena keeps before handing it back (<c>M_TRIM_THRESHOLD</c>).</param>
/// <param name="ArenaLimit">Most arenas the process creates (<c>M_ARENA_MAX</c>), or null when the environment sets it.</param>
internal sealed record NativeHeapSettings(int MmapThreshold, int TrimThreshold, int? ArenaLimit);

/// <summary>
/// Keeps glibc from returning libvips' working memory to the kernel after every image, and from keeping that memory
/// once per libvips thread.
/// </summary>
/// <remarks>
/// Each thumbnail allocates and frees megabytes of decoder buffers on libvips' threads: a few for a
/// shrink-on-load JPEG, two 12 MiB chroma planes for a 24 MP progressive one, 30-odd MiB of rows for a
/// 24 MP PNG. glibc trims an arena's free top above the trim threshold and maps blocks above the mmap
/// threshold on their own; it raises both only after freeing such a mapped block, so in a .NET process
/// they tend to stay near their 128 KiB start and every image faults the same pages in again (450
/// faults per 12 MP JPEG, 5,700 per 24 MP PNG): 10–20 % of the CPU time on a virtual machine. Pinning
/// them where glibc's own rule lands after a 16 MiB block (map from 16 MiB, trim above 32 MiB) keeps
/// the memory for the next image.
/// <para>
/// The price is that every arena keeps up to its high-water mark, and glibc gives each new thread an arena of
/// its own, up to eight per core: libvips runs its work on threads it starts and keeps, so after five 24 MP PNGs
/// on one core four arenas held 33 MB each, nearly all of it free (<c>malloc_stats</c>). The arenas are therefore
/// capped at one per core the process may run on, about as many as images run at once; a thread beyond the cap
/// shares an existing arena. glibc fixes its limit for good once it has made nine arenas, so the cap works in a
/// Native AOT process such as the bootstrap, which applies it at the top of <c>Main</c> through
/// <see cref="Thumbnailers.PrepareProcess"/> (24 MP PNGs on one core: peak RSS 195 MB without, 131 MB with), but a
/// JIT-compiled host has made about ten before any library code runs; there only <c>MALLOC_ARENA_MAX</c> in the
/// environment caps them.
/// </para>
/// <para>
/// Thresholds set in the environment (<c>MALLOC_*_</c>, <c>GLIBC_TUNABLES</c>) win and nothing is changed here;
/// an arena limit set there wins over this one; other C libraries (musl) are left alone.
/// </para>
/// </remarks>
internal static class NativeHeapTuning
{
    // mallopt parameter numbers from glibc's malloc.h.
    private const int MTrimThreshold = -1;
    private const int MMmapThreshold = -3;
    private const int MArenaMax = -8;

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

    /// <summary>
    /// The settings for a process that may run on <paramref name="processors"/> cores, or null when the environment
    /// already sets the thresholds.
    /// </summary>
    public static NativeHeapSettings? Plan(Func<string, string?> environment, int processors)
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

        var arenasChosen = !string.IsNullOrEmpty(environment("MALLOC_ARENA_MAX")) || tunables.Contains("glibc.malloc.arena_max", StringComparison.Ordinal);
        return new NativeHeapSettings(MmapThresholdBytes, TrimThresholdBytes, arenasChosen ? null : Math.Max(1, processors));
    }

    /// <summary>
    /// Applies <see cref="Plan"/> for the current process (its <see cref="Environment.ProcessorCount"/>) through
    /// glibc's <c>mallopt</c>; true when every value was taken. False, changing nothing, off Linux, without glibc,
    /// or when the environment decides.
    /// </summary>
    public static unsafe bool Apply()
    {
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }

        var settings = Plan(Environment.GetEnvironmentVariable, Environment.ProcessorCount);
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
        if (settings.ArenaLimit is { } arenas)
        {
            taken &= mallopt(MArenaMax, arenas) == 1;
        }

        return taken;
    }
}
