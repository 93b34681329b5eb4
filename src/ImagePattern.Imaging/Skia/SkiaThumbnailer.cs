using SkiaSharp;

namespace ImagePattern.Imaging.Skia;

/// <summary>
/// <see cref="IThumbnailer"/> on SkiaSharp, the default engine. Stateless and thread-safe: each call decodes on
/// the calling thread, so throughput comes from calling it from several threads at once.
/// </summary>
/// <remarks>
/// The header comes from <see cref="SKCodec"/> (no pixel decoded) and the byte and pixel budgets are checked on
/// it first. JPEG is decoded at the smallest DCT scale (in eighths) that still covers the largest box, WebP at a
/// scale that covers it, PNG and GIF (first frame) in full, then box-reduced (<see cref="BoxReducer"/>); then each box is resampled (<see cref="SkiaResampler"/>), turned upright from the
/// EXIF orientation, and encoded without metadata.
/// </remarks>
public sealed class SkiaThumbnailer : IThumbnailer
{
    private static readonly SKColorSpace Srgb = SKColorSpace.CreateSrgb();

    private SkiaThumbnailer()
    {
    }

    /// <summary>Loads SkiaSharp's native library (once per process) and returns a thumbnailer.</summary>
    public static SkiaThumbnailer Initialize()
    {
        // Touching a native-backed object loads libSkiaSharp now rather than on the first image.
        using var bitmap = new SKBitmap(1, 1);
        return new SkiaThumbnailer();
    }

    /// <inheritdoc />
    public unsafe ImageResult<ImageInfo> Probe(ReadOnlyMemory<byte> source)
    {
        if (source.Length == 0)
        {
            return ImageResult.Fail<ImageInfo>(ImageFailureKind.UnsupportedFormat, "empty input: zero bytes");
        }

        using var pinned = source.Pin();
        using var data = SKData.Create((IntPtr)pinned.Pointer, source.Length);
        using var codec = Open(data, source.Span, out var info, out var failure);
        return codec is null ? ImageResult.Fail<ImageInfo>(failure!.Kind, failure.Message) : ImageResult.Success(info!);
    }

