namespace ImagePattern.Imaging;

/// <summary>
/// Makes thumbnails from encoded image bytes. The engine knows images and bytes only:
/// nothing of storage, events or tasks, so it can be lifted into any .NET service or swapped
/// for another implementation (SkiaSharp, NetVips) behind this interface.
/// </summary>
public interface IThumbnailer
{
    /// <summary>Reads the header only: format, dimensions, orientation, interlacing, bands.</summary>
    ImageResult<ImageInfo> Probe(ReadOnlyMemory<byte> source);

    /// <summary>
    /// Decodes <paramref name="source"/> once the guard rails in <paramref name="limits"/> pass and
    /// makes one thumbnail per box, in the order given.
    /// </summary>
    ImageResult<IReadOnlyList<Thumbnail>> CreateThumbnails(
        ReadOnlyMemory<byte> source,
        IReadOnlyList<ThumbnailBox> boxes,
        EncodeOptions encode,
        ImageLimits limits);
}
