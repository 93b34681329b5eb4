using System.Globalization;

namespace ImagePattern.Imaging;

/// <summary>The checks both engines make, in the same order and with the same messages.</summary>
internal static class RequestChecks
{
    /// <summary>Caller mistakes (an empty box, quality outside 1–100) throw; bad images never do.</summary>
    public static void Validate(IReadOnlyList<ThumbnailBox> boxes, EncodeOptions encode, EngineCapabilities engine)
    {
        ArgumentNullException.ThrowIfNull(boxes);
        ArgumentNullException.ThrowIfNull(encode);
        foreach (var box in boxes)
        {
            ArgumentNullException.ThrowIfNull(box, nameof(boxes));
            if (box.Width < 1 || box.Height < 1)
            {
                throw new ArgumentOutOfRangeException(nameof(boxes), box, "thumbnail boxes need a positive width and height");
            }
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(encode.Quality, 1, nameof(encode));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(encode.Quality, 100, nameof(encode));
        if (!engine.Encodes(encode.Format))
        {
            throw new NotSupportedException(
                $"the {engine.Name} engine cannot write {encode.Format.ToString().ToLowerInvariant()}: configuration should have refused it");
        }
    }

    /// <summary>The byte budget, checked before anything is parsed.</summary>
    public static ImageFailure? Bytes(int length, ImageLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        if (length > limits.MaxBytes)
        {
            return new ImageFailure(
                ImageFailureKind.TooManyBytes,
                string.Create(CultureInfo.InvariantCulture, $"{length} bytes is over the limit of {limits.MaxBytes}"));
        }

        return length == 0 ? new ImageFailure(ImageFailureKind.UnsupportedFormat, "empty input: zero bytes") : null;
    }

    /// <summary>The pixel budget from the header: a lower one for interlaced images, which are decoded whole.</summary>
    public static ImageFailure? Pixels(ImageInfo info, ImageLimits limits)
    {
        var pixels = (long)info.Width * info.Height;
        var budget = info.Interlaced ? Math.Min(limits.MaxInterlacedPixels, limits.MaxPixels) : limits.MaxPixels;
        if (pixels <= budget)
        {
            return null;
        }

        var kind = info.Interlaced ? "interlaced image " : string.Empty;
        return new ImageFailure(
            ImageFailureKind.TooManyPixels,
            string.Create(CultureInfo.InvariantCulture, $"{kind}{info.Width}x{info.Height} is {pixels} pixels, over the limit of {budget}"));
    }
}
