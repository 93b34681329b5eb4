using System.Buffers;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using SkiaSharp;

namespace ImagePattern.Imaging.Inspection;

/// <summary>
/// <see cref="IImageInspector"/> on SkiaSharp's <see cref="SKCodec"/> and MetadataExtractor. The cost is the
/// header, the EXIF block and one small decode of the picture itself. JPEGs are decoded with DCT scaling (down to
/// 1/8) to about <see cref="SampleSide"/> pixels on the long side and folded row by row into a 32-cell grid, so a
/// 24 MP photo never exists as a full-size bitmap. A format without row decoding decodes its first frame whole, at
/// the smallest size it allows, and only within <see cref="ImageLimits.MaxInterlacedPixels"/>: GIF, WebP, and PNG,
/// whose rows SkiaSharp 4.155 does not hand out one at a time (so a PNG over that budget is refused here although
/// the thumbnailers accept it up to <see cref="ImageLimits.MaxPixels"/>). Progressive JPEGs and interlaced PNGs are
/// held whole by their decoders whatever the output size, so they are refused above
/// <see cref="ImageLimits.MaxInterlacedPixels"/>, as the thumbnailers refuse them. A camera's embedded EXIF
/// thumbnail is never used for colours or placeholder: editors often leave it
/// stale, and an edited or redacted photo must not show its old content through the placeholder. The orientation is
/// <see cref="ExifOrientation"/>'s reading, the one both thumbnail engines apply. Stateless and thread-safe.
/// </summary>
public sealed class SkiaImageInspector : IImageInspector
{
    /// <summary>Long side the decode aims for (the codec picks the nearest scale it supports at or above it).</summary>
    public const int SampleSide = 64;

    /// <inheritdoc />
    public ImageResult<ImageInspection> Inspect(ReadOnlyMemory<byte> source, ImageLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        if (source.Length > limits.MaxBytes)
        {
            return ImageResult.Fail<ImageInspection>(ImageFailureKind.TooManyBytes, $"{source.Length} bytes is over the limit of {limits.MaxBytes}");
        }

        if (source.IsEmpty)
        {
            return ImageResult.Fail<ImageInspection>(ImageFailureKind.UnsupportedFormat, "empty input: zero bytes");
        }

        var exif = ExifFacts.Read(source);
        var decoded = Decode(source, limits, out var shortfall);
        if (!decoded.Succeeded && shortfall.Rows > 0 && shortfall.Rows <= shortfall.LastMcuRow && JpegLacksOnlyItsEnd(source.Span))
        {
            // A JPEG whose data is whole but lacks its end marker is shown by browsers, so it is read here too (the
            // thumbnailer's rule). Without the marker the decoder stops within the last MCU row, waiting for more
            // input; with the marker appended it finishes. Data cut off earlier stops further up and stays Corrupt.
            decoded = Decode((byte[])[.. source.Span, 0xFF, 0xD9], limits, out _);
        }

        return Describe(source, decoded, exif);
    }

    private static ImageResult<ImageInspection> Describe(ReadOnlyMemory<byte> source, ImageResult<Decoded> decoded, ExifFacts exif)
    {
        if (!decoded.Succeeded)
        {
            return ImageResult.Fail<ImageInspection>(decoded.Failure!.Kind, decoded.Failure.Message);
        }

        var (format, width, height, pixels) = decoded.Value!;
        // The thumbnail engines' reading (IFD0, SHORT only, PNG eXIf before the image data), so the record and the
        // thumbnails of one upload never disagree about which way is up.
        var orientation = ExifOrientation.Read(source.Span, format);
        var swap = orientation >= 5;
        var (grid, gridWidth, gridHeight) = pixels.UprightGrid(orientation);
        var portrait = gridHeight > gridWidth;
        return ImageResult.Success(new ImageInspection(
            format,
            swap ? height : width,
            swap ? width : height,
            orientation,
            exif.CapturedAt,
            exif.Make,
            exif.Model,
            exif.HasGps,
            source.Length,
            Convert.ToHexStringLower(SHA256.HashData(source.Span)),
            pixels.DominantColor(),
            BlurHash.EncodeLinear(grid, gridWidth, gridHeight, portrait ? 3 : 4, portrait ? 4 : 3)));
    }

    private static bool JpegLacksOnlyItsEnd(ReadOnlySpan<byte> data) =>
        data is [0xFF, 0xD8, ..] && data is not [.., 0xFF, 0xD9];

    private static unsafe ImageResult<Decoded> Decode(ReadOnlyMemory<byte> source, ImageLimits limits, out Shortfall shortfall)
    {
        // The codec reads the caller's bytes in place: no copy of the encoded image.
        using var pin = source.Pin();
        using var data = SKData.Create((IntPtr)pin.Pointer, source.Length);
        return Decode(data, limits, out shortfall);
    }

