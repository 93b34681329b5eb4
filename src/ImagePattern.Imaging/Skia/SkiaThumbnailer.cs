using SkiaSharp;

namespace ImagePattern.Imaging.Skia;

/// <summary>
/// <see cref="IThumbnailer"/> on SkiaSharp, the default engine. Stateless and thread-safe: each call decodes on
/// the calling thread, so throughput comes from calling it from several threads at once.
/// </summary>
/// <remarks>
/// Budgets are checked on the header (<see cref="SkiaHeader"/>); the source is decoded once, as small as its format
/// allows (<see cref="SkiaDecoder"/>); each box, largest first, is scaled, turned upright and flattened by Skia
/// (<see cref="SkiaScaler"/>), a smaller one from the smallest finished one that covers it, and encoded.
/// </remarks>
public sealed class SkiaThumbnailer : IThumbnailer
{
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
        using var codec = SkiaHeader.Open(data, source.Span, out var info, out var failure);
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

        if (!SkiaJpegEnd.LacksEndMarker(source.Span))
        {
            return Create(source, boxes, encode, limits);
        }

        // A JPEG missing only its end marker is decoded with the marker put back (see JpegEnd).
        var incomplete = SkiaJpegEnd.MissingRows(source);
        return incomplete is null
            ? Create(JpegEnd.Restore(source.ToArray()).Bytes, boxes, encode, limits)
            : Fail(new ImageFailure(ImageFailureKind.Corrupt, incomplete));
    }

    private static unsafe ImageResult<IReadOnlyList<Thumbnail>> Create(
        ReadOnlyMemory<byte> source, IReadOnlyList<ThumbnailBox> boxes, EncodeOptions encode, ImageLimits limits)
    {
        using var pinned = source.Pin();
        using var data = SKData.Create((IntPtr)pinned.Pointer, source.Length);
        using var codec = SkiaHeader.Open(data, source.Span, out var info, out var failure);
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

    private static Thumbnail[] Render(SKCodec codec, ImageInfo info, IReadOnlyList<ThumbnailBox> boxes, OutputFormat format, int quality)
    {
        var targets = boxes.Select(box => ThumbnailPlan.TargetSize(info, box)).ToArray();
        var flatten = format == OutputFormat.Jpeg && info.HasAlpha;
        using var decoded = SkiaDecoder.Decode(codec, info, ThumbnailPlan.Stored(targets[ThumbnailPlan.LargestFirst(targets)[0]], info.Orientation));
        return ThumbnailPlan.Render<SKBitmap>(
            boxes,
            targets,
            format,
            bitmap => (bitmap.Width, bitmap.Height),
            // A finished thumbnail is already upright (and flattened when it has to be).
            (basis, target) => basis is null
                ? SkiaScaler.Render(decoded, target, info.Orientation, flatten)
                : SkiaScaler.Render(basis, target, orientation: 1, flatten: false),
            bitmap => SkiaEncoder.Encode(bitmap, format, quality));
    }

    private static ImageResult<IReadOnlyList<Thumbnail>> Fail(ImageFailure failure) =>
        ImageResult.Fail<IReadOnlyList<Thumbnail>>(failure.Kind, failure.Message);
}
