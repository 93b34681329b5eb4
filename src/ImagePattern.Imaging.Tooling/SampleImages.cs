using NetVips;

namespace ImagePattern.Imaging.Tooling;

/// <summary>
/// Deterministic test and benchmark pictures made by libvips itself: smooth Perlin shading, Worley
/// cells and film-grain noise, so encoders and decoders see photo-like texture rather than flat colour.
/// </summary>
public static class SampleImages
{
    // Per output band: weights for [coarse, medium and fine Perlin, Worley cells, x ramp, y ramp,
    // hard-edged shapes, grain]. Shapes give object-like edges, the fine layers texture at every scale
    // down to a few pixels, the grain a camera's noise at low ISO.
    private static readonly double[,] Mix =
    {
        { 60, 25, 18, -40, 40, 0, 45, 5 },
        { 45, 25, 18, -15, 0, 60, -35, 5 },
        { -55, 25, 18, 30, -30, 20, 30, 5 },
    };

    private static readonly double[] MixOffsets = [120, 100, 110];

    // Each frame uses seeds seed .. seed + 6 for its noise layers.
    private const int SeedsPerFrame = 7;

    /// <summary>
    /// Encodes a generated <paramref name="width"/> × <paramref name="height"/> picture (as displayed, i.e.
    /// after any orientation tag is applied) in <paramref name="format"/>.
    /// </summary>
    /// <exception cref="ArgumentException">The options do not fit the format (e.g. 16-bit JPEG, CMYK WebP).</exception>
    public static byte[] Create(int width, int height, SampleFormat format, SampleImageOptions? options = null)
    {
        options ??= new SampleImageOptions();
        Validate(width, height, format, options);

        using var shaped = options.Frames == 1 ? Frame(width, height, options.Seed, options) : Animation(width, height, options);
        using var stored = options.Orientation is { } orientation ? StoreForOrientation(shaped, orientation) : shaped.Copy();

        // A private copy whose header this method may change.
        using var tagged = stored.Mutate(image =>
        {
            if (options.Orientation is { } tag)
            {
                image.Set(GValue.GIntType, "orientation", tag);
            }

            if (options.Frames > 1)
            {
                image.Set(GValue.GIntType, "page-height", height);
            }
        });

        return Save(tagged, format, options);
    }

    private static Image Frame(int width, int height, int seed, SampleImageOptions options)
    {
        using var colour = Picture(width, height, seed);
        return Shape(colour, options, seed);
    }

    // Frames stacked top to bottom, as libvips holds multi-page images; frame 0 equals the still image.
    private static Image Animation(int width, int height, SampleImageOptions options)
    {
        var frames = new List<Image>(options.Frames);
        try
        {
            for (var i = 0; i < options.Frames; i++)
            {
                frames.Add(Frame(width, height, options.Seed + (SeedsPerFrame * i), options));
            }

            return Image.Arrayjoin([.. frames], across: 1);
        }
        finally
        {
            frames.ForEach(frame => frame.Dispose());
        }
    }

    private static Image Picture(int width, int height, int seed)
    {
        var longest = Math.Max(width, height);
        var cellSize = Math.Max(8, longest / 24);
        using var coarse = Image.Perlin(width, height, cellSize: Math.Max(16, longest / 5), seed: seed);
        using var medium = Image.Perlin(width, height, cellSize: Math.Max(4, longest / 40), seed: seed + 1);
        using var fine = Image.Perlin(width, height, cellSize: Math.Max(3, longest / 300), seed: seed + 6);
        using var cellDistance = Image.Worley(width, height, cellSize: cellSize, seed: seed + 2);
        using var cells = cellDistance.Linear([1.0 / cellSize], [0.0]);
        using var coordinates = Image.Xyz(width, height);
        using var ramps = coordinates.Linear([1.0 / width, 1.0 / height], [0.0]);
        using var shapeField = Image.Perlin(width, height, cellSize: Math.Max(8, longest / 8), seed: seed + 5);
        using var shapeMask = shapeField.RelationalConst(Enums.OperationRelational.More, [0.15]);
        using var shapes = shapeMask.Linear([1.0 / 255], [0.0]);
        using var grain = Image.Gaussnoise(width, height, sigma: 1.0, mean: 0.0, seed: seed + 3);
        using var layers = coarse.Bandjoin(medium, fine, cells, ramps, shapes, grain);
        using var matrix = Image.NewFromArray(Mix);
        using var mixed = layers.Recomb(matrix);
        using var offset = mixed.Linear([1.0], MixOffsets);
        using var bytes = offset.Cast(Enums.BandFormat.Uchar);
        return bytes.Copy(interpretation: Enums.Interpretation.Srgb);
    }