    private static ImageResult<Decoded> Decode(SKData data, ImageLimits limits, out Shortfall shortfall)
    {
        shortfall = default;
        using var codec = SKCodec.Create(data);
        if (codec is null)
        {
            return ImageResult.Fail<Decoded>(ImageFailureKind.UnsupportedFormat, "not in a format the decoder knows");
        }

        var stored = codec.Info;
        var format = FormatName(codec.EncodedFormat);
        // The thumbnailers' budgets, so both records of one upload agree: a progressive JPEG or an interlaced PNG is
        // decoded whole whatever the scale (libjpeg keeps every DCT coefficient, 6 bytes a pixel at 4:4:4; Skia
        // buffers every PNG row), so it gets the lower interlaced budget.
        if (RequestChecks.Pixels(new ImageInfo(format, stored.Width, stored.Height, 1, ContainerFacts.IsInterlaced(data.AsSpan(), format), 0, false), limits) is { } tooLarge)
        {
            return ImageResult.Fail<Decoded>(tooLarge.Kind, tooLarge.Message);
        }

        var scale = Math.Min(1f, Math.Max(1f / 8, (float)SampleSide / Math.Max(stored.Width, stored.Height)));
        var size = codec.GetScaledDimensions(scale);
        var info = new SKImageInfo(size.Width, size.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul, SKColorSpace.CreateSrgb());
        var pixels = new PixelSummary(size.Width, size.Height);

        var result = ByRows(codec, info, pixels, out var rowsShort);
        // A JPEG MCU row is at most 16 stored rows (4:2:0); this many decoded rows at the chosen scale.
        shortfall = new Shortfall(rowsShort, (int)Math.Ceiling(16.0 * size.Height / stored.Height));
        if (result == SKCodecResult.Unimplemented)
        {
            if ((long)size.Width * size.Height > limits.MaxInterlacedPixels)
            {
                return ImageResult.Fail<Decoded>(
                    ImageFailureKind.TooManyPixels, $"{size.Width}x{size.Height} must be decoded whole and is over the limit of {limits.MaxInterlacedPixels} pixels");
            }

            result = Whole(codec, info, pixels);
        }

        if (result != SKCodecResult.Success)
        {
            return ImageResult.Fail<Decoded>(ImageFailureKind.Corrupt, $"decoding failed: {result}");
        }

        return ImageResult.Success(new Decoded(format, stored.Width, stored.Height, pixels));
    }

    // One row buffer for the whole picture: memory is width × 4 bytes, whatever the height.
    private static SKCodecResult ByRows(SKCodec codec, SKImageInfo info, PixelSummary pixels, out int rowsShort)
    {
        rowsShort = 0;
        var start = codec.StartScanlineDecode(info);
        if (start != SKCodecResult.Success)
        {
            return start is SKCodecResult.Unimplemented or SKCodecResult.InvalidScale or SKCodecResult.InvalidConversion
                ? SKCodecResult.Unimplemented
                : start;
        }

        var row = ArrayPool<byte>.Shared.Rent(info.RowBytes);
        try
        {
            var handle = GCHandle.Alloc(row, GCHandleType.Pinned);
            try
            {
                for (var line = 0; line < info.Height; line++)
                {
                    if (codec.GetScanlines(handle.AddrOfPinnedObject(), 1, info.RowBytes) != 1)
                    {
                        rowsShort = info.Height - line;
                        return SKCodecResult.IncompleteInput;
                    }

                    pixels.AddRow(codec.GetOutputScanline(line), row.AsSpan(0, info.RowBytes));
                }
            }
            finally
            {
                handle.Free();
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(row);
        }

        return SKCodecResult.Success;
    }

    // Native pixels, freed when the decode is summarised: a full-size managed array would stay on the large object
    // heap until a full collection, which the GC (seeing the host's memory, not the function's) may put off for
    // several images.
    private static SKCodecResult Whole(SKCodec codec, SKImageInfo info, PixelSummary pixels)
    {
        using var bitmap = new SKBitmap();
        if (!bitmap.TryAllocPixels(info))
        {
            return SKCodecResult.InternalError;
        }

        var result = codec.GetPixels(info, bitmap.GetPixels());
        if (result != SKCodecResult.Success)
        {
            return result;
        }

        var all = bitmap.GetPixelSpan();
        for (var y = 0; y < info.Height; y++)
        {
            pixels.AddRow(y, all.Slice(y * bitmap.RowBytes, info.Width * 4));
        }

        return SKCodecResult.Success;
    }

    private static string FormatName(SKEncodedImageFormat format) => format switch
    {
        SKEncodedImageFormat.Jpeg => "jpeg",
        SKEncodedImageFormat.Png => "png",
        SKEncodedImageFormat.Webp => "webp",
        SKEncodedImageFormat.Gif => "gif",
        SKEncodedImageFormat.Bmp => "bmp",
        SKEncodedImageFormat.Ico => "ico",
        SKEncodedImageFormat.Wbmp => "wbmp",
        SKEncodedImageFormat.Heif => "heif",
        SKEncodedImageFormat.Avif => "avif",
        SKEncodedImageFormat.Dng => "dng",
        _ => format.ToString().ToLowerInvariant(),
    };

    private readonly record struct Shortfall(int Rows, int LastMcuRow);

    private sealed record Decoded(string Format, int Width, int Height, PixelSummary Pixels);
}
