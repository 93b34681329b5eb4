using ImagePattern.Imaging.LibVips;
using ImagePattern.Imaging.Tooling;
using NetVips;

namespace ImagePattern.Imaging.Tests.LibVips;

/// <summary>What only the libvips engine does: AVIF output, TIFF/AVIF input, progressive JPEGs without an end marker.</summary>
public sealed class LibvipsOnlyTests
{
    private readonly IThumbnailer thumbnailer = Thumbnailers.Create(ImageEngine.Libvips);

    [Fact]
    public void CreateThumbnails_Avif_IsWrittenAndReadsBack()
    {
        // SkiaSharp has no AVIF encoder: configuration refuses OUTPUT_FORMAT=avif with IMAGE_ENGINE=skia.
        var thumbnail = Single(SampleImages.Create(160, 120, SampleFormat.Jpeg), OutputFormat.Avif);

        var info = thumbnailer.Probe(thumbnail.Data).Value!;
        Assert.Equal(("heif", 64, 48, "image/avif", "avif"), (info.Format, info.Width, info.Height, thumbnail.ContentType, thumbnail.Extension));
    }

    [Theory]
    [InlineData(SampleFormat.Avif, "heif")]
    [InlineData(SampleFormat.Tiff, "tiff")]
    public void Probe_FormatsOnlyLibvipsReads_ReportFormatAndSize(SampleFormat format, string expected)
    {
        // SkiaSharp decodes neither TIFF nor HEIF/AVIF: their suffixes are not in its IMAGE_SUFFIXES.
        var info = thumbnailer.Probe(SampleImages.Create(90, 70, format)).Value!;

        Assert.Equal((expected, 90, 70), (info.Format, info.Width, info.Height));
    }

    [Theory]
    [InlineData(SampleFormat.Avif, false, OutputFormat.Avif)]
    [InlineData(SampleFormat.Tiff, false, OutputFormat.Jpeg)]
    [InlineData(SampleFormat.Tiff, true, OutputFormat.Png)]
    public void CreateThumbnails_SourceFormat_ForFormatsOnlyLibvipsReads(SampleFormat sourceFormat, bool alpha, OutputFormat expected)
    {
        var thumbnail = Single(SampleImages.Create(80, 60, sourceFormat, new SampleImageOptions { Alpha = alpha }), OutputFormat.Source);

        Assert.Equal(expected, thumbnail.Format);
    }

    [Fact]
    public void CreateThumbnails_SixteenBitPngToAvif_WritesEightBit()
    {
        var thumbnail = Single(SampleImages.Create(100, 80, SampleFormat.Png, new SampleImageOptions { SixteenBit = true }), OutputFormat.Avif);

        using var decoded = TestInputs.DecodeRaw(thumbnail.Data);
        Assert.Equal(Enums.BandFormat.Uchar, decoded.Format);
    }

    [Fact]
    public void CreateThumbnails_ProgressiveJpegLackingOnlyItsEndMarker_GetsThumbnails()
    {
        // libvips reports libjpeg's warnings, so a progressive file can be checked with its marker put back.
        // SkiaSharp cannot (SkiaOnlyTests): there such a file is a Corrupt failure.
        var whole = SampleImages.Create(400, 300, SampleFormat.Jpeg, new SampleImageOptions { Progressive = true });

        var result = thumbnailer.CreateThumbnails(whole.AsMemory(0, whole.Length - 2), [new(64, 64, "64")], new EncodeOptions(OutputFormat.Png, 90), TestInputs.Generous);

        Assert.True(result.Succeeded, result.Failure?.Message);
    }

    [Fact]
    public void LibVipsVersion_IsTheNuGetBuild()
    {
        Assert.StartsWith("8.18.", VipsThumbnailer.LibVipsVersion, StringComparison.Ordinal);
    }

    private Thumbnail Single(byte[] source, OutputFormat format)
    {
        var result = thumbnailer.CreateThumbnails(source, [new ThumbnailBox(64, 64, "64")], new EncodeOptions(format, 80), TestInputs.Generous);
        Assert.True(result.Succeeded, result.Failure?.Message);
        return Assert.Single(result.Value!);
    }
}
