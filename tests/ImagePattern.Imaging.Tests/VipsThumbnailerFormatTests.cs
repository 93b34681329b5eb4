using ImagePattern.Imaging.LibVips;
using ImagePattern.Imaging.Tooling;

namespace ImagePattern.Imaging.Tests;

public sealed class VipsThumbnailerFormatTests
{
    private static readonly ThumbnailBox[] Box = [new(64, 64, "64x64")];
    private readonly VipsThumbnailer thumbnailer = new();

    [Theory]
    [InlineData(OutputFormat.Webp, "webp", "image/webp", "webp")]
    [InlineData(OutputFormat.Jpeg, "jpeg", "image/jpeg", "jpg")]
    [InlineData(OutputFormat.Png, "png", "image/png", "png")]
    [InlineData(OutputFormat.Avif, "heif", "image/avif", "avif")]
    public void CreateThumbnails_EachOutputFormat_DecodesBackWithTheRightFormatAndSize(
        OutputFormat format, string probedFormat, string contentType, string extension)
    {
        var source = SampleImages.Create(160, 120, SampleFormat.Jpeg);

        var thumbnail = Single(source, format);
        var info = thumbnailer.Probe(thumbnail.Data).Value!;

        Assert.Equal(format, thumbnail.Format);
        Assert.Equal((probedFormat, 64, 48), (info.Format, info.Width, info.Height));
        Assert.Equal((contentType, extension), (thumbnail.ContentType, thumbnail.Extension));
    }

    [Theory]
    [InlineData(SampleFormat.Jpeg, false, OutputFormat.Jpeg)]
    [InlineData(SampleFormat.Png, false, OutputFormat.Png)]
    [InlineData(SampleFormat.Webp, false, OutputFormat.Webp)]
    [InlineData(SampleFormat.Avif, false, OutputFormat.Avif)]
    [InlineData(SampleFormat.Tiff, false, OutputFormat.Jpeg)]
    [InlineData(SampleFormat.Tiff, true, OutputFormat.Png)]
    [InlineData(SampleFormat.Gif, false, OutputFormat.Jpeg)]
    [InlineData(SampleFormat.Gif, true, OutputFormat.Png)]
    public void CreateThumbnails_SourceFormat_KeepsWritableFormatsAndFallsBackByAlpha(SampleFormat sourceFormat, bool alpha, OutputFormat expected)
    {
        var source = SampleImages.Create(80, 60, sourceFormat, new SampleImageOptions { Alpha = alpha });

        var thumbnail = Single(source, OutputFormat.Source);

        Assert.Equal(expected, thumbnail.Format);
        Assert.True(thumbnailer.Probe(thumbnail.Data).Succeeded);
    }

    [Fact]
    public void CreateThumbnails_AlphaPngToWebp_KeepsAlpha()
    {
        var source = SampleImages.Create(120, 90, SampleFormat.Png, new SampleImageOptions { Alpha = true });

        var info = thumbnailer.Probe(Single(source, OutputFormat.Webp).Data).Value!;

        Assert.True(info.HasAlpha);
        Assert.Equal(4, info.Bands);
    }

    [Fact]
    public void CreateThumbnails_AlphaPngToJpeg_FlattensOntoWhite()
    {
        var source = SampleImages.Create(120, 90, SampleFormat.Png, new SampleImageOptions { Alpha = true });

        var jpeg = Single(source, OutputFormat.Jpeg);
        var png = Single(source, OutputFormat.Png);
        var info = thumbnailer.Probe(jpeg.Data).Value!;

        Assert.Equal((3, false), (info.Bands, info.HasAlpha));
        // The comparison flattens the PNG onto white: a JPEG flattened onto any other colour would differ badly.
        Assert.True(ImageComparison.Psnr(png.Data, jpeg.Data) > 30);
    }

    [Theory]
    [InlineData(OutputFormat.Png)]
    [InlineData(OutputFormat.Webp)]
    [InlineData(OutputFormat.Avif)]
    public void CreateThumbnails_SixteenBitPng_WritesEightBitThumbnails(OutputFormat format)
    {
        var source = SampleImages.Create(100, 80, SampleFormat.Png, new SampleImageOptions { SixteenBit = true });
        using (var raw = TestInputs.DecodeRaw(source))
        {
            Assert.Equal(VipsBandFormat.UShort, raw.BandFormat);
        }

        var thumbnail = Single(source, format);

        using var decoded = TestInputs.DecodeRaw(thumbnail.Data);
        Assert.Equal(VipsBandFormat.UChar, decoded.BandFormat);
        Assert.Equal((64, 51), (decoded.Width, decoded.Height));
    }

    [Fact]
    public void CreateThumbnails_SixteenBitPng_LooksLikeTheEightBitOriginal()
    {
        var wide = SampleImages.Create(100, 80, SampleFormat.Png, new SampleImageOptions { SixteenBit = true });
        var narrow = SampleImages.Create(100, 80, SampleFormat.Png);

        Assert.True(ImageComparison.Psnr(Single(narrow, OutputFormat.Png).Data, Single(wide, OutputFormat.Png).Data) > 40);
    }

    [Theory]
    [InlineData(OutputFormat.Jpeg)]
    [InlineData(OutputFormat.Webp)]
    public void CreateThumbnails_CmykJpeg_BecomesRgb(OutputFormat format)
    {
        var source = SampleImages.Create(120, 80, SampleFormat.Jpeg, new SampleImageOptions { Cmyk = true });
        Assert.Equal(4, thumbnailer.Probe(source).Value!.Bands);

        var thumbnail = Single(source, format);

        using var decoded = TestInputs.DecodeRaw(thumbnail.Data);
        Assert.Equal((3, VipsInterpretation.Srgb), (decoded.Bands, decoded.Interpretation));
    }

