using ImagePattern.Imaging.Inspection;
using ImagePattern.Imaging.Tests.Inspection;
using ImagePattern.Imaging.Tooling;
using NetVips;

namespace ImagePattern.Imaging.Tests.Contract;

/// <summary>
/// Each engine shows a picture as browsers do, and the metadata record of the same file says the same: which way is
/// up, the displayed size, and the colours of a PNG that states its gamma (and primaries) without a profile. Every
/// input is made here (the round-3 cases: a late PNG eXIf, an orientation stored as LONG, gAMA without a profile, a
/// stale EXIF thumbnail).
/// </summary>
public abstract class DisplayContract(ImageEngine engine) : EngineContract(engine)
{
    private static readonly SkiaImageInspector Inspector = new();
    private static readonly byte[] LandscapePng = SampleImages.Create(120, 80, SampleFormat.Png);
    private static readonly byte[] LandscapeJpeg = SampleImages.Create(120, 80, SampleFormat.Jpeg);

    [Fact]
    public void CreateThumbnails_PngExifAfterTheImageData_IsIgnoredLikeBrowsersDo()
    {
        var late = PngChunks.Insert(LandscapePng, "eXIf", TestInputs.ExifTiff(6, null), PngChunks.Place.AfterImageData);

        AssertShownAs(late, orientation: 1, width: 120, height: 80);
    }

    [Fact]
    public void CreateThumbnails_PngExifBeforeTheImageData_IsApplied()
    {
        var early = PngChunks.Insert(LandscapePng, "eXIf", TestInputs.ExifTiff(6, null), PngChunks.Place.BeforeImageData);

        AssertShownAs(early, orientation: 6, width: 80, height: 120);
    }

    [Fact]
    public void CreateThumbnails_OrientationStoredAsLong_IsIgnoredByThumbnailsAndMetadataAlike()
    {
        var typedLong = new ExifSegment().OrientationAsLong(6).InsertInto(LandscapeJpeg);

        AssertShownAs(typedLong, orientation: 1, width: 120, height: 80);
    }

    [Fact]
    public void CreateThumbnails_OrientationStoredAsShort_IsAppliedByThumbnailsAndMetadataAlike()
    {
        var typedShort = new ExifSegment().Orientation(6).InsertInto(LandscapeJpeg);

        AssertShownAs(typedShort, orientation: 6, width: 80, height: 120);
    }

    [Theory]
    [InlineData(1.0, 188)]
    [InlineData(1 / 2.2, 128)]
    [InlineData(0.8, 174)]
    public void CreateThumbnails_GreyPngWithGammaAndNoProfile_ShowsTheGreyBrowsersShow(double fileGamma, int shown)
    {
        // gAMA 1.0 says the samples are linear light: grey 128 is displayed as sRGB 188 (browsers: 188-189).
        var png = PngChunks.Insert(Flat(128, 128, 128), "gAMA", PngChunks.Gamma(fileGamma), PngChunks.Place.BeforeImageData);

        var mean = Means(OneThumbnail(png, 32, OutputFormat.Png).Data);

        Assert.All(mean, channel => Assert.InRange(channel, shown - 3, shown + 3));
    }

    [Fact]
    public void CreateThumbnails_PngWithSrgbChunkAndGamma_FollowsTheSrgbChunk()
    {
        // The sRGB chunk outranks gAMA (PNG specification, 11.3.3.5): the samples are sRGB as they stand.
        var png = PngChunks.Insert(Flat(128, 128, 128), "gAMA", PngChunks.Gamma(1.0), PngChunks.Place.BeforeImageData);
        png = PngChunks.Insert(png, "sRGB", [0], PngChunks.Place.BeforeImageData);

        Assert.All(Means(OneThumbnail(png, 32, OutputFormat.Png).Data), channel => Assert.InRange(channel, 125, 131));
    }

