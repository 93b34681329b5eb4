using NetVips;
using ImagePattern.Imaging.Tooling;

namespace ImagePattern.Imaging.Tests.Contract;

public abstract class FormatContract(ImageEngine engine) : EngineContract(engine)
{
    private static readonly ThumbnailBox[] Box = [new(64, 64, "64x64")];

    [Theory]
    [InlineData(OutputFormat.Webp, "webp", "image/webp", "webp")]
    [InlineData(OutputFormat.Jpeg, "jpeg", "image/jpeg", "jpg")]
    [InlineData(OutputFormat.Png, "png", "image/png", "png")]
    public void CreateThumbnails_EachOutputFormat_DecodesBackWithTheRightFormatAndSize(
        OutputFormat format, string probedFormat, string contentType, string extension)
    {
        var source = SampleImages.Create(160, 120, SampleFormat.Jpeg);

        var thumbnail = OneThumbnail(source, format);
        var info = Thumbnailer.Probe(thumbnail.Data).Value!;

        Assert.Equal(format, thumbnail.Format);
        Assert.Equal((probedFormat, 64, 48), (info.Format, info.Width, info.Height));
        Assert.Equal((contentType, extension), (thumbnail.ContentType, thumbnail.Extension));
    }

    [Theory]
    [InlineData(SampleFormat.Jpeg, false, OutputFormat.Jpeg)]
    [InlineData(SampleFormat.Png, false, OutputFormat.Png)]
    [InlineData(SampleFormat.Webp, false, OutputFormat.Webp)]
    [InlineData(SampleFormat.Gif, false, OutputFormat.Jpeg)]
    [InlineData(SampleFormat.Gif, true, OutputFormat.Png)]
    public void CreateThumbnails_SourceFormat_KeepsWritableFormatsAndFallsBackByAlpha(SampleFormat sourceFormat, bool alpha, OutputFormat expected)
    {
        var source = SampleImages.Create(80, 60, sourceFormat, new SampleImageOptions { Alpha = alpha });

        var thumbnail = OneThumbnail(source, OutputFormat.Source);

        Assert.Equal(expected, thumbnail.Format);
        Assert.True(Thumbnailer.Probe(thumbnail.Data).Succeeded);
    }

    [Fact]
    public void CreateThumbnails_AlphaPngToWebp_KeepsAlpha()
    {
        var source = SampleImages.Create(120, 90, SampleFormat.Png, new SampleImageOptions { Alpha = true });

        var info = Thumbnailer.Probe(OneThumbnail(source, OutputFormat.Webp).Data).Value!;

        Assert.True(info.HasAlpha);
        Assert.Equal(4, info.Bands);
    }

    [Fact]
    public void CreateThumbnails_AlphaPngToJpeg_FlattensOntoWhite()
    {
        var source = SampleImages.Create(120, 90, SampleFormat.Png, new SampleImageOptions { Alpha = true });

        var jpeg = OneThumbnail(source, OutputFormat.Jpeg);
        var png = OneThumbnail(source, OutputFormat.Png);
        var info = Thumbnailer.Probe(jpeg.Data).Value!;

        Assert.Equal((3, false), (info.Bands, info.HasAlpha));
        // The comparison flattens the PNG onto white: a JPEG flattened onto any other colour would differ badly.
        Assert.True(ImageComparison.Psnr(png.Data, jpeg.Data) > 30);
    }

    [Theory]
    [InlineData(OutputFormat.Png)]
    [InlineData(OutputFormat.Webp)]
    public void CreateThumbnails_SixteenBitPng_WritesEightBitThumbnails(OutputFormat format)
    {
        var source = SampleImages.Create(100, 80, SampleFormat.Png, new SampleImageOptions { SixteenBit = true });
        using (var raw = TestInputs.DecodeRaw(source))
        {
            Assert.Equal(Enums.BandFormat.Ushort, raw.Format);
        }

        var thumbnail = OneThumbnail(source, format);

        using var decoded = TestInputs.DecodeRaw(thumbnail.Data);
        Assert.Equal(Enums.BandFormat.Uchar, decoded.Format);
        Assert.Equal((64, 51), (decoded.Width, decoded.Height));
    }

    [Fact]
    public void CreateThumbnails_SixteenBitPng_LooksLikeTheEightBitOriginal()
    {
        var wide = SampleImages.Create(100, 80, SampleFormat.Png, new SampleImageOptions { SixteenBit = true });
        var narrow = SampleImages.Create(100, 80, SampleFormat.Png);

        Assert.True(ImageComparison.Psnr(OneThumbnail(narrow, OutputFormat.Png).Data, OneThumbnail(wide, OutputFormat.Png).Data) > 40);
    }

    [Theory]
    [InlineData(OutputFormat.Jpeg)]
    [InlineData(OutputFormat.Webp)]
    public void CreateThumbnails_CmykJpeg_BecomesRgb(OutputFormat format)
    {
        var source = SampleImages.Create(120, 80, SampleFormat.Jpeg, new SampleImageOptions { Cmyk = true });

        var thumbnail = OneThumbnail(source, format);

        using var decoded = TestInputs.DecodeRaw(thumbnail.Data);
        Assert.Equal((3, Enums.Interpretation.Srgb), (decoded.Bands, decoded.Interpretation));
    }

    [Theory]
    [InlineData(OutputFormat.Jpeg)]
    [InlineData(OutputFormat.Png)]
    public void CreateThumbnails_CmykJpegWithoutProfile_BecomesRgb(OutputFormat format)
    {
        using var cmyk = TestInputs.DecodeRaw(SampleImages.Create(120, 80, SampleFormat.Jpeg, new SampleImageOptions { Cmyk = true }));
        var bare = cmyk.JpegsaveBuffer(keep: Enums.ForeignKeep.None);
        using (var check = TestInputs.DecodeRaw(bare))
        {
            Assert.Equal((4, false), (check.Bands, check.Contains("icc-profile-data")));
        }

        using var decoded = TestInputs.DecodeRaw(OneThumbnail(bare, format).Data);

        Assert.Equal((3, Enums.Interpretation.Srgb), (decoded.Bands, decoded.Interpretation));
    }

