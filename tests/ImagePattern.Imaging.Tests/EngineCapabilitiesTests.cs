namespace ImagePattern.Imaging.Tests;

public sealed class EngineCapabilitiesTests
{
    [Theory]
    [InlineData("skia", ImageEngine.Skia)]
    [InlineData("LIBVIPS", ImageEngine.Libvips)]
    [InlineData(" Skia ", ImageEngine.Skia)]
    public void FindByName_IgnoresCaseAndSpace(string name, ImageEngine expected)
    {
        Assert.Equal(expected, EngineCapabilities.FindByName(name)!.Engine);
    }

    [Fact]
    public void FindByName_Unknown_IsNull()
    {
        Assert.Null(EngineCapabilities.FindByName("imagemagick"));
    }

    [Fact]
    public void Skia_DecodesTheCommonWebFormatsOnly()
    {
        Assert.Equal([".jpg", ".jpeg", ".png", ".webp", ".gif"], EngineCapabilities.Skia.InputSuffixes);
        Assert.False(EngineCapabilities.Skia.Encodes(OutputFormat.Avif));
        Assert.True(EngineCapabilities.Skia.Encodes(OutputFormat.Source));
        Assert.False(EngineCapabilities.Skia.Decodes(".TIFF"));
    }

    [Fact]
    public void Libvips_AddsTiffHeifAndAvif()
    {
        Assert.Equal([".jpg", ".jpeg", ".png", ".webp", ".gif", ".tif", ".tiff", ".avif", ".heif"], EngineCapabilities.Libvips.InputSuffixes);
        Assert.True(EngineCapabilities.Libvips.Encodes(OutputFormat.Avif));
        Assert.True(EngineCapabilities.Libvips.Decodes(".HEIF"));
        // HEVC (what a phone's .heic holds) is not decoded by this libvips build.
        Assert.False(EngineCapabilities.Libvips.Decodes(".heic"));
    }

    [Fact]
    public void Default_IsSkia()
    {
        Assert.Same(EngineCapabilities.Skia, EngineCapabilities.Default);
    }
}
