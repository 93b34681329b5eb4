using ImagePattern.Imaging.Tooling;

namespace ImagePattern.Imaging.Tests.Contract;

public abstract class GuardRailContract(ImageEngine engine) : EngineContract(engine)
{
    private static readonly ThumbnailBox[] Boxes = [new(32, 32, "32x32")];
    private static readonly EncodeOptions Webp = new(OutputFormat.Webp, 80);

    [Fact]
    public void CreateThumbnails_ZeroBytes_FailsAsUnsupportedFormat()
    {
        var result = Thumbnailer.CreateThumbnails(ReadOnlyMemory<byte>.Empty, Boxes, Webp, TestInputs.Generous);

        Assert.False(result.Succeeded);
        Assert.Equal(ImageFailureKind.UnsupportedFormat, result.Failure!.Kind);
    }

    [Fact]
    public void CreateThumbnails_TextFile_FailsAsUnsupportedFormatSayingSo()
    {
        var result = Thumbnailer.CreateThumbnails(TestInputs.Fixture("not-an-image.txt"), Boxes, Webp, TestInputs.Generous);

        Assert.Equal(ImageFailureKind.UnsupportedFormat, result.Failure!.Kind);
        Assert.Contains("not in a known format", result.Failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CreateThumbnails_SvgWhoseLoaderIsBlocked_FailsAsUnsupportedFormat()
    {
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"40\" height=\"20\"><rect width=\"40\" height=\"20\" fill=\"red\"/></svg>"u8.ToArray();

        var result = Thumbnailer.CreateThumbnails(svg, Boxes, Webp, TestInputs.Generous);

        Assert.Equal(ImageFailureKind.UnsupportedFormat, result.Failure!.Kind);
    }

    [Theory]
    [InlineData(16)] // decoded at a DCT scale (libvips: shrink-on-load)
    [InlineData(64)] // decoded at full size
    public void CreateThumbnails_TruncatedJpeg_FailsAsCorrupt(int boxSize)
    {
        var truncated = TestInputs.Fixture("truncated.jpg");
        Assert.True(Thumbnailer.Probe(truncated).Succeeded, "the header of the truncated fixture is intact");

        var result = Thumbnailer.CreateThumbnails(truncated, [new ThumbnailBox(boxSize, boxSize, "box")], Webp, TestInputs.Generous);

        Assert.Equal(ImageFailureKind.Corrupt, result.Failure!.Kind);
        Assert.False(string.IsNullOrWhiteSpace(result.Failure.Message));
    }

    [Fact]
    public void CreateThumbnails_HeaderClaiming50000x50000_FailsAsTooManyPixelsBeforeDecoding()
    {
        var bomb = TestInputs.Fixture("pixel-bomb-50000x50000.png");

        var result = Thumbnailer.CreateThumbnails(bomb, Boxes, Webp, TestInputs.Generous);

        Assert.Equal(ImageFailureKind.TooManyPixels, result.Failure!.Kind);
        Assert.Contains("50000x50000", result.Failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CreateThumbnails_PixelBombWithinBudget_IsOnlyCaughtByDecoding()
    {
        // Control for the test above: the fixture's pixel data is unusable, so a TooManyPixels result
        // there can only come from the header probe.
        var bomb = TestInputs.Fixture("pixel-bomb-50000x50000.png");
        var unlimited = new ImageLimits(long.MaxValue, long.MaxValue, long.MaxValue);

        var result = Thumbnailer.CreateThumbnails(bomb, Boxes, Webp, unlimited);

        Assert.Equal(ImageFailureKind.Corrupt, result.Failure!.Kind);
    }

    [Fact]
    public void CreateThumbnails_MoreBytesThanAllowed_FailsAsTooManyBytes()
    {
        var jpeg = SampleImages.Create(40, 30, SampleFormat.Jpeg);

        var over = Thumbnailer.CreateThumbnails(jpeg, Boxes, Webp, TestInputs.Generous with { MaxBytes = jpeg.Length - 1 });
        var exact = Thumbnailer.CreateThumbnails(jpeg, Boxes, Webp, TestInputs.Generous with { MaxBytes = jpeg.Length });

        Assert.Equal(ImageFailureKind.TooManyBytes, over.Failure!.Kind);
        Assert.True(exact.Succeeded);
    }

    [Theory]
    [InlineData(SampleFormat.Jpeg)]
    [InlineData(SampleFormat.Png)]
    public void CreateThumbnails_InterlacedImage_UsesTheLowerInterlacedBudget(SampleFormat format)
    {
        var limits = new ImageLimits(MaxBytes: 10_000_000, MaxPixels: 1_000_000, MaxInterlacedPixels: 5_000);
        var interlaced = SampleImages.Create(100, 100, format, new SampleImageOptions { Progressive = true });
        var plain = SampleImages.Create(100, 100, format);

        var interlacedResult = Thumbnailer.CreateThumbnails(interlaced, Boxes, Webp, limits);
        var plainResult = Thumbnailer.CreateThumbnails(plain, Boxes, Webp, limits);

        Assert.Equal(ImageFailureKind.TooManyPixels, interlacedResult.Failure!.Kind);
        Assert.Contains("interlaced", interlacedResult.Failure.Message, StringComparison.Ordinal);
        Assert.True(plainResult.Succeeded);
    }

    [Fact]
    public void CreateThumbnails_ExactlyAtThePixelBudget_Succeeds()
    {
        var jpeg = SampleImages.Create(50, 40, SampleFormat.Jpeg);

        var atLimit = Thumbnailer.CreateThumbnails(jpeg, Boxes, Webp, TestInputs.Generous with { MaxPixels = 2_000 });
        var belowLimit = Thumbnailer.CreateThumbnails(jpeg, Boxes, Webp, TestInputs.Generous with { MaxPixels = 1_999 });

        Assert.True(atLimit.Succeeded);
        Assert.Equal(ImageFailureKind.TooManyPixels, belowLimit.Failure!.Kind);
    }

    [Fact]
    public void CreateThumbnails_QualityOutOfRange_IsACallerErrorNotAnImageFailure()
    {
        var jpeg = SampleImages.Create(40, 30, SampleFormat.Jpeg);

        Assert.Throws<ArgumentOutOfRangeException>(
            () => Thumbnailer.CreateThumbnails(jpeg, Boxes, new EncodeOptions(OutputFormat.Jpeg, 0), TestInputs.Generous));
    }

    [Fact]
    public void CreateThumbnails_EmptyBox_IsACallerError()
    {
        var jpeg = SampleImages.Create(40, 30, SampleFormat.Jpeg);

        Assert.Throws<ArgumentOutOfRangeException>(
            () => Thumbnailer.CreateThumbnails(jpeg, [new ThumbnailBox(0, 10, "0x10")], Webp, TestInputs.Generous));
    }
}

public sealed class SkiaGuardRails() : GuardRailContract(ImageEngine.Skia);

public sealed class LibvipsGuardRails() : GuardRailContract(ImageEngine.Libvips);