    [Fact]
    public void CreateThumbnails_CmykJpeg_KeepsTheColours()
    {
        var rgb = SampleImages.Create(120, 80, SampleFormat.Jpeg);
        var cmyk = SampleImages.Create(120, 80, SampleFormat.Jpeg, new SampleImageOptions { Cmyk = true });

        // Round trip through a print profile loses gamut, but the picture stays the same.
        Assert.True(ImageComparison.Psnr(OneThumbnail(rgb, OutputFormat.Png).Data, OneThumbnail(cmyk, OutputFormat.Png).Data) > 20);
    }

    [Theory]
    [InlineData(OutputFormat.Jpeg)]
    [InlineData(OutputFormat.Png)]
    [InlineData(OutputFormat.Webp)]
    public void CreateThumbnails_Grayscale_StaysGrey(OutputFormat format)
    {
        var source = SampleImages.Create(120, 80, SampleFormat.Jpeg, new SampleImageOptions { Grayscale = true });

        var thumbnail = OneThumbnail(source, format);

        using var decoded = TestInputs.DecodeRaw(thumbnail.Data);
        // One band (libvips keeps grey JPEG and PNG grey) or three equal ones (SkiaSharp writes RGB).
        using var colour = decoded.Bands >= 3 ? decoded.ExtractBand(0, 3) : decoded.Colourspace(Enums.Interpretation.Srgb);
        Assert.True(colour[0].Subtract(colour[1]).Abs().Max() <= 3, "red and green stay equal");
        Assert.True(colour[2].Subtract(colour[1]).Abs().Max() <= 3, "blue and green stay equal");
        Assert.Equal((64, 43), (decoded.Width, decoded.Height));
    }

    [Fact]
    public void CreateThumbnails_AnimatedGif_UsesTheFirstFrame()
    {
        var gif = SampleImages.Create(60, 40, SampleFormat.Gif, new SampleImageOptions { Frames = 3 });
        var firstFrame = SampleImages.Create(60, 40, SampleFormat.Gif);

        var thumbnail = OneThumbnail(gif, OutputFormat.Png);

        Assert.Equal((60, 40), (thumbnail.Width, thumbnail.Height));
        Assert.True(ImageComparison.Psnr(OneThumbnail(firstFrame, OutputFormat.Png).Data, thumbnail.Data) > 25);
    }

    [Fact]
    public void CreateThumbnails_EmbeddedWideGamutProfile_IsConvertedToSrgb()
    {
        var srgb = SampleImages.Create(120, 80, SampleFormat.Png);
        var p3 = SampleImages.Create(120, 80, SampleFormat.Png, new SampleImageOptions { DisplayP3 = true });
        Assert.True(ImageComparison.Psnr(srgb, p3) < 40, "control: P3 numbers read as sRGB look different");

        var fromSrgb = OneThumbnail(srgb, OutputFormat.Png);
        var fromP3 = OneThumbnail(p3, OutputFormat.Png);

        Assert.True(ImageComparison.Psnr(fromSrgb.Data, fromP3.Data) > 48);
    }

    [Theory]
    [InlineData(50)]
    [InlineData(95)]
    public void CreateThumbnails_Jpeg_SubsamplesChromaAtEveryQuality(int quality)
    {
        var source = SampleImages.Create(160, 120, SampleFormat.Png);

        var result = Thumbnailer.CreateThumbnails(source, Box, new EncodeOptions(OutputFormat.Jpeg, quality), TestInputs.Generous);

        using var decoded = TestInputs.DecodeRaw(result.Value![0].Data);
        Assert.Equal("4:2:0", (string)decoded.Get("jpeg-chroma-subsample"));
    }

    [Fact]
    public void CreateThumbnails_HigherQuality_GivesLargerFiles()
    {
        var source = SampleImages.Create(400, 300, SampleFormat.Png);

        var low = OneThumbnail(source, OutputFormat.Webp, quality: 30);
        var high = OneThumbnail(source, OutputFormat.Webp, quality: 95);

        Assert.True(high.Data.Length > low.Data.Length);
    }

    [Fact]
    public void CreateThumbnails_Output_CarriesNoMetadata()
    {
        var source = SampleImages.Create(160, 120, SampleFormat.Jpeg, new SampleImageOptions { Orientation = 6 });

        var thumbnail = OneThumbnail(source, OutputFormat.Jpeg);

        using var decoded = TestInputs.DecodeRaw(thumbnail.Data);
        Assert.False(decoded.Contains("exif-data"));
        Assert.False(decoded.Contains("icc-profile-data"));
        Assert.False(decoded.Contains("xmp-data"));
    }

    [Fact]
    public void CreateThumbnails_Webp_IsAcceptedAsInput()
    {
        var source = SampleImages.Create(160, 120, SampleFormat.Webp, new SampleImageOptions { Alpha = true });

        var thumbnail = OneThumbnail(source, OutputFormat.Webp);

        Assert.Equal((64, 48), (thumbnail.Width, thumbnail.Height));
    }

    private Thumbnail OneThumbnail(byte[] source, OutputFormat format, int quality = 85) => OneThumbnail(source, 64, format, quality);
}

public sealed class SkiaFormats() : FormatContract(ImageEngine.Skia);

public sealed class LibvipsFormats() : FormatContract(ImageEngine.Libvips);
