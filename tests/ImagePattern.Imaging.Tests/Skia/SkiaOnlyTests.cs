using ImagePattern.Imaging.Tooling;

namespace ImagePattern.Imaging.Tests.Skia;

/// <summary>Where the SkiaSharp engine differs from the libvips one, and says so.</summary>
public sealed class SkiaOnlyTests
{
    private readonly IThumbnailer thumbnailer = Thumbnailers.Create(ImageEngine.Skia);

    [Fact]
    public void CreateThumbnails_AvifRequested_IsACallerErrorBecauseConfigurationRefusesIt()
    {
        var jpeg = SampleImages.Create(40, 30, SampleFormat.Jpeg);

        Assert.Throws<NotSupportedException>(
            () => thumbnailer.CreateThumbnails(jpeg, [new(16, 16, "16")], new EncodeOptions(OutputFormat.Avif, 80), TestInputs.Generous));
    }

    [Theory]
    [InlineData(SampleFormat.Tiff)]
    [InlineData(SampleFormat.Avif)]
    public void CreateThumbnails_FormatsSkiaDoesNotRead_FailAsUnsupported(SampleFormat format)
    {
        // The configuration keeps these suffixes out of IMAGE_SUFFIXES for skia; bytes that still arrive are refused.
        var result = thumbnailer.CreateThumbnails(SampleImages.Create(40, 30, format), [new(16, 16, "16")], new EncodeOptions(OutputFormat.Webp, 80), TestInputs.Generous);

        Assert.Equal(ImageFailureKind.UnsupportedFormat, result.Failure!.Kind);
    }

    [Fact]
    public void CreateThumbnails_ProgressiveJpegLackingItsEndMarker_FailsAsCorrupt()
    {
        // SkiaSharp does not surface libjpeg's warnings and reads a progressive file's scans before any row, so
        // whether such a file is whole cannot be told here; it is refused rather than shown with grey bands.
        var whole = SampleImages.Create(400, 300, SampleFormat.Jpeg, new SampleImageOptions { Progressive = true });

        var result = thumbnailer.CreateThumbnails(whole.AsMemory(0, whole.Length - 2), [new(64, 64, "64")], new EncodeOptions(OutputFormat.Png, 90), TestInputs.Generous);

        Assert.Equal(ImageFailureKind.Corrupt, result.Failure!.Kind);
    }
}
