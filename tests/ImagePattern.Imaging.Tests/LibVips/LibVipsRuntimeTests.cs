using ImagePattern.Imaging.LibVips;

namespace ImagePattern.Imaging.Tests.LibVips;

public sealed class LibVipsRuntimeTests
{
    [Theory]
    [InlineData("jpegload_buffer")]
    [InlineData("pngload_buffer")]
    [InlineData("webpload_buffer")]
    [InlineData("gifload_buffer")]
    [InlineData("heifload_buffer")]
    [InlineData("tiffload_buffer")]
    public void EnsureInitialized_AllowedLoader_IsNotBlocked(string loader)
    {
        using var op = VipsOperation.Create(loader);

        Assert.False(op.IsBlocked);
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
        using var op = VipsOperation.Create(loader);

        Assert.True(op.IsBlocked);
    }

    [Fact]
    public void EnsureInitialized_SavesAndOtherOperations_StayAvailable()
    {
        using var op = VipsOperation.Create("jpegsave_buffer");

        Assert.False(op.IsBlocked);
    }

    [Fact]
    public void EnsureInitialized_RunsOneLibVipsWorkerPerImage()
    {
        LibVipsRuntime.EnsureInitialized();

        Assert.Equal(1, LibVipsNative.vips_concurrency_get());
    }

    [Fact]
    public void EnsureInitialized_CalledConcurrently_LeavesLibVipsUsable()
    {
        Parallel.For(0, 16, _ => LibVipsRuntime.EnsureInitialized());

        Assert.StartsWith("8.18.", LibVipsRuntime.Version, StringComparison.Ordinal);
    }
}
