using ImagePattern.Imaging.Tooling;

namespace ImagePattern.Imaging.Tests.Tooling;

public sealed class ImageComparisonTests
{
    [Fact]
    public void Psnr_SamePixelsInDifferentLosslessFormats_IsInfinite()
    {
        var png = SampleImages.Create(64, 48, SampleFormat.Png);
        var tiff = SampleImages.Create(64, 48, SampleFormat.Tiff);

        Assert.Equal(double.PositiveInfinity, ImageComparison.Psnr(png, tiff));
    }

    [Fact]
    public void Psnr_FallsAsJpegQualityFalls()
    {
        var original = SampleImages.Create(128, 96, SampleFormat.Png);
        var fine = SampleImages.Create(128, 96, SampleFormat.Jpeg, new SampleImageOptions { Quality = 95 });
        var coarse = SampleImages.Create(128, 96, SampleFormat.Jpeg, new SampleImageOptions { Quality = 20 });

        var finePsnr = ImageComparison.Psnr(original, fine);
        var coarsePsnr = ImageComparison.Psnr(original, coarse);

        Assert.InRange(finePsnr, 30, 60);
        Assert.True(coarsePsnr < finePsnr - 5, $"q20 {coarsePsnr:F1} dB should be well below q95 {finePsnr:F1} dB");
    }

    [Fact]
    public void Psnr_OrientationTag_IsAppliedBeforeComparing()
    {
        var upright = SampleImages.Create(60, 40, SampleFormat.Png);
        var tagged = SampleImages.Create(60, 40, SampleFormat.Png, new SampleImageOptions { Orientation = 8 });

        Assert.Equal(double.PositiveInfinity, ImageComparison.Psnr(upright, tagged));
    }

    [Fact]
    public void Psnr_DifferentSizes_Throws()
    {
        var small = SampleImages.Create(60, 40, SampleFormat.Png);
        var large = SampleImages.Create(61, 40, SampleFormat.Png);

        Assert.Throws<ArgumentException>(() => ImageComparison.Psnr(small, large));
    }

    [Fact]
    public void Psnr_NotAnImage_Throws()
    {
        var png = SampleImages.Create(60, 40, SampleFormat.Png);

        Assert.Throws<ArgumentException>(() => ImageComparison.Psnr(png, TestInputs.Fixture("not-an-image.txt")));
    }
}
