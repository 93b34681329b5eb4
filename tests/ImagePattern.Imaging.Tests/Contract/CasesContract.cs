using ImagePattern.Imaging.Tooling;
using NetVips;

namespace ImagePattern.Imaging.Tests.Contract;

/// <summary>Inputs that real uploads carry and that engines get wrong in different ways; every file is made here.</summary>
public abstract class CasesContract(ImageEngine engine) : EngineContract(engine)
{
    private static readonly byte[] Plain = SampleImages.Create(120, 80, SampleFormat.Jpeg);

    [Fact]
    public void CreateThumbnails_OrientationOnlyInTheExifThumbnailDirectory_IsNotApplied()
    {
        // IFD1 describes the embedded preview, not the picture: browsers ignore an orientation found only there.
        var tagged = TestInputs.WithExif(Plain, TestInputs.ExifTiff(ifd0Orientation: null, ifd1Orientation: 6));

        var thumbnail = OneThumbnail(tagged, 60);

        Assert.Equal(1, Thumbnailer.Probe(tagged).Value!.Orientation);
        Assert.Equal((60, 40), (thumbnail.Width, thumbnail.Height));
        Assert.True(ImageComparison.Psnr(OneThumbnail(Plain, 60).Data, thumbnail.Data) > 35);
    }

    [Fact]
    public void CreateThumbnails_OrientationInBothDirectories_FollowsTheMainOne()
    {
        var tagged = TestInputs.WithExif(Plain, TestInputs.ExifTiff(ifd0Orientation: 1, ifd1Orientation: 6));

        var thumbnail = OneThumbnail(tagged, 60);

        Assert.Equal((60, 40), (thumbnail.Width, thumbnail.Height));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(9)]
    [InlineData(65535)]
    public void CreateThumbnails_OrientationOutOfRange_IsNotApplied(int orientation)
    {
        var tagged = TestInputs.WithExif(Plain, TestInputs.ExifTiff(ifd0Orientation: orientation, ifd1Orientation: null));

        var thumbnail = OneThumbnail(tagged, 60);

        Assert.Equal((60, 40), (thumbnail.Width, thumbnail.Height));
        Assert.True(ImageComparison.Psnr(OneThumbnail(Plain, 60).Data, thumbnail.Data) > 35);
    }

    [Theory]
    [InlineData(OutputFormat.Png)]
    [InlineData(OutputFormat.Jpeg)]
    public void CreateThumbnails_CmykJpeg_ColoursStayWithinToleranceOfTheSrgbOriginal(OutputFormat format)
    {
        // The reference is the sRGB picture the CMYK file was made from. A round trip through a print profile
        // loses some gamut: 22 dB is the stated tolerance. Inverted CMYK (the classic Adobe pitfall) lands near 6 dB.
        var rgb = SampleImages.Create(240, 160, SampleFormat.Jpeg, new SampleImageOptions { Quality = 95 });
        var cmyk = SampleImages.Create(240, 160, SampleFormat.Jpeg, new SampleImageOptions { Cmyk = true, Quality = 95 });

        var psnr = ImageComparison.Psnr(OneThumbnail(rgb, 120, format).Data, OneThumbnail(cmyk, 120, format).Data);

        Assert.True(psnr > 22, $"CMYK thumbnail is {psnr:F1} dB from the sRGB reference");
    }

    [Fact]
    public void CreateThumbnails_CmykJpeg_MatchesTheOtherEngineClosely()
    {
        var cmyk = SampleImages.Create(240, 160, SampleFormat.Jpeg, new SampleImageOptions { Cmyk = true, Quality = 95 });
        var other = Thumbnailers.Create(Engine == ImageEngine.Skia ? ImageEngine.Libvips : ImageEngine.Skia);

        var mine = OneThumbnail(cmyk, 120);
        var theirs = Assert.Single(other.CreateThumbnails(cmyk, [new ThumbnailBox(120, 120, "120")], new EncodeOptions(OutputFormat.Png, 90), TestInputs.Generous).Value!);

        var psnr = ImageComparison.Psnr(mine.Data, theirs.Data);
        Assert.True(psnr > 25, $"the engines' CMYK conversions are {psnr:F1} dB apart");
    }

