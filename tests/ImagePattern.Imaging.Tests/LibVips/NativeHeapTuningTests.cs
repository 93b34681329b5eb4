using ImagePattern.Imaging.LibVips;

namespace ImagePattern.Imaging.Tests.LibVips;

public sealed class NativeHeapTuningTests
{
    [Fact]
    public void Plan_WithoutMallocSettings_FixesThresholdsWithTrimAtTwiceTheMappingSize()
    {
        var settings = NativeHeapTuning.Plan(Environment(("PATH", "/usr/bin"), ("GLIBC_TUNABLES", "glibc.cpu.hwcaps=-AVX512F")), processors: 2);

        Assert.NotNull(settings);
        Assert.Equal(2 * settings.MmapThreshold, settings.TrimThreshold);
        // Above glibc's 128 KiB start (or nothing changes), within the 32 MiB it accepts on 64-bit.
        Assert.InRange(settings.MmapThreshold, (128 << 10) + 1, 32 << 20);
    }

    [Theory]
    [InlineData("MALLOC_MMAP_THRESHOLD_", "1048576")]
    [InlineData("MALLOC_TRIM_THRESHOLD_", "67108864")]
    [InlineData("MALLOC_TOP_PAD_", "0")]
    [InlineData("MALLOC_MMAP_MAX_", "0")]
    [InlineData("GLIBC_TUNABLES", "glibc.malloc.trim_threshold=67108864")]
    [InlineData("GLIBC_TUNABLES", "glibc.cpu.x86_rep_movsb_threshold=2048:glibc.malloc.mmap_threshold=4194304")]
    public void Plan_WhenTheEnvironmentSetsThresholds_LeavesMallocAlone(string name, string value)
    {
        Assert.Null(NativeHeapTuning.Plan(Environment((name, value)), processors: 2));
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(6, 6)]
    [InlineData(0, 1)]
    public void Plan_WithoutAnArenaLimitInTheEnvironment_CapsArenasAtOnePerCore(int processors, int arenas)
    {
        var settings = NativeHeapTuning.Plan(Environment(("PATH", "/usr/bin")), processors);

        Assert.Equal(arenas, settings!.ArenaLimit);
    }

    [Theory]
    [InlineData("MALLOC_ARENA_MAX", "2")]
    [InlineData("GLIBC_TUNABLES", "glibc.malloc.arena_max=4")]
    public void Plan_WithOnlyAnArenaLimitInTheEnvironment_FixesThresholdsAndLeavesTheLimitToIt(string name, string value)
    {
        var settings = NativeHeapTuning.Plan(Environment((name, value)), processors: 2);

        Assert.NotNull(settings);
        Assert.Null(settings.ArenaLimit);
    }

    [Fact]
    public void Apply_OnGlibc_TakesEveryValueUnlessTheEnvironmentDecides()
    {
        // The test host runs on glibc Linux; the values must be ones mallopt accepts (an arena limit is taken even
        // when the host already has more arenas: it then only stops new ones).
        var planned = NativeHeapTuning.Plan(System.Environment.GetEnvironmentVariable, System.Environment.ProcessorCount) is not null;

        Assert.Equal(planned, NativeHeapTuning.Apply());
    }

    [Fact]
    public void PrepareProcess_ForLibvips_AppliesTheHeapSettingsUnlessTheEnvironmentDecides()
    {
        var planned = NativeHeapTuning.Plan(System.Environment.GetEnvironmentVariable, System.Environment.ProcessorCount) is not null;

        Assert.Equal(planned, Thumbnailers.PrepareProcess(ImageEngine.Libvips));
    }

    [Fact]
    public void PrepareProcess_ForSkia_LeavesMallocAlone()
    {
        Assert.False(Thumbnailers.PrepareProcess(ImageEngine.Skia));
    }

    private static Func<string, string?> Environment(params (string Name, string Value)[] variables)
    {
        var map = variables.ToDictionary(v => v.Name, v => v.Value, StringComparer.Ordinal);
        return name => map.GetValueOrDefault(name);
    }
}
