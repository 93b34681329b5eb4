using ImagePattern.Imaging.LibVips;
using NetVips;
using Vips = NetVips.NetVips;

namespace ImagePattern.Imaging.Tests.LibVips;

/// <summary>libvips' process-wide settings. SkiaSharp has no loader plugins, cache or worker pool to set.</summary>
public sealed class LibVipsRuntimeTests
{
    [Theory]
    [InlineData("jpegload_buffer")]
    [InlineData("pngload_buffer")]
    [InlineData("webpload_buffer")]
    [InlineData("gifload_buffer")]
    [InlineData("heifload_buffer")]
    [InlineData("tiffload_buffer")]
    [InlineData("jpegsave_buffer")]
    public void EnsureInitialized_AllowedLoadersAndSavers_AreNotBlocked(string operation)
    {
        LibVipsRuntime.EnsureInitialized();

        Assert.False(IsBlocked(operation));
    }

    [Theory]
    [InlineData("svgload_buffer")]
    [InlineData("uhdrload_buffer")]
    [InlineData("matrixload_source")]
    [InlineData("csvload_source")]
    [InlineData("vipsload_source")]
    [InlineData("rawload")]
    public void EnsureInitialized_LoaderOutsideTheAllowList_IsBlocked(string loader)
    {
        LibVipsRuntime.EnsureInitialized();

        Assert.True(IsBlocked(loader));
    }

    [Fact]
    public void EnsureInitialized_RunsOneLibVipsWorkerPerImageWithTheCacheOff()
    {
        LibVipsRuntime.EnsureInitialized();

        Assert.Equal((1, 0, 0UL, 0), (Vips.Concurrency, Cache.Max, Cache.MaxMem, Cache.MaxFiles));
    }

    [Fact]
    public void EnsureInitialized_CalledConcurrently_LeavesLibVipsUsable()
    {
        Parallel.For(0, 16, _ => LibVipsRuntime.EnsureInitialized());

        Assert.StartsWith("8.18.", LibVipsRuntime.Version, StringComparison.Ordinal);
    }

    private static bool IsBlocked(string nickname)
    {
        using var operation = Operation.NewFromName(nickname);
        return (operation.GetFlags() & Enums.OperationFlags.BLOCKED) != 0;
    }
}
