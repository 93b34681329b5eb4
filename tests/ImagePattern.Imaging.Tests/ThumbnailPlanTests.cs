using NetVips;

namespace ImagePattern.Imaging.Tests;

public sealed class ThumbnailPlanTests
{
    [Theory]
    [InlineData(6000, 4000, 1, 512, 512, 512, 341)]
    [InlineData(6000, 4000, 6, 512, 512, 341, 512)]
    [InlineData(100, 50, 1, 512, 512, 100, 50)]
    [InlineData(10_000, 10, 1, 128, 128, 128, 1)]
    [InlineData(1, 1, 1, 128, 128, 1, 1)]
    [InlineData(1200, 800, 1, 300, 100, 150, 100)]
    public void TargetSize_FitsInsideWithoutEnlarging(int width, int height, int orientation, int boxWidth, int boxHeight, int expectedWidth, int expectedHeight)
    {
        var source = new ImageInfo("jpeg", width, height, orientation, false, 3, false);

        Assert.Equal((expectedWidth, expectedHeight), ThumbnailPlan.TargetSize(source, new ThumbnailBox(boxWidth, boxHeight, "box")));
    }

    [Fact]
    public void TargetSize_AgreesWithLibVipsOwnThumbnailSizing()
    {
        var random = new Random(20240611);
        for (var i = 0; i < 300; i++)
        {
            var (width, height) = (random.Next(1, 9000), random.Next(1, 9000));
            var box = new ThumbnailBox(random.Next(1, 1000), random.Next(1, 1000), "box");
            using var blank = Image.Black(width, height);
            using var thumbnail = blank.ThumbnailImage(box.Width, height: box.Height, size: Enums.Size.Down);

            var planned = ThumbnailPlan.TargetSize(new ImageInfo("png", width, height, 1, false, 1, false), box);

            Assert.Equal((thumbnail.Width, thumbnail.Height), planned);
        }
    }

    [Theory]
    [InlineData(6000, 4000, 512, 341, 8)]
    [InlineData(3000, 2000, 512, 341, 4)]
    [InlineData(1500, 1000, 512, 341, 2)]
    [InlineData(1000, 667, 512, 341, 1)]
    [InlineData(4095, 4095, 512, 512, 4)]
    public void JpegShrink_PicksTheLargestFactorThatStillCoversTheTarget(int width, int height, int targetWidth, int targetHeight, int expected)
    {
        var source = new ImageInfo("jpeg", width, height, 1, false, 3, false);

        Assert.Equal(expected, ThumbnailPlan.JpegShrink(source, (targetWidth, targetHeight)));
    }
}
