using System.Globalization;
using ImagePattern.Imaging.Inspection;
using SkiaSharp;

namespace ImagePattern.Imaging.Tests.Inspection;

/// <summary>
/// Camera JPEGs carry a small thumbnail in EXIF IFD1, which editors often leave stale. The inspector never takes
/// colours or placeholder from it: the record describes the picture that is in the file.
/// </summary>
public sealed class EmbeddedThumbnailTests
{
    private static readonly SkiaImageInspector Inspector = new();
    private static readonly byte[] RedPicture = Jpeg(640, 480, SKColors.Red);
    private static readonly byte[] BlueThumbnail = Jpeg(160, 120, SKColors.Blue);

    [Fact]
    public void Inspect_ThumbnailOfTheSameAspectRatio_IsNotUsed()
    {
        // Different colours on purpose: the colour found tells which pixels were read.
        var found = Inspect(new ExifSegment().Make("Canon").Thumbnail(BlueThumbnail).InsertInto(RedPicture));

        Assert.Equal(("jpeg", 640, 480), (found.Format, found.Width, found.Height));
        Assert.True(IsRed(found.DominantColor), found.DominantColor);
        Assert.Equal(Inspect(RedPicture).BlurHash, found.BlurHash);
        Assert.Equal("Canon", found.CameraMake);
    }

    [Fact]
    public void Inspect_JpegWithoutItsEndMarker_DecodesThePicture()
    {
        var file = new ExifSegment().Thumbnail(BlueThumbnail).InsertInto(RedPicture);

        Assert.True(IsRed(Inspect(file[..^2]).DominantColor));
    }

    [Fact]
    public void Inspect_TruncatedJpegWithThumbnail_IsStillCorrupt()
    {
        var file = new ExifSegment().Thumbnail(BlueThumbnail).InsertInto(Jpeg(640, 480, SKColors.Red, noise: true));

        Assert.Equal(ImageFailureKind.Corrupt, Inspector.Inspect(file.AsMemory(0, file.Length * 2 / 3), TestInputs.Generous).Failure?.Kind);
    }

    [Fact]
    public void Inspect_BrokenThumbnail_DecodesThePicture()
    {
        byte[] broken = [0xFF, 0xD8, 0xFF, 0xDB, 0x00, 0x02, 0x13, 0x37, 0xFF, 0xD9];

        Assert.True(IsRed(Inspect(new ExifSegment().Thumbnail(broken).InsertInto(RedPicture)).DominantColor));
    }

    [Fact]
    public void Inspect_JpegWithThumbnail_AppliesThePixelLimit()
    {
        var file = new ExifSegment().Thumbnail(BlueThumbnail).InsertInto(RedPicture);

        var result = Inspector.Inspect(file, TestInputs.Generous with { MaxPixels = (640 * 480) - 1 });

        Assert.Equal(ImageFailureKind.TooManyPixels, result.Failure?.Kind);
    }

    [Fact]
    public void Inspect_OrientedJpegWithThumbnail_ReportsTheDisplayedSize()
    {
        var found = Inspect(new ExifSegment().Orientation(6).Thumbnail(BlueThumbnail).InsertInto(RedPicture));

        Assert.Equal((480, 640, 6), (found.Width, found.Height, found.Orientation));
        Assert.Equal(4 + (2 * 3 * 4), found.BlurHash.Length);
        Assert.True(IsRed(found.DominantColor), found.DominantColor);
    }

    private static ImageInspection Inspect(byte[] data)
    {
        var result = Inspector.Inspect(data, TestInputs.Generous);
        Assert.True(result.Succeeded, result.Failure?.ToString());
        return result.Value!;
    }

    private static (int R, int G, int B) Rgb(string hex) => (
        int.Parse(hex.AsSpan(1, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture),
        int.Parse(hex.AsSpan(3, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture),
        int.Parse(hex.AsSpan(5, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture));

    private static bool IsRed(string hex) => Rgb(hex) is { R: > 200, B: < 60 };

    private static byte[] Jpeg(int width, int height, SKColor colour, bool noise = false)
    {
        using var bitmap = new SKBitmap(width, height);
        bitmap.Erase(colour);
        if (noise)
        {
            // Detail makes the entropy-coded data long, so a cut lands well inside it.
            var random = new Random(7);
            for (var i = 0; i < width * height / 4; i++)
            {
                bitmap.SetPixel(random.Next(width), random.Next(height), new SKColor((byte)random.Next(256), (byte)random.Next(256), (byte)random.Next(256)));
            }
        }

        using var image = SKImage.FromBitmap(bitmap);
        return image.Encode(SKEncodedImageFormat.Jpeg, 90).ToArray();
    }
}
