using ImagePattern.Imaging.Tooling;
using SkiaSharp;

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

    [Fact]
    public void CreateThumbnails_TinyBoxOnLargePng_KeepsTheColour()
    {
        // 1200 px to 2 px: a long chain of halvings, whose last steps average edge blocks of uneven size.
        using var flat = new SKBitmap(new SKImageInfo(1200, 1200, SKColorType.Rgba8888, SKAlphaType.Opaque));
        flat.Erase(new SKColor(240, 120, 60));
        using var png = flat.Encode(SKEncodedImageFormat.Png, 100);

        var result = thumbnailer.CreateThumbnails(png.ToArray(), [new(2, 2, "2")], new EncodeOptions(OutputFormat.Png, 90), TestInputs.Generous);

        using var thumbnail = SKBitmap.Decode(result.Value![0].Data);
        Assert.Equal((2, 2), (thumbnail.Width, thumbnail.Height));
        Assert.All(thumbnail.Pixels, pixel => Assert.Equal(new SKColor(240, 120, 60), pixel));
    }
}
