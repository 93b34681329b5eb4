using ImagePattern.Imaging.Tooling;

namespace ImagePattern.Imaging.Tests.Contract;

public abstract class GeometryContract(ImageEngine engine) : EngineContract(engine)
{
    private static readonly EncodeOptions Png = new(OutputFormat.Png, 80);

    public static TheoryData<int> Orientations => [1, 2, 3, 4, 5, 6, 7, 8];

    [Theory]
    [MemberData(nameof(Orientations))]
    public void CreateThumbnails_ExifOrientation_ProducesTheUprightPicture(int orientation)
    {
        // Every sample shows the same upright 120x80 picture once its tag is applied.
        var upright = OneThumbnail(SampleImages.Create(120, 80, SampleFormat.Jpeg, new SampleImageOptions { Orientation = 1 }), 60);
        var tagged = SampleImages.Create(120, 80, SampleFormat.Jpeg, new SampleImageOptions { Orientation = orientation });

        var thumbnail = OneThumbnail(tagged, 60);

        Assert.Equal((60, 40), (thumbnail.Width, thumbnail.Height));
        Assert.True(ImageComparison.Psnr(upright.Data, thumbnail.Data) > 30, "pixels must be rotated/flipped, not just resized");
    }

    [Theory]
    [MemberData(nameof(Orientations))]
    public void CreateThumbnails_ExifOrientation_StripsTheTagFromTheOutput(int orientation)
    {
        var tagged = SampleImages.Create(120, 80, SampleFormat.Jpeg, new SampleImageOptions { Orientation = orientation });

        var thumbnail = OneThumbnail(tagged, 60, OutputFormat.Jpeg);
        var info = Thumbnailer.Probe(thumbnail.Data).Value!;

        Assert.Equal(1, info.Orientation);
        Assert.Equal((60, 40), (info.Width, info.Height));
    }

    [Fact]
    public void CreateThumbnails_SmallerThanTheBox_IsNeverEnlarged()
    {
        var small = SampleImages.Create(100, 50, SampleFormat.Jpeg);

        var thumbnail = OneThumbnail(small, 512);

        Assert.Equal((100, 50), (thumbnail.Width, thumbnail.Height));
    }

    [Fact]
    public void CreateThumbnails_OnePixelImage_StaysOnePixel()
    {
        var dot = SampleImages.Create(1, 1, SampleFormat.Png);

        var thumbnail = OneThumbnail(dot, 128);

        Assert.Equal((1, 1), (thumbnail.Width, thumbnail.Height));
    }

    [Fact]
    public void CreateThumbnails_VeryWideImage_KeepsAtLeastOneRow()
    {
        var strip = SampleImages.Create(10_000, 10, SampleFormat.Png);

        var thumbnail = OneThumbnail(strip, 128);

        Assert.Equal((128, 1), (thumbnail.Width, thumbnail.Height));
    }

    [Theory]
    [InlineData(1500, 1000, 512, 512, 512, 341)]
    [InlineData(1000, 1500, 512, 512, 341, 512)]
    [InlineData(1001, 667, 250, 250, 250, 167)]
    [InlineData(1200, 800, 300, 100, 150, 100)]
    [InlineData(800, 800, 300, 200, 200, 200)]
    public void CreateThumbnails_FitsInsideTheBoxKeepingAspectRatio(int width, int height, int boxWidth, int boxHeight, int expectedWidth, int expectedHeight)
    {
        var source = SampleImages.Create(width, height, SampleFormat.Jpeg, new SampleImageOptions { Quality = 70 });

        var result = Thumbnailer.CreateThumbnails(source, [new ThumbnailBox(boxWidth, boxHeight, "box")], Png, TestInputs.Generous);

        var thumbnail = Assert.Single(result.Value!);
        Assert.Equal((expectedWidth, expectedHeight), (thumbnail.Width, thumbnail.Height));
    }

    [Fact]
    public void CreateThumbnails_SeveralBoxes_ReturnsOnePerBoxInTheGivenOrder()
    {
        var source = SampleImages.Create(1200, 800, SampleFormat.Jpeg);
        ThumbnailBox[] boxes = [new(128, 128, "small"), new(512, 512, "large"), new(256, 256, "medium")];

        var thumbnails = Thumbnailer.CreateThumbnails(source, boxes, Png, TestInputs.Generous).Value!;

        Assert.Equal(["small", "large", "medium"], thumbnails.Select(t => t.Box.Label));
        Assert.Equal([(128, 85), (512, 341), (256, 171)], thumbnails.Select(t => (t.Width, t.Height)));
    }

    [Fact]
    public void CreateThumbnails_SmallerBoxDerivedFromALargerOne_MatchesADirectThumbnail()
    {
        var source = SampleImages.Create(1200, 800, SampleFormat.Jpeg);

        var derived = Thumbnailer.CreateThumbnails(source, [new(512, 512, "large"), new(128, 128, "small")], Png, TestInputs.Generous).Value![1];
        var direct = OneThumbnail(source, 128);

        Assert.Equal((direct.Width, direct.Height), (derived.Width, derived.Height));
        Assert.True(ImageComparison.Psnr(direct.Data, derived.Data) > 35);
    }

    [Fact]
    public void CreateThumbnails_BoxesOfDifferentShapes_EachFitsItsOwnBox()
    {
        // The 100x100 result for the wide box must not become the basis of the 300x300 one.
        var square = SampleImages.Create(1000, 1000, SampleFormat.Jpeg);
        ThumbnailBox[] boxes = [new(512, 100, "banner"), new(300, 300, "square")];

        var thumbnails = Thumbnailer.CreateThumbnails(square, boxes, Png, TestInputs.Generous).Value!;

        Assert.Equal([(100, 100), (300, 300)], thumbnails.Select(t => (t.Width, t.Height)));
    }

    [Fact]
    public void CreateThumbnails_NoBoxes_ReturnsNoThumbnails()
    {
        var source = SampleImages.Create(40, 30, SampleFormat.Jpeg);

        var result = Thumbnailer.CreateThumbnails(source, [], Png, TestInputs.Generous);

        Assert.True(result.Succeeded);
        Assert.Empty(result.Value!);
    }

}

public sealed class SkiaGeometry() : GeometryContract(ImageEngine.Skia);

public sealed class LibvipsGeometry() : GeometryContract(ImageEngine.Libvips);