    /// <inheritdoc />
    public ImageResult<IReadOnlyList<Thumbnail>> CreateThumbnails(
        ReadOnlyMemory<byte> source,
        IReadOnlyList<ThumbnailBox> boxes,
        EncodeOptions encode,
        ImageLimits limits)
    {
        RequestChecks.Validate(boxes, encode, EngineCapabilities.Skia);
        var rejected = RequestChecks.Bytes(source.Length, limits);
        if (rejected is not null)
        {
            return Fail(rejected);
        }

        if (!source.Span.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8]) || !ContainerFacts.LacksJpegEndMarker(source.Span))
        {
            return Create(source, boxes, encode, limits);
        }

        // A JPEG missing only its end marker is decoded with the marker put back (see JpegEnd). SkiaSharp does not
        // report libjpeg's warnings, so whether every row is really there is asked of the file as it came.
        var incomplete = MissingRows(source);
        return incomplete is null
            ? Create(JpegEnd.Restore(source.ToArray()).Bytes, boxes, encode, limits)
            : Fail(new ImageFailure(ImageFailureKind.Corrupt, incomplete));
    }

    // Decodes the smallest DCT scale row by row without the end marker: data that is whole yields every row but
    // the last row of blocks (libjpeg waits for more bytes before finishing it); data cut short stops earlier. A
    // progressive JPEG cannot be asked this way (its scans are read before any row), so without its marker it
    // counts as cut short on this engine.
    private static unsafe string? MissingRows(ReadOnlyMemory<byte> source)
    {
        using var pinned = source.Pin();
        using var data = SKData.Create((IntPtr)pinned.Pointer, source.Length);
        using var codec = SKCodec.Create(data);
        if (codec is null)
        {
            return null;
        }

        var size = codec.GetScaledDimensions(1 / 8f);
        var info = new SKImageInfo(size.Width, size.Height, SKColorType.Rgba8888, SKAlphaType.Opaque);
        if (codec.StartScanlineDecode(info) != SKCodecResult.Success)
        {
            return "JPEG data ends early (incomplete input) and lacks its end marker";
        }

        var rows = new byte[info.RowBytes * info.Height];
        int decoded;
        fixed (byte* first = rows)
        {
            decoded = codec.GetScanlines((IntPtr)first, info.Height, info.RowBytes);
        }

        // One row of 16-pixel blocks at 1/8 scale is two rows.
        return decoded >= info.Height - 2
            ? null
            : $"JPEG data ends early: {decoded} of {info.Height} rows at 1/8 scale (incomplete input)";
    }

    /// <summary>A one-line reason for a codec result other than success.</summary>
    internal static string Describe(SKCodecResult result) => result switch
    {
        SKCodecResult.IncompleteInput => "image data ends early (incomplete input)",
        SKCodecResult.ErrorInInput => "image data is damaged (error in input)",
        SKCodecResult.InvalidInput => "not a decodable image (invalid input)",
        _ => $"decoding failed ({result})",
    };

    private static unsafe ImageResult<IReadOnlyList<Thumbnail>> Create(
        ReadOnlyMemory<byte> source, IReadOnlyList<ThumbnailBox> boxes, EncodeOptions encode, ImageLimits limits)
    {
        using var pinned = source.Pin();
        using var data = SKData.Create((IntPtr)pinned.Pointer, source.Length);
        using var codec = Open(data, source.Span, out var info, out var failure);
        if (codec is null)
        {
            return Fail(failure!);
        }

        var rejection = RequestChecks.Pixels(info!, limits);
        if (rejection is not null)
        {
            return Fail(rejection);
        }

        if (boxes.Count == 0)
        {
            return ImageResult.Success<IReadOnlyList<Thumbnail>>([]);
        }

        var format = OutputFormats.Resolve(encode.Format, info!, writesAvif: false);
        try
        {
            return ImageResult.Success<IReadOnlyList<Thumbnail>>(Render(codec, info!, boxes, format, encode.Quality));
        }
        catch (SkiaDecodeException e)
        {
            return Fail(new ImageFailure(ImageFailureKind.Corrupt, e.Message));
        }
    }

    private static SKCodec? Open(SKData data, ReadOnlySpan<byte> encoded, out ImageInfo? info, out ImageFailure? failure)
    {
        info = null;
        var codec = SKCodec.Create(data);
        if (codec is null)
        {
            // A known signature whose header cannot be read is damaged, not foreign (libvips says the same).
            failure = KnownSignature(encoded)
                ? new ImageFailure(ImageFailureKind.Corrupt, "the header cannot be read: the file is damaged")
                : new ImageFailure(ImageFailureKind.UnsupportedFormat, "buffer is not in a known format, or its format is not allowed");
            return null;
        }

        info = SkiaHeader.Describe(codec, encoded);
        if (info is null)
        {
            failure = new ImageFailure(
                ImageFailureKind.UnsupportedFormat, $"{codec.EncodedFormat} is not an allowed input format (JPEG, PNG, WebP, GIF)");
            codec.Dispose();
            return null;
        }

        failure = null;
        return codec;
    }

    private static Thumbnail[] Render(SKCodec codec, ImageInfo info, IReadOnlyList<ThumbnailBox> boxes, OutputFormat format, int quality)
    {
        var targets = boxes.Select(box => ThumbnailPlan.TargetSize(info, box)).ToArray();
        var order = ThumbnailPlan.LargestFirst(targets);
        var results = new Thumbnail[boxes.Count];
        var made = new List<SKBitmap>(boxes.Count);
        try
        {
            using var decoded = Decode(codec, info, ThumbnailPlan.Stored(targets[order[0]], info.Orientation));
            foreach (var index in order)
            {
                var target = targets[index];
                var basis = ThumbnailPlan.SmallestCovering(made, bitmap => (bitmap.Width, bitmap.Height), target);
                SKBitmap upright;
                if (basis is null)
                {
                    var stored = ThumbnailPlan.Stored(target, info.Orientation);
                    var resized = SkiaResampler.Resize(decoded, stored.Width, stored.Height);
                    try
                    {
                        upright = SkiaOrientation.Apply(resized, info.Orientation);
                    }
                    catch
                    {
                        resized.Dispose();
                        throw;
                    }

                    // Upright as stored: the resized bitmap is the thumbnail itself, no copy needed.
                    if (upright != resized)
                    {
                        resized.Dispose();
                    }
                }
                else
                {
                    upright = SkiaResampler.Resize(basis, target.Width, target.Height);
                }

                made.Add(upright);
                results[index] = new Thumbnail(boxes[index], SkiaEncoder.Encode(upright, format, quality), upright.Width, upright.Height, format);
            }
        }
        finally
        {
            foreach (var bitmap in made)
            {
                bitmap.Dispose();
            }
        }

        return results;
    }

    // Decodes in the stored orientation, at least as large as `cover` on both axes where the format can scale.
    private static SKBitmap Decode(SKCodec codec, ImageInfo info, (int Width, int Height) cover)
    {
        // Premultiplied so that averaging and resampling weight colour by coverage; sRGB so that an embedded
        // profile (Display P3, CMYK) is converted on decode, since thumbnails carry no profile.
        var alpha = info.HasAlpha ? SKAlphaType.Premul : SKAlphaType.Opaque;
        var full = new SKImageInfo(info.Width, info.Height, SKColorType.Rgba8888, alpha, Srgb);
        var size = info.Format is "jpeg" or "webp" ? SmallestScaleCovering(codec, info, cover) : new SKSizeI(info.Width, info.Height);
        var bitmap = Allocate(full.WithSize(size.Width, size.Height));
        try
        {
            // Frame 0: an animated GIF or WebP gives its first frame.
            var result = codec.GetPixels(bitmap.Info, bitmap.GetPixels(), bitmap.RowBytes, new SKCodecOptions(0));
            if (result != SKCodecResult.Success)
            {
                throw new SkiaDecodeException(Describe(result));
            }

            // Formats without a scaled decode (PNG, GIF) are box-reduced first, keeping at least twice the target
            // so that the resampler still filters the last step. A tiny box on a large image would ask for a
            // factor past what the reducer's sums hold; the resampler's widened kernel takes the rest.
            var factor = (int)Math.Min(
                Math.Floor(Math.Min((double)size.Width / cover.Width, (double)size.Height / cover.Height) / 2),
                BoxReducer.MaxFactor);
            if (factor < 2)
            {
                return bitmap;
            }

            var reduced = BoxReducer.Reduce(bitmap, factor);
            bitmap.Dispose();
            return reduced;
        }
        catch
        {
            bitmap.Dispose();
            throw;
        }
    }

    // SkiaSharp throws a bare Exception when it cannot allocate; within the pixel budget that means the image is unusable.
    private static SKBitmap Allocate(SKImageInfo info)
    {
        var bytes = info.BytesSize64;
        if (bytes > int.MaxValue)
        {
            throw new SkiaDecodeException($"cannot hold {info.Width}x{info.Height} decoded pixels ({bytes} bytes): the image is not usable");
        }

        return new SKBitmap(info);
    }

    // libjpeg-turbo scales in the DCT domain by n/8; Skia answers with the size it would decode at for a scale.
    private static SKSizeI SmallestScaleCovering(SKCodec codec, ImageInfo info, (int Width, int Height) cover)
    {
        for (var eighths = 1; eighths < 8; eighths++)
        {
            var size = codec.GetScaledDimensions(eighths / 8f);
            if (size.Width >= cover.Width && size.Height >= cover.Height)
            {
                return size;
            }
        }

        return new SKSizeI(info.Width, info.Height);
    }

    private static bool KnownSignature(ReadOnlySpan<byte> encoded) =>
        encoded.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF])
        || encoded.StartsWith((ReadOnlySpan<byte>)[0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A])
        || encoded.StartsWith("GIF8"u8)
        || (encoded.Length >= 12 && encoded.StartsWith("RIFF"u8) && encoded[8..].StartsWith("WEBP"u8));

    private static ImageResult<IReadOnlyList<Thumbnail>> Fail(ImageFailure failure) =>
        ImageResult.Fail<IReadOnlyList<Thumbnail>>(failure.Kind, failure.Message);
}
