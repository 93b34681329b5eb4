using System.Drawing;
using ImagePattern.Imaging.LibVips;
using ImagePattern.Imaging.Tooling;

namespace ImagePattern.Imaging.Tests.Tooling;

public sealed class ContactSheetTests
{
    [Fact]
    public void Compose_LaysImagesOutInTheGivenColumnsWithSpacing()
    {
        var tile = SampleImages.Create(100, 50, SampleFormat.Jpeg);

        var sheet = ContactSheet.Compose([tile, tile, tile], columns: 2, spacing: 8);

        // Two columns and two rows of 100x50 cells, 8 px between cells and around the edge.
        var info = new VipsThumbnailer().Probe(sheet).Value!;
        Assert.Equal(("png", 8 + 100 + 8 + 100 + 8, 8 + 50 + 8 + 50 + 8), (info.Format, info.Width, info.Height));
    }

    [Fact]
    public void Compose_MixedSizesAndFormats_CentresEachInACellOfTheLargest()
    {
        byte[][] images =
        [
            SampleImages.Create(120, 40, SampleFormat.Webp),
            SampleImages.Create(30, 90, SampleFormat.Png, new SampleImageOptions { Alpha = true }),
            SampleImages.Create(50, 50, SampleFormat.Gif),
        ];

        var sheet = ContactSheet.Compose(images, columns: 3, spacing: 0);

        var info = new VipsThumbnailer().Probe(sheet).Value!;
        Assert.Equal((3 * 120, 90), (info.Width, info.Height));
    }

    [Fact]
    public void Compose_Background_FillsTheMargins()
    {
        var tile = SampleImages.Create(40, 40, SampleFormat.Jpeg);

        var sheet = ContactSheet.Compose([tile], columns: 1, background: Color.FromArgb(200, 100, 50), spacing: 10);

        using var decoded = TestInputs.DecodeRaw(sheet);
        using var margin = VipsOperation.Run("extract_area", op => op
            .Set("input", decoded).Set("left", 0).Set("top", 0).Set("width", decoded.Width).Set("height", 10));
        using var red = VipsOperation.Run("extract_band", op => op.Set("in", margin).Set("band", 0));
        using var average = VipsOperation.Create("avg").Set("in", red).Build();
        Assert.Equal(200.0, average.GetDouble("out"));
    }

    [Fact]
    public void Compose_NoImages_Throws()
    {
        Assert.Throws<ArgumentException>(() => ContactSheet.Compose([], columns: 2));
    }
}
