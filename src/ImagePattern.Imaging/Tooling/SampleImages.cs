using ImagePattern.Imaging.LibVips;

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
    private static readonly double[] Mix =
    [
        60, 25, 18, -40, 40, 0, 45, 5,
        45, 25, 18, -15, 0, 60, -35, 5,
        -55, 25, 18, 30, -30, 20, 30, 5,
    ];

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
        using var stored = options.Orientation is { } orientation ? StoreForOrientation(shaped, orientation) : shaped.AddReference();

        // A private copy whose header this method may change.
        using var tagged = VipsOperation.Run("copy", op => op.Set("in", stored));
        if (options.Orientation is { } tag)
        {
            tagged.SetInt("orientation", tag);
        }

        if (options.Frames > 1)
        {
            tagged.SetInt("page-height", height);
        }

        return Save(tagged, format, options);
    }

    private static VipsImage Frame(int width, int height, int seed, SampleImageOptions options)
    {
        using var colour = Picture(width, height, seed);
        return Shape(colour, options, seed);
    }

    // Frames stacked top to bottom, as libvips holds multi-page images; frame 0 equals the still image.
    private static VipsImage Animation(int width, int height, SampleImageOptions options)
    {
        var frames = new List<VipsImage>(options.Frames);
        try
        {
            for (var i = 0; i < options.Frames; i++)
            {
                frames.Add(Frame(width, height, options.Seed + (SeedsPerFrame * i), options));
            }

            return VipsOperation.Run("arrayjoin", op => op.Set("in", frames).Set("across", 1));
        }
        finally
        {
            frames.ForEach(frame => frame.Dispose());
        }
    }

    private static VipsImage Picture(int width, int height, int seed)
    {
        var longest = Math.Max(width, height);
        var cellSize = Math.Max(8, longest / 24);
        using var coarse = Perlin(width, height, Math.Max(16, longest / 5), seed);
        using var medium = Perlin(width, height, Math.Max(4, longest / 40), seed + 1);
        using var fine = Perlin(width, height, Math.Max(3, longest / 300), seed + 6);
        using var cellDistance = VipsOperation.Run("worley", op => Size(op, width, height).Set("cell-size", cellSize).Set("seed", seed + 2));
        using var cells = VipsOperation.Run("linear", op => op.Set("in", cellDistance).Set("a", [1.0 / cellSize]).Set("b", [0.0]));
        using var coordinates = VipsOperation.Run("xyz", op => Size(op, width, height));
        using var ramps = VipsOperation.Run("linear", op => op.Set("in", coordinates).Set("a", [1.0 / width, 1.0 / height]).Set("b", [0.0]));
        using var shapeField = Perlin(width, height, Math.Max(8, longest / 8), seed + 5);
        using var shapeMask = VipsOperation.Run("relational_const", op => op.Set("in", shapeField).SetEnum("relational", "more").Set("c", [0.15]));
        using var shapes = VipsOperation.Run("linear", op => op.Set("in", shapeMask).Set("a", [1.0 / 255]).Set("b", [0.0]));
        using var grain = VipsOperation.Run("gaussnoise", op => Size(op, width, height).Set("mean", 0.0).Set("sigma", 1.0).Set("seed", seed + 3));
        using var layers = VipsOperation.Run("bandjoin", op => op.Set("in", [coarse, medium, fine, cells, ramps, shapes, grain]));
        using var matrix = VipsImage.Matrix(8, 3, Mix);
        using var mixed = VipsOperation.Run("recomb", op => op.Set("in", layers).Set("m", matrix));
        using var offset = VipsOperation.Run("linear", op => op.Set("in", mixed).Set("a", [1.0]).Set("b", MixOffsets));
        using var bytes = VipsOperation.Run("cast", op => op.Set("in", offset).SetEnum("format", "uchar"));
        return VipsOperation.Run("copy", op => op.Set("in", bytes).SetEnum("interpretation", "srgb"));
    }

    private static VipsImage Shape(VipsImage colour, SampleImageOptions options, int seed)
    {
        var image = colour.AddReference();
        try
        {
            if (options.Grayscale)
            {
                Replace(ref image, VipsOperation.Run("colourspace", op => op.Set("in", image).SetEnum("space", "b-w")));
            }

            if (options.Alpha)
            {
                using var alpha = Alpha(image.Width, image.Height, seed);
                Replace(ref image, VipsOperation.Run("bandjoin", op => op.Set("in", [image, alpha])));
            }

            if (options.DisplayP3)
            {
                Replace(ref image, VipsOperation.Run("icc_transform", op => op
                    .Set("in", image).Set("input-profile", "srgb").Set("output-profile", "p3").SetEnum("intent", "relative")));
            }

            if (options.Cmyk)
            {
                Replace(ref image, VipsOperation.Run("icc_transform", op => op
                    .Set("in", image).Set("input-profile", "srgb").Set("output-profile", "cmyk").SetEnum("intent", "perceptual")));
            }

            if (options.SixteenBit)
            {
                var space = options.Grayscale ? "grey16" : "rgb16";
                Replace(ref image, VipsOperation.Run("linear", op => op.Set("in", image).Set("a", [257.0]).Set("b", [0.0])));
                Replace(ref image, VipsOperation.Run("cast", op => op.Set("in", image).SetEnum("format", "ushort")));
                Replace(ref image, VipsOperation.Run("copy", op => op.Set("in", image).SetEnum("interpretation", space)));
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
    private static VipsImage Alpha(int width, int height, int seed)
    {
        using var noise = Perlin(width, height, Math.Max(8, Math.Max(width, height) / 4), seed + 4);
        using var scaled = VipsOperation.Run("linear", op => op.Set("in", noise).Set("a", [400.0]).Set("b", [128.0]));
        return VipsOperation.Run("cast", op => op.Set("in", scaled).SetEnum("format", "uchar"));
    }

    // libvips shows a tagged image as flipH(rotate(angle)(stored)); store the inverse of that.
    private static VipsImage StoreForOrientation(VipsImage upright, int orientation)
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

        var image = upright.AddReference();
        if (flip)
        {
            Replace(ref image, VipsOperation.Run("flip", op => op.Set("in", image).SetEnum("direction", "horizontal")));
        }

        if (angle != 0)
        {
            var inverse = (360 - angle) switch { 90 => "d90", 180 => "d180", _ => "d270" };
            Replace(ref image, VipsOperation.Run("rot", op => op.Set("in", image).SetEnum("angle", inverse)));
        }

        return image;
    }

    private static byte[] Save(VipsImage image, SampleFormat format, SampleImageOptions options)
    {
        var (saver, configure) = format switch
        {
            SampleFormat.Jpeg => ("jpegsave_buffer", (Action<VipsOperation>)(op => op.Set("Q", options.Quality).Set("interlace", options.Progressive))),
            SampleFormat.Png => ("pngsave_buffer", op => op.Set("interlace", options.Progressive)),
            SampleFormat.Webp => ("webpsave_buffer", op => op.Set("Q", options.Quality)),
            SampleFormat.Gif => ("gifsave_buffer", _ => { }),
            SampleFormat.Avif => ("heifsave_buffer", op => op.Set("Q", options.Quality).SetEnum("compression", "av1")),
            SampleFormat.Tiff => ("tiffsave_buffer", op => op.SetEnum("compression", "deflate")),
            _ => throw new ArgumentOutOfRangeException(nameof(format), format, null),
        };

        using var op = VipsOperation.Create(saver).Set("in", image);
        configure(op);
        return op.Build().GetBytes("buffer");
    }

    private static VipsImage Perlin(int width, int height, int cellSize, int seed) =>
        VipsOperation.Run("perlin", op => Size(op, width, height).Set("cell-size", cellSize).Set("seed", seed));

    private static VipsOperation Size(VipsOperation op, int width, int height) => op.Set("width", width).Set("height", height);

    private static void Replace(ref VipsImage image, VipsImage next)
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
