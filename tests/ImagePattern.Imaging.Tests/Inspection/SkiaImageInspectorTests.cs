using System.Security.Cryptography;
using ImagePattern.Imaging.Inspection;
using ImagePattern.Imaging.Tooling;
using SkiaSharp;

namespace ImagePattern.Imaging.Tests.Inspection;

/// <summary>The inspector on real encoded images: generated photos, EXIF blocks written to the specification, edge cases.</summary>
public sealed class SkiaImageInspectorTests
{
    private static readonly SkiaImageInspector Inspector = new();
    private static readonly byte[] Photo = SampleImages.Create(640, 480, SampleFormat.Jpeg);

    private static ImageInspection Inspect(byte[] data)
    {
        var result = Inspector.Inspect(data, TestInputs.Generous);
        Assert.True(result.Succeeded, result.Failure?.ToString());
        return result.Value!;
    }

    [Theory]
    [InlineData(1, 600, 400)]
    [InlineData(2, 600, 400)]
    [InlineData(3, 600, 400)]
    [InlineData(4, 600, 400)]
    [InlineData(5, 400, 600)]
    [InlineData(6, 400, 600)]
    [InlineData(7, 400, 600)]
    [InlineData(8, 400, 600)]
    public void Inspect_ExifOrientation_ReportsTheDisplayedSize(int orientation, int storedWidth, int storedHeight)
    {
        var jpeg = SampleImages.Create(600, 400, SampleFormat.Jpeg, new SampleImageOptions { Orientation = orientation });
        using (var codec = SKCodec.Create(new MemoryStream(jpeg)))
        {
            Assert.Equal((storedWidth, storedHeight), (codec.Info.Width, codec.Info.Height));
        }

        var found = Inspect(jpeg);

        Assert.Equal(orientation, found.Orientation);
        Assert.Equal((600, 400), (found.Width, found.Height));
    }

    [Theory]
    [InlineData(3)]
    [InlineData(5)]
    [InlineData(6)]
    [InlineData(7)]
    [InlineData(8)]
    public void Inspect_OrientedPhoto_GivesThePlaceholderOfTheUprightPicture(int orientation)
    {
        var upright = BlurHashDecoder.Decode(Inspect(SampleImages.Create(600, 400, SampleFormat.Jpeg)).BlurHash, 60, 40);
        var oriented = BlurHashDecoder.Decode(
            Inspect(SampleImages.Create(600, 400, SampleFormat.Jpeg, new SampleImageOptions { Orientation = orientation })).BlurHash, 60, 40);
        var ignoringTheTag = BlurHashDecoder.Decode(
            BlurHash.Encode(Rgba(SampleImages.Create(600, 400, SampleFormat.Jpeg, new SampleImageOptions { Orientation = orientation }), 60, 40), 60, 40, 4, 3), 60, 40);

        // Same upright picture: close. The stored pixels read without the tag: clearly different.
        Assert.True(upright.DistanceTo(oriented) < 6, $"distance {upright.DistanceTo(oriented)}");
        Assert.True(upright.DistanceTo(ignoringTheTag) > 2 * upright.DistanceTo(oriented));
    }

    [Fact]
    public void Inspect_ExifWithCameraAndCaptureTime_ReportsThem()
    {
        var jpeg = new ExifSegment()
            .Make("Canon ")
            .Model("Canon EOS R5")
            .DateTimeOriginal("2024:05:01 10:20:30")
            .OffsetTimeOriginal("+02:00")
            .InsertInto(Photo);

        var found = Inspect(jpeg);

        Assert.Equal("Canon", found.CameraMake);
        Assert.Equal("Canon EOS R5", found.CameraModel);
        Assert.Equal("2024-05-01T10:20:30+02:00", found.CapturedAt.ToString());
        Assert.Equal(new DateTimeOffset(2024, 5, 1, 8, 20, 30, TimeSpan.Zero), new DateTimeOffset(found.CapturedAt!.Value.LocalTime, found.CapturedAt.Value.Offset!.Value));
    }

    [Fact]
    public void Inspect_BigEndianExif_ReadsTheSameFacts()
    {
        var jpeg = new ExifSegment { BigEndian = true }.Orientation(6).Make("NIKON CORPORATION").DateTimeOriginal("2023:12:31 23:59:59").OffsetTimeOriginal("-05:30").InsertInto(Photo);

        var found = Inspect(jpeg);

        Assert.Equal(6, found.Orientation);
        Assert.Equal((480, 640), (found.Width, found.Height));
        Assert.Equal("NIKON CORPORATION", found.CameraMake);
        Assert.Equal("2023-12-31T23:59:59-05:30", found.CapturedAt.ToString());
    }

