using ImagePattern.Imaging.Tooling;

namespace ImagePattern.Imaging.Tests.Contract;

public abstract class ProbeContract(ImageEngine engine) : EngineContract(engine)
{

    [Theory]
    [InlineData(SampleFormat.Jpeg, "jpeg")]
    [InlineData(SampleFormat.Png, "png")]
    [InlineData(SampleFormat.Webp, "webp")]
    [InlineData(SampleFormat.Gif, "gif")]
    public void Probe_AllowedFormat_ReportsFormatAndSize(SampleFormat format, string expected)
    {
        var info = Thumbnailer.Probe(SampleImages.Create(90, 70, format)).Value!;

        Assert.Equal((expected, 90, 70), (info.Format, info.Width, info.Height));
    }

    [Fact]
    public void Probe_RotatedJpeg_ReportsStoredSizeAndOrientation()
    {
        var jpeg = SampleImages.Create(120, 80, SampleFormat.Jpeg, new SampleImageOptions { Orientation = 6 });

        var info = Thumbnailer.Probe(jpeg).Value!;

        Assert.Equal((80, 120, 6), (info.Width, info.Height, info.Orientation));
    }

    [Theory]
    [InlineData(false, 3, false)]
    [InlineData(true, 4, true)]
    public void Probe_Png_ReportsBandsAndAlpha(bool alpha, int bands, bool hasAlpha)
    {
        var info = Thumbnailer.Probe(SampleImages.Create(30, 20, SampleFormat.Png, new SampleImageOptions { Alpha = alpha })).Value!;

        Assert.Equal((bands, hasAlpha), (info.Bands, info.HasAlpha));
    }

    [Theory]
    [InlineData(SampleFormat.Jpeg, true)]
    [InlineData(SampleFormat.Jpeg, false)]
    [InlineData(SampleFormat.Png, true)]
    [InlineData(SampleFormat.Png, false)]
    public void Probe_ReportsInterlacing(SampleFormat format, bool progressive)
    {
        var info = Thumbnailer.Probe(SampleImages.Create(40, 30, format, new SampleImageOptions { Progressive = progressive })).Value!;

        Assert.Equal(progressive, info.Interlaced);
    }

    [Fact]
    public void Probe_AnimatedGif_ReportsTheHeightOfOneFrame()
    {
        var info = Thumbnailer.Probe(SampleImages.Create(50, 30, SampleFormat.Gif, new SampleImageOptions { Frames = 4 })).Value!;

        Assert.Equal((50, 30), (info.Width, info.Height));
    }

    [Fact]
    public void Probe_PixelBombHeader_ReportsTheClaimedSizeWithoutDecoding()
    {
        var info = Thumbnailer.Probe(TestInputs.Fixture("pixel-bomb-50000x50000.png")).Value!;

        Assert.Equal(("png", 50000, 50000), (info.Format, info.Width, info.Height));
    }

    [Fact]
    public void Probe_TextFile_FailsAsUnsupportedFormat()
    {
        var result = Thumbnailer.Probe(TestInputs.Fixture("not-an-image.txt"));

        Assert.Equal(ImageFailureKind.UnsupportedFormat, result.Failure!.Kind);
    }

    [Fact]
    public void Probe_ZeroBytes_FailsAsUnsupportedFormat()
    {
        var result = Thumbnailer.Probe(ReadOnlyMemory<byte>.Empty);

        Assert.Equal(ImageFailureKind.UnsupportedFormat, result.Failure!.Kind);
    }

    [Fact]
    public void Probe_KnownSignatureWithBrokenHeader_FailsAsCorrupt()
    {
        // A PNG signature followed by garbage: the PNG loader claims it, then cannot read the header.
        byte[] broken = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10];

        var result = Thumbnailer.Probe(broken);

        Assert.Equal(ImageFailureKind.Corrupt, result.Failure!.Kind);
    }
}

public sealed class SkiaProbe() : ProbeContract(ImageEngine.Skia);

public sealed class LibvipsProbe() : ProbeContract(ImageEngine.Libvips);