    private static Image Shape(Image colour, SampleImageOptions options, int seed)
    {
        var image = colour.Copy();
        try
        {
            if (options.Grayscale)
            {
                Replace(ref image, image.Colourspace(Enums.Interpretation.Bw));
            }

            if (options.Alpha)
            {
                using var alpha = Alpha(image.Width, image.Height, seed);
                Replace(ref image, image.Bandjoin(alpha));
            }

            if (options.DisplayP3)
            {
                Replace(ref image, image.IccTransform("p3", inputProfile: "srgb", intent: Enums.Intent.Relative));
            }

            if (options.Cmyk)
            {
                Replace(ref image, image.IccTransform("cmyk", inputProfile: "srgb", intent: Enums.Intent.Perceptual));
            }

            if (options.SixteenBit)
            {
                var space = options.Grayscale ? Enums.Interpretation.Grey16 : Enums.Interpretation.Rgb16;
                Replace(ref image, image.Linear([257.0], [0.0]));
                Replace(ref image, image.Cast(Enums.BandFormat.Ushort));
                Replace(ref image, image.Copy(interpretation: space));
            }

            return image;
        }
        catch
        {
            image.Dispose();
            throw;
        }
    }

    // Saturated noise: large fully transparent and fully opaque areas with soft edges between them.
    private static Image Alpha(int width, int height, int seed)
    {
        using var noise = Image.Perlin(width, height, cellSize: Math.Max(8, Math.Max(width, height) / 4), seed: seed + 4);
        using var scaled = noise.Linear([400.0], [128.0]);
        return scaled.Cast(Enums.BandFormat.Uchar);
    }

    // libvips shows a tagged image as flipH(rotate(angle)(stored)); store the inverse of that.
    private static Image StoreForOrientation(Image upright, int orientation)
    {
        var (angle, flip) = orientation switch
        {
            2 => (0, true),
            3 => (180, false),
            4 => (180, true),
            5 => (90, true),
            6 => (90, false),
            7 => (270, true),
            8 => (270, false),
            _ => (0, false),
        };

        var image = upright.Copy();
        if (flip)
        {
            Replace(ref image, image.FlipHor());
        }

        if (angle != 0)
        {
            var inverse = (360 - angle) switch { 90 => Enums.Angle.D90, 180 => Enums.Angle.D180, _ => Enums.Angle.D270 };
            Replace(ref image, image.Rot(inverse));
        }

        return image;
    }

    private static byte[] Save(Image image, SampleFormat format, SampleImageOptions options) => format switch
    {
        SampleFormat.Jpeg => image.JpegsaveBuffer(q: options.Quality, interlace: options.Progressive),
        SampleFormat.Png => image.PngsaveBuffer(interlace: options.Progressive),
        SampleFormat.Webp => image.WebpsaveBuffer(q: options.Quality),
        SampleFormat.Gif => image.GifsaveBuffer(),
        SampleFormat.Avif => image.HeifsaveBuffer(q: options.Quality, compression: Enums.ForeignHeifCompression.Av1),
        SampleFormat.Tiff => image.TiffsaveBuffer(compression: Enums.ForeignTiffCompression.Deflate),
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, null),
    };

    private static void Replace(ref Image image, Image next)
    {
        image.Dispose();
        image = next;
    }

    private static void Validate(int width, int height, SampleFormat format, SampleImageOptions options)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        Require(options.Quality is >= 1 and <= 100, "Quality must be 1-100");
        Require(options.Orientation is null or (>= 1 and <= 8), "Orientation must be 1-8");
        Require(options.Frames >= 1, "Frames must be at least 1");
        Require(options.Orientation is null || format != SampleFormat.Gif, "GIF has no EXIF orientation");
        Require(!options.SixteenBit || format is SampleFormat.Png or SampleFormat.Tiff, "16-bit needs PNG or TIFF");
        Require(!options.Cmyk || format is SampleFormat.Jpeg or SampleFormat.Tiff, "CMYK needs JPEG or TIFF");
        Require(!options.Cmyk || !(options.Alpha || options.Grayscale || options.SixteenBit || options.DisplayP3), "CMYK combines with no other colour option");
        Require(!options.DisplayP3 || !(options.Grayscale || options.SixteenBit), "Display P3 needs 8-bit colour");
        Require(!options.Progressive || format is SampleFormat.Jpeg or SampleFormat.Png, "Progressive needs JPEG or PNG");
        Require(options.Frames == 1 || format is SampleFormat.Gif or SampleFormat.Webp, "Frames need GIF or WebP");
        Require(options.Frames == 1 || options.Orientation is null, "Animated samples cannot carry an orientation");
    }

    private static void Require(bool condition, string message)
    {
        if (!condition)
        {
            throw new ArgumentException(message);
        }
    }
}