    [Fact]
    public void Inspect_CaptureTimeWithoutOffset_KeepsTheWallClockTimeOnly()
    {
        var found = Inspect(new ExifSegment().DateTimeOriginal("2020:02:29 07:08:09").InsertInto(Photo));

        Assert.Null(found.CapturedAt!.Value.Offset);
        Assert.Equal("2020-02-29T07:08:09", found.CapturedAt.ToString());
    }

    [Theory]
    [InlineData("0000:00:00 00:00:00")]
    [InlineData("    :  :     :  :  ")]
    [InlineData("yesterday")]
    public void Inspect_UnreadableCaptureTime_ReportsNone(string raw)
    {
        Assert.Null(Inspect(new ExifSegment().DateTimeOriginal(raw).InsertInto(Photo)).CapturedAt);
    }

    [Fact]
    public void Inspect_OnlyTheFileChangeTime_IsNotACaptureTime()
    {
        Assert.Null(Inspect(new ExifSegment().ModifiedAt("2024:01:01 00:00:00").Make("Sony").InsertInto(Photo)).CapturedAt);
    }

    [Fact]
    public void Inspect_GpsPosition_ReportsPresenceOnly()
    {
        var found = Inspect(new ExifSegment().Make("Apple").GpsPosition(52.5163, 13.3777).InsertInto(Photo));

        Assert.True(found.HasGps);
        // Nothing of the position leaves the inspector.
        Assert.DoesNotContain("52", found.ToString().Replace(found.Sha256, "", StringComparison.Ordinal).Replace(found.BlurHash, "", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public void Inspect_GpsIfdWithVersionOnly_ReportsNoGps()
    {
        Assert.False(Inspect(new ExifSegment().Make("Apple").GpsVersionOnly().InsertInto(Photo)).HasGps);
    }

    [Fact]
    public void Inspect_JpegWithoutExif_ReportsNoExifFacts()
    {
        var found = Inspect(Photo);

        Assert.Equal(("jpeg", 640, 480, 1), (found.Format, found.Width, found.Height, found.Orientation));
        Assert.Null(found.CapturedAt);
        Assert.Null(found.CameraMake);
        Assert.Null(found.CameraModel);
        Assert.False(found.HasGps);
    }

    [Fact]
    public void Inspect_PngWithoutExif_ReportsFormatAndSize()
    {
        var png = SampleImages.Create(300, 500, SampleFormat.Png);

        var found = Inspect(png);

        Assert.Equal(("png", 300, 500, 1), (found.Format, found.Width, found.Height, found.Orientation));
        Assert.Null(found.CapturedAt);
        Assert.False(found.HasGps);
        Assert.Equal(4 + (2 * 3 * 4), found.BlurHash.Length);
    }

    [Fact]
    public void Inspect_CmykJpeg_IsReadAndLooksLikeItsRgbTwin()
    {
        var cmyk = Inspect(SampleImages.Create(400, 300, SampleFormat.Jpeg, new SampleImageOptions { Cmyk = true }));
        var rgb = Inspect(SampleImages.Create(400, 300, SampleFormat.Jpeg));

        Assert.Equal(("jpeg", 400, 300), (cmyk.Format, cmyk.Width, cmyk.Height));
        var distance = BlurHashDecoder.Decode(cmyk.BlurHash, 40, 30).DistanceTo(BlurHashDecoder.Decode(rgb.BlurHash, 40, 30));
        Assert.True(distance < 25, $"CMYK placeholder is {distance} away from the RGB one");
    }

    [Theory]
    [InlineData(SampleFormat.Png, true)]
    [InlineData(SampleFormat.Jpeg, true)]
    [InlineData(SampleFormat.Webp, false)]
    [InlineData(SampleFormat.Gif, false)]
    public void Inspect_OtherEncodings_ReportFormatAndSize(SampleFormat format, bool progressive)
    {
        var data = SampleImages.Create(320, 200, format, new SampleImageOptions { Progressive = progressive });

        var found = Inspect(data);

        Assert.Equal(format.ToString().ToLowerInvariant(), found.Format);
        Assert.Equal((320, 200), (found.Width, found.Height));
    }

    [Fact]
    public void Inspect_Always_ReportsByteSizeAndContentHash()
    {
        var found = Inspect(Photo);

        Assert.Equal(Photo.Length, found.Bytes);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Photo)), found.Sha256);
        Assert.Matches("^[0-9a-f]{64}$", found.Sha256);
        Assert.NotEqual(found.Sha256, Inspect(new ExifSegment().Make("x").InsertInto(Photo)).Sha256);
    }