    [Theory]
    [InlineData(OutputFormat.Jpeg)]
    [InlineData(OutputFormat.Png)]
    public void CreateThumbnails_CmykJpegWithoutProfile_BecomesRgb(OutputFormat format)
    {
        using var cmyk = TestInputs.DecodeRaw(SampleImages.Create(120, 80, SampleFormat.Jpeg, new SampleImageOptions { Cmyk = true }));
        using var save = VipsOperation.Create("jpegsave_buffer").Set("in", cmyk).SetEnum("keep", "none").Build();
        var bare = save.GetBytes("buffer");
        using (var check = TestInputs.DecodeRaw(bare))
        {
            Assert.Equal((4, false), (check.Bands, check.Has("icc-profile-data")));
        }

        using var decoded = TestInputs.DecodeRaw(Single(bare, format).Data);

        Assert.Equal((3, VipsInterpretation.Srgb), (decoded.Bands, decoded.Interpretation));
    }

    [Fact]
    public void CreateThumbnails_CmykJpeg_KeepsTheColours()
    {
        var rgb = SampleImages.Create(120, 80, SampleFormat.Jpeg);
        var cmyk = SampleImages.Create(120, 80, SampleFormat.Jpeg, new SampleImageOptions { Cmyk = true });

        // Round trip through a print profile loses gamut, but the picture stays the same.
        Assert.True(ImageComparison.Psnr(Single(rgb, OutputFormat.Png).Data, Single(cmyk, OutputFormat.Png).Data) > 20);
    }

    [Theory]
    [InlineData(OutputFormat.Jpeg, 1)]
    [InlineData(OutputFormat.Png, 1)]
    [InlineData(OutputFormat.Webp, 3)]
    public void CreateThumbnails_Grayscale_StaysGrey(OutputFormat format, int expectedBands)
    {
        var source = SampleImages.Create(120, 80, SampleFormat.Jpeg, new SampleImageOptions { Grayscale = true });

        var thumbnail = Single(source, format);

        using var decoded = TestInputs.DecodeRaw(thumbnail.Data);
        Assert.Equal(expectedBands, decoded.Bands);
        Assert.Equal((64, 43), (decoded.Width, decoded.Height));
    }

    [Fact]
    public void CreateThumbnails_AnimatedGif_UsesTheFirstFrame()
    {
        var gif = SampleImages.Create(60, 40, SampleFormat.Gif, new SampleImageOptions { Frames = 3 });
        var firstFrame = SampleImages.Create(60, 40, SampleFormat.Gif);

        var thumbnail = Single(gif, OutputFormat.Png);

        Assert.Equal((60, 40), (thumbnail.Width, thumbnail.Height));
        Assert.True(ImageComparison.Psnr(Single(firstFrame, OutputFormat.Png).Data, thumbnail.Data) > 25);
    }

    [Fact]
    public void CreateThumbnails_EmbeddedWideGamutProfile_IsConvertedToSrgb()
    {
        var srgb = SampleImages.Create(120, 80, SampleFormat.Png);
        var p3 = SampleImages.Create(120, 80, SampleFormat.Png, new SampleImageOptions { DisplayP3 = true });
        Assert.True(ImageComparison.Psnr(srgb, p3) < 40, "control: P3 numbers read as sRGB look different");

        var fromSrgb = Single(srgb, OutputFormat.Png);
        var fromP3 = Single(p3, OutputFormat.Png);

        Assert.True(ImageComparison.Psnr(fromSrgb.Data, fromP3.Data) > 48);
    }

    [Theory]
    [InlineData(50)]
    [InlineData(95)]
    public void CreateThumbnails_Jpeg_SubsamplesChromaAtEveryQuality(int quality)
    {
        var source = SampleImages.Create(160, 120, SampleFormat.Png);

        var result = thumbnailer.CreateThumbnails(source, Box, new EncodeOptions(OutputFormat.Jpeg, quality), TestInputs.Generous);

        using var decoded = TestInputs.DecodeRaw(result.Value![0].Data);
        Assert.Equal("4:2:0", decoded.GetString("jpeg-chroma-subsample"));
    }

    [Fact]
    public void CreateThumbnails_HigherQuality_GivesLargerFiles()
    {
        var source = SampleImages.Create(400, 300, SampleFormat.Png);

        var low = Single(source, OutputFormat.Webp, quality: 30);
        var high = Single(source, OutputFormat.Webp, quality: 95);

        Assert.True(high.Data.Length > low.Data.Length);
    }

    [Fact]
    public void CreateThumbnails_Output_CarriesNoMetadata()
    {
        var source = SampleImages.Create(160, 120, SampleFormat.Jpeg, new SampleImageOptions { Orientation = 6 });

        var thumbnail = Single(source, OutputFormat.Jpeg);

        using var decoded = TestInputs.DecodeRaw(thumbnail.Data);
        Assert.False(decoded.Has("exif-data"));
        Assert.False(decoded.Has("icc-profile-data"));
        Assert.False(decoded.Has("xmp-data"));
    }

    [Fact]
    public void CreateThumbnails_Webp_IsAcceptedAsInput()
    {
        var source = SampleImages.Create(160, 120, SampleFormat.Webp, new SampleImageOptions { Alpha = true });

        var thumbnail = Single(source, OutputFormat.Webp);

        Assert.Equal((64, 48), (thumbnail.Width, thumbnail.Height));
    }

    private Thumbnail Single(byte[] source, OutputFormat format, int quality = 85)
    {
        var result = thumbnailer.CreateThumbnails(source, Box, new EncodeOptions(format, quality), TestInputs.Generous);
        Assert.True(result.Succeeded, result.Failure?.Message);
        return Assert.Single(result.Value!);
    }
}