    [Fact]
    public void CreateThumbnails_PalettePngWithTransparency_KeepsColoursAndAlpha()
    {
        using var rgba = TestInputs.DecodeRaw(SampleImages.Create(120, 80, SampleFormat.Png, new SampleImageOptions { Alpha = true }));
        var palette = rgba.PngsaveBuffer(palette: true, keep: Enums.ForeignKeep.None);
        using (var check = TestInputs.DecodeRaw(palette))
        {
            Assert.Equal(8, Convert.ToInt32(check.Get("palette-bit-depth"), System.Globalization.CultureInfo.InvariantCulture));
        }

        var thumbnail = OneThumbnail(palette, 60, OutputFormat.Png);
        using var decoded = TestInputs.DecodeRaw(thumbnail.Data);

        Assert.True(decoded.HasAlpha());
        using var alpha = decoded[decoded.Bands - 1];
        Assert.True(alpha.Min() < 30 && alpha.Max() > 225, "both transparent and opaque areas survive");
        Assert.True(ImageComparison.Psnr(OneThumbnail(rgba.PngsaveBuffer(), 60, OutputFormat.Png).Data, thumbnail.Data) > 25);
    }

    [Fact]
    public void CreateThumbnails_BaselineJpegLackingOnlyItsEndMarker_GetsThumbnails()
    {
        // As error-isolation/b-missing-end-marker.jpg (baseline): every scan present, no FF D9 at the end.
        var whole = SampleImages.Create(400, 300, SampleFormat.Jpeg);
        var unterminated = TestInputs.WithoutEndMarker(whole);

        var result = Thumbnailer.CreateThumbnails(unterminated, [new(64, 64, "64"), new(300, 300, "300")], new EncodeOptions(OutputFormat.Png, 90), TestInputs.Generous);

        Assert.True(result.Succeeded, result.Failure?.Message);
        Assert.True(ImageComparison.Psnr(OneThumbnail(whole, 300).Data, result.Value![1].Data) > 45, "the same picture as the terminated file");
    }

    [Theory]
    [InlineData(false, 0.5)]
    [InlineData(false, 0.9)]
    [InlineData(true, 0.5)]
    public void CreateThumbnails_JpegCutShortInsideItsData_FailsAsCorrupt(bool progressive, double kept)
    {
        var whole = SampleImages.Create(400, 300, SampleFormat.Jpeg, new SampleImageOptions { Progressive = progressive });
        var cut = whole[..(int)(whole.Length * kept)];

        var result = Thumbnailer.CreateThumbnails(cut, [new(64, 64, "64"), new(300, 300, "300")], new EncodeOptions(OutputFormat.Png, 90), TestInputs.Generous);

        Assert.False(result.Succeeded, "grey bands must not become thumbnails");
        Assert.Equal(ImageFailureKind.Corrupt, result.Failure!.Kind);
    }

    [Fact]
    public void CreateThumbnails_CorruptIccProfile_StillGetsThumbnails()
    {
        var damaged = TestInputs.WithCorruptIccProfile(Plain);

        var thumbnail = OneThumbnail(damaged, 60);

        Assert.True(ImageComparison.Psnr(OneThumbnail(Plain, 60).Data, thumbnail.Data) > 30);
    }

    [Fact]
    public void CreateThumbnails_FailureReasons_UnderParallelLoad_NameOnlyTheirOwnImage()
    {
        // A JPEG with a corrupt ICC profile first (it leaves a warning behind in libvips), then cut-short files
        // whose failure reasons must not mention it, run many times side by side.
        var warning = TestInputs.WithCorruptIccProfile(Plain);
        var whole = SampleImages.Create(400, 300, SampleFormat.Jpeg);
        var cut = whole[..(whole.Length / 2)];
        var boxes = new ThumbnailBox[] { new(64, 64, "64") };
        var encode = new EncodeOptions(OutputFormat.Webp, 80);
        Assert.True(Thumbnailer.CreateThumbnails(warning, boxes, encode, TestInputs.Generous).Succeeded);

        var reasons = new string?[64];
        Parallel.For(0, reasons.Length, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
        {
            var source = i % 2 == 0 ? warning : cut;
            var result = Thumbnailer.CreateThumbnails(source, boxes, encode, TestInputs.Generous);
            reasons[i] = i % 2 == 0 ? (result.Succeeded ? null : "corrupt-profile image failed: " + result.Failure!.Message) : result.Failure?.Message;
        });

        for (var i = 0; i < reasons.Length; i++)
        {
            if (i % 2 == 0)
            {
                Assert.Null(reasons[i]);
                continue;
            }

            Assert.NotNull(reasons[i]);
            Assert.DoesNotContain("profile", reasons[i]!, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("icc", reasons[i]!, StringComparison.OrdinalIgnoreCase);
        }
    }
}

public sealed class SkiaCases() : CasesContract(ImageEngine.Skia);

public sealed class LibvipsCases() : CasesContract(ImageEngine.Libvips);