    [Fact]
    public void Inspect_MostlyRed_HasRedAsDominantColour()
    {
        var png = Encode(80, 40, (x, _) => x < 60 ? new SKColor(255, 0, 0) : new SKColor(0, 0, 255));

        Assert.Equal("#ff0000", Inspect(png).DominantColor);
    }

    [Fact]
    public void Inspect_MostlyTransparent_TakesTheDominantColourFromOpaquePixels()
    {
        var png = Encode(80, 40, (x, _) => x < 60 ? new SKColor(0, 255, 0, 0) : new SKColor(200, 40, 40));

        Assert.Equal("#c82828", Inspect(png).DominantColor);
    }

    [Fact]
    public void Inspect_NotAnImage_IsUnsupportedFormat()
    {
        var result = Inspector.Inspect(TestInputs.Fixture("not-an-image.txt"), TestInputs.Generous);

        Assert.Equal(ImageFailureKind.UnsupportedFormat, result.Failure?.Kind);
    }

    [Fact]
    public void Inspect_Empty_IsUnsupportedFormat()
    {
        Assert.Equal(ImageFailureKind.UnsupportedFormat, Inspector.Inspect(Array.Empty<byte>(), TestInputs.Generous).Failure?.Kind);
    }

    [Fact]
    public void Inspect_TruncatedJpeg_IsCorrupt()
    {
        var result = Inspector.Inspect(TestInputs.Fixture("truncated.jpg"), TestInputs.Generous);

        Assert.Equal(ImageFailureKind.Corrupt, result.Failure?.Kind);
    }

    [Fact]
    public void Inspect_JpegMissingOnlyItsEndMarker_IsRead()
    {
        Assert.Equal(640, Inspect(Photo[..^2]).Width);
    }

    [Fact]
    public void Inspect_PixelBomb_IsRefusedBeforeDecoding()
    {
        var result = Inspector.Inspect(TestInputs.Fixture("pixel-bomb-50000x50000.png"), TestInputs.Generous);

        Assert.Equal(ImageFailureKind.TooManyPixels, result.Failure?.Kind);
    }

    [Theory]
    [InlineData(SampleFormat.Jpeg)]
    [InlineData(SampleFormat.Png)]
    public void Inspect_InterlacedOverTheInterlacedBudget_IsRefusedAsTheThumbnailersRefuseIt(SampleFormat format)
    {
        // Decoded whole whatever the scale, so a progressive or interlaced image gets the lower budget, refused on
        // its header with the thumbnailers' reason.
        var limits = TestInputs.Generous with { MaxPixels = 1_000_000, MaxInterlacedPixels = 5_000 };
        var interlaced = SampleImages.Create(100, 100, format, new SampleImageOptions { Progressive = true });

        var refused = Inspector.Inspect(interlaced, limits);

        Assert.Equal(ImageFailureKind.TooManyPixels, refused.Failure?.Kind);
        Assert.Contains("interlaced image 100x100", refused.Failure!.Message, StringComparison.Ordinal);
        Assert.True(Inspector.Inspect(interlaced, limits with { MaxInterlacedPixels = 10_000 }).Succeeded);
    }

    [Fact]
    public void Inspect_OverTheByteLimit_IsRefused()
    {
        var result = Inspector.Inspect(Photo, TestInputs.Generous with { MaxBytes = Photo.Length - 1 });

        Assert.Equal(ImageFailureKind.TooManyBytes, result.Failure?.Kind);
    }

    [Fact]
    public void Inspect_BrokenExifBlock_StillDescribesThePixels()
    {
        // An APP1 "Exif" segment whose TIFF header points far outside the block.
        byte[] broken = [0xFF, 0xE1, 0x00, 0x10, .. "Exif\0\0II*\0"u8, 0xFF, 0xFF, 0xFF, 0x7F];
        var jpeg = (byte[])[.. Photo[..2], .. broken, .. Photo[2..]];

        var found = Inspect(jpeg);

        Assert.Equal((640, 480, 1), (found.Width, found.Height, found.Orientation));
        Assert.Null(found.CameraMake);
    }

    private static byte[] Rgba(byte[] encoded, int width, int height)
    {
        using var bitmap = SKBitmap.Decode(encoded);
        using var scaled = bitmap.Resize(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul), new SKSamplingOptions(SKFilterMode.Linear));
        return scaled.Bytes;
    }

    private static byte[] Encode(int width, int height, Func<int, int, SKColor> colour)
    {
        using var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                bitmap.SetPixel(x, y, colour(x, y));
            }
        }

        using var image = SKImage.FromBitmap(bitmap);
        return image.Encode(SKEncodedImageFormat.Png, 100).ToArray();
    }
}
