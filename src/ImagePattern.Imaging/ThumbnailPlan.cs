namespace ImagePattern.Imaging;

/// <summary>
/// Thumbnail geometry: the exact output size for each box, the order boxes are made in, and which
/// finished thumbnail a smaller one can be derived from instead of decoding the source again.
/// </summary>
/// <remarks>
/// Sizes are computed once from the source header and then forced on every path (direct, JPEG
/// shrink-on-load, derived). Letting an engine size from an intermediate (a DCT-shrunk image rounded up
/// to whole pixels, or a derived thumbnail) drifts by a pixel or two in about one case in five.
/// </remarks>
internal static class ThumbnailPlan
{
    /// <summary>
    /// Output size for <paramref name="box"/>: fit inside, keep the aspect ratio, never enlarge, at least
    /// one pixel per side; rounding matches libvips' own <c>thumbnail</c>, so both engines agree.
    /// </summary>
    public static (int Width, int Height) TargetSize(ImageInfo source, ThumbnailBox box)
    {
        var (width, height) = Upright(source);
        var shrink = Math.Max((double)width / box.Width, (double)height / box.Height);
        if (shrink <= 1)
        {
            return (width, height);
        }

        return (RoundHalfUp(width / shrink), RoundHalfUp(height / shrink));
    }

    /// <summary>Box indices, largest target first; equal sizes keep their given order.</summary>
    public static int[] LargestFirst(IReadOnlyList<(int Width, int Height)> targets) =>
        [.. Enumerable.Range(0, targets.Count).OrderByDescending(i => (long)targets[i].Width * targets[i].Height)];

    /// <summary>The smallest finished thumbnail at least as large as <paramref name="target"/> on both axes.</summary>
    public static T? SmallestCovering<T>(IEnumerable<T> made, Func<T, (int Width, int Height)> sizeOf, (int Width, int Height) target)
        where T : class
    {
        T? best = null;
        var bestArea = long.MaxValue;
        foreach (var image in made)
        {
            var (width, height) = sizeOf(image);
            var area = (long)width * height;
            if (width >= target.Width && height >= target.Height && area < bestArea)
            {
                best = image;
                bestArea = area;
            }
        }

        return best;
    }

    /// <summary>
    /// Makes a thumbnail for every box, largest <paramref name="targets"/> first, each from the smallest finished one
    /// that covers it (<paramref name="make"/> gets null when none does and must start from the source), encodes each,
    /// and disposes every image made, also when one fails. Results are in the order of <paramref name="boxes"/>.
    /// </summary>
    public static Thumbnail[] Render<TImage>(
        IReadOnlyList<ThumbnailBox> boxes,
        IReadOnlyList<(int Width, int Height)> targets,
        OutputFormat format,
        Func<TImage, (int Width, int Height)> sizeOf,
        Func<TImage?, (int Width, int Height), TImage> make,
        Func<TImage, byte[]> encode)
        where TImage : class, IDisposable
    {
        var results = new Thumbnail[boxes.Count];
        var made = new List<TImage>(boxes.Count);
        try
        {
            foreach (var index in LargestFirst(targets))
            {
                var target = targets[index];
                var image = make(SmallestCovering(made, sizeOf, target), target);
                made.Add(image);
                var (width, height) = sizeOf(image);
                results[index] = new Thumbnail(boxes[index], encode(image), width, height, format);
            }
        }
        finally
        {
            foreach (var image in made)
            {
                image.Dispose();
            }
        }

        return results;
    }

    /// <summary>
    /// The JPEG shrink-on-load factor (1, 2, 4 or 8): the largest after which the decoded image still
    /// covers the target, so the final resize only ever shrinks.
    /// </summary>
    public static int JpegShrink(ImageInfo source, (int Width, int Height) target)
    {
        var (width, height) = Upright(source);
        var shrink = Math.Min((double)width / target.Width, (double)height / target.Height);
        return shrink switch
        {
            >= 8 => 8,
            >= 4 => 4,
            >= 2 => 2,
            _ => 1,
        };
    }

    /// <summary>Displayed size: EXIF orientations 5–8 turn the stored image a quarter turn.</summary>
    public static (int Width, int Height) Upright(ImageInfo source) =>
        source.Orientation >= 5 ? (source.Height, source.Width) : (source.Width, source.Height);

    /// <summary>An upright size expressed in the stored (pre-orientation) axes.</summary>
    public static (int Width, int Height) Stored((int Width, int Height) upright, int orientation) =>
        orientation >= 5 ? (upright.Height, upright.Width) : upright;

    private static int RoundHalfUp(double value) => Math.Max(1, (int)Math.Floor(value + 0.5));
}