    [Fact]
    public void CreateThumbnails_PngWithGammaAndWideChromaticities_MatchesTheSkiaEngineWithinAFewLevels()
    {
        // Adobe RGB (1998) primaries and a D65 white: saturated colours move visibly when converted to sRGB.
        var chrm = PngChunks.Chromaticities(0.3127, 0.3290, 0.64, 0.33, 0.21, 0.71, 0.15, 0.06);
        var png = PngChunks.Insert(Flat(200, 60, 40), "gAMA", PngChunks.Gamma(1 / 2.2), PngChunks.Place.BeforeImageData);
        png = PngChunks.Insert(png, "cHRM", chrm, PngChunks.Place.BeforeImageData);
        var skia = Thumbnailers.Create(ImageEngine.Skia);

        var mine = Means(OneThumbnail(png, 32, OutputFormat.Png).Data);
        var browser = Means(Assert.Single(skia.CreateThumbnails(png, [new ThumbnailBox(32, 32, "32")], new EncodeOptions(OutputFormat.Png, 90), TestInputs.Generous).Value!).Data);
        var ignored = Means(OneThumbnail(Flat(200, 60, 40), 32, OutputFormat.Png).Data);

        Assert.True(Distance(browser, ignored) > 10, "the chunk must make a visible difference, or this test shows nothing");
        Assert.True(Distance(mine, browser) <= 3, $"{Format(mine)} against the SkiaSharp engine's {Format(browser)}");
    }

    [Fact]
    public void CreateThumbnails_StaleExifThumbnail_ThumbnailsAndMetadataShowThePictureInTheFile()
    {
        // A blue picture whose EXIF thumbnail (same aspect ratio) is still red, as an editor that does not refresh IFD1 leaves it.
        var blue = EncodedJpeg(Flat(30, 40, 220));
        var file = new ExifSegment().Thumbnail(EncodedJpeg(Flat(220, 20, 20, 40, 30))).InsertInto(blue);

        var thumbnail = Means(OneThumbnail(file, 60, OutputFormat.Png).Data);
        var record = Inspect(file);

        var picture = Inspect(blue);

        Assert.True(thumbnail[2] > 180 && thumbnail[0] < 80, Format(thumbnail));
        Assert.Equal((picture.DominantColor, picture.BlurHash), (record.DominantColor, record.BlurHash));
        Assert.True(Near(record.DominantColor, Hex(thumbnail), 8), $"record {record.DominantColor}, thumbnail {Hex(thumbnail)}");
    }

    private void AssertShownAs(byte[] file, int orientation, int width, int height)
    {
        var probe = Thumbnailer.Probe(file).Value!;
        var thumbnail = OneThumbnail(file, 60);
        var record = Inspect(file);

        Assert.Equal(orientation, probe.Orientation);
        Assert.Equal((width * 60 / Math.Max(width, height), height * 60 / Math.Max(width, height)), (thumbnail.Width, thumbnail.Height));
        Assert.Equal((orientation, width, height), (record.Orientation, record.Width, record.Height));
    }

    private static ImageInspection Inspect(byte[] file)
    {
        var result = Inspector.Inspect(file, TestInputs.Generous);
        Assert.True(result.Succeeded, result.Failure?.Message);
        return result.Value!;
    }

    private static byte[] Flat(int r, int g, int b, int width = 64, int height = 48)
    {
        using var black = Image.Black(width, height, bands: 3);
        using var filled = black.Linear([1, 1, 1], [r, g, b]);
        using var bytes = filled.Cast(Enums.BandFormat.Uchar);
        return bytes.PngsaveBuffer(keep: Enums.ForeignKeep.None);
    }

    private static byte[] EncodedJpeg(byte[] png)
    {
        using var image = Image.NewFromBuffer(png);
        return image.JpegsaveBuffer(q: 95, keep: Enums.ForeignKeep.None);
    }

    private static double[] Means(byte[] encoded)
    {
        using var image = TestInputs.DecodeRaw(encoded);
        return [.. Enumerable.Range(0, 3).Select(band => { using var channel = image[Math.Min(band, image.Bands - 1)]; return channel.Avg(); })];
    }

    private static double Distance(double[] a, double[] b) => a.Zip(b, (x, y) => Math.Abs(x - y)).Max();

    private static string Format(double[] rgb) => string.Join('/', rgb.Select(c => c.ToString("F0", System.Globalization.CultureInfo.InvariantCulture)));

    private static string Hex(double[] rgb) => "#" + string.Concat(rgb.Select(c => ((int)Math.Round(c)).ToString("x2", System.Globalization.CultureInfo.InvariantCulture)));

    private static bool Near(string hex, string expected, int levels) =>
        Enumerable.Range(0, 3).All(i => Math.Abs(Convert.ToInt32(hex.Substring(1 + (2 * i), 2), 16) - Convert.ToInt32(expected.Substring(1 + (2 * i), 2), 16)) <= levels);
}

public sealed class SkiaDisplay() : DisplayContract(ImageEngine.Skia);

public sealed class LibvipsDisplay() : DisplayContract(ImageEngine.Libvips);
