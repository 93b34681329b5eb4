using NetVips;

namespace ImagePattern.Imaging.LibVips;

/// <summary>
/// <see cref="IThumbnailer"/> on libvips through NetVips. Stateless and thread-safe: libvips runs one worker
/// per image, so throughput comes from calling this from several threads at once.
/// </summary>
/// <remarks>
/// Guard rails run before any pixel is decoded: byte limit, then a header probe for the pixel budget
/// (a lower one for progressive JPEG and interlaced PNG, which libvips must decode whole). Decoding
/// uses <c>fail_on=error</c> so truncated files fail instead of producing grey bands; a JPEG that lacks
/// only its end marker is decoded with the marker put back (<see cref="JpegEnd"/>).
/// </remarks>
public sealed class VipsThumbnailer : IThumbnailer
{
    private static readonly double[] White = [255];

    private VipsThumbnailer()
    {
    }

    /// <summary>The libvips version in use, e.g. <c>8.18.7</c>.</summary>
    public static string LibVipsVersion => LibVipsRuntime.Version;

    /// <summary>Loads and configures libvips (once per process) and returns a thumbnailer.</summary>
    /// <exception cref="InvalidOperationException">libvips could not be loaded.</exception>
    public static VipsThumbnailer Initialize()
    {
        LibVipsRuntime.EnsureInitialized();
        return new VipsThumbnailer();
    }

    /// <inheritdoc />
    public ImageResult<ImageInfo> Probe(ReadOnlyMemory<byte> source)
    {
        var header = source.Length == 0
            ? ImageResult.Fail<VipsHeader>(ImageFailureKind.UnsupportedFormat, "empty input: zero bytes")
            : VipsHeader.Read(source);
        return header.Succeeded
            ? ImageResult.Success(header.Value!.Info)
            : ImageResult.Fail<ImageInfo>(header.Failure!.Kind, header.Failure.Message);
    }

    /// <inheritdoc />
    public ImageResult<IReadOnlyList<Thumbnail>> CreateThumbnails(
        ReadOnlyMemory<byte> source,
        IReadOnlyList<ThumbnailBox> boxes,
        EncodeOptions encode,
        ImageLimits limits)
    {
        RequestChecks.Validate(boxes, encode, EngineCapabilities.Libvips);
        var rejected = RequestChecks.Bytes(source.Length, limits);
        if (rejected is not null)
        {
            return Fail(rejected);
        }

        var probe = VipsHeader.Read(source);
        if (!probe.Succeeded)
        {
            return Fail(probe.Failure!);
        }

        var header = probe.Value!;
        var rejection = RequestChecks.Pixels(header.Info, limits) ?? CheckDecodable(header);
        if (rejection is not null)
        {
            return Fail(rejection);
        }

        if (boxes.Count == 0)
        {
            return ImageResult.Success<IReadOnlyList<Thumbnail>>([]);
        }

        var format = OutputFormats.Resolve(encode.Format, header.Info, writesAvif: true, header.HeifCompression);
        var decodable = header.Info.Format == "jpeg" && ContainerFacts.LacksJpegEndMarker(source.Span)
            ? JpegEnd.Restore(source.ToArray())
            : null;
        try
        {
            LibVipsRuntime.ClearErrors();
            // The source outlives every lazy image read from it: thumbnails are computed inside Render.
            using var input = VipsInput.Open(decodable?.Bytes ?? source);
            var pngColour = header.Info.Format == "png" && !header.HasIccProfile ? PngColour.Read(source.Span) : null;
            return ImageResult.Success<IReadOnlyList<Thumbnail>>(
                Render(input, decodable?.Repaired == true, header, boxes, format, encode.Quality, pngColour));
        }
        catch (VipsException e)
        {
            return Fail(new ImageFailure(ImageFailureKind.Corrupt, VipsMessages.Reason(e)));
        }
    }

    private static ImageFailure? CheckDecodable(VipsHeader header)
    {
        // This libvips build decodes AV1 only; HEVC (HEIC) would fail deep inside libheif.
        if (header.Info.Format == "heif" && header.HeifCompression is not null && header.HeifCompression != "av1")
        {
            return new ImageFailure(
                ImageFailureKind.UnsupportedFormat,
                $"HEIF with {header.HeifCompression} compression cannot be decoded (only AV1/AVIF)");
        }

        return null;
    }

    private static Thumbnail[] Render(
        Source source, bool repaired, VipsHeader header, IReadOnlyList<ThumbnailBox> boxes, OutputFormat format, int quality,
        PngColour? pngColour)
    {
        var targets = boxes.Select(box => ThumbnailPlan.TargetSize(header.Info, box)).ToArray();
        return ThumbnailPlan.Render<Image>(
            boxes,
            targets,
            format,
            image => (image.Width, image.Height),
            (basis, target) =>
            {
                using var lazy = basis is null ? PngColour.Apply(FromSource(source, repaired, header, target), pngColour) : Resize(basis, target);
                return lazy.CopyMemory();
            },
            image => VipsEncoder.Encode(image, format, quality));
    }

    // thumbnail_source shrinks on load (WebP scaled decode, HEIF embedded previews), auto-rotates from
    // EXIF and imports CMYK to sRGB. For JPEG it keeps a factor of two in reserve; like sharp's default,
    // this engine takes the largest DCT-domain factor that still covers the target (up to 8), which
    // saves about a fifth of the time on large photos for a loss far below the encoder's (24 MP sample
    // to 512 px: 49.6 dB against a full decode, while the q80 encode itself lands at 35 dB, as sharp's).
    private static Image FromSource(Source source, bool repaired, VipsHeader header, (int Width, int Height) target)
    {
        // A repaired JPEG is held to fail_on=warning: if its data was really cut short, the decoder now meets the
        // end marker inside a scan and warns, and that must still fail.
        var failOn = repaired ? Enums.FailOn.Warning : Enums.FailOn.Error;
        var jpegShrink = header.Info.Format == "jpeg" ? ThumbnailPlan.JpegShrink(header.Info, target) : 1;
        var rotate = header.RotateLikeLibvips;
        if (jpegShrink == 1 && rotate)
        {
            // thumbnail_source hands fail_on to its loader only through the option string.
            return Image.ThumbnailSource(
                source,
                target.Width,
                optionString: repaired ? "[fail_on=warning]" : "[fail_on=error]",
                height: target.Height,
                size: Enums.Size.Force,
                outputProfile: header.HasIccProfile ? "srgb" : null);
        }

        var options = new VOption();
        if (jpegShrink > 1)
        {
            options.Add("shrink", jpegShrink);
        }

        using var loaded = Image.NewFromSource(source, access: Enums.Access.Sequential, failOn: failOn, kwargs: options);
        if (rotate)
        {
            return Exactly(loaded, target, header.HasIccProfile);
        }

        // libvips would take an orientation from the EXIF thumbnail's directory, or one out of range; browsers
        // apply only a valid one in the main directory. Turn the image ourselves from that reading.
        using var oriented = Orient(loaded, header.Info.Orientation);
        return Exactly(oriented, target, header.HasIccProfile, noRotate: true);
    }

    // A smaller size from a finished, upright thumbnail: no second decode of the source.
    private static Image Resize(Image basis, (int Width, int Height) target) => Exactly(basis, target, iccProfile: false, noRotate: true);

    // The target already keeps the aspect ratio and never enlarges; "force" makes libvips hit it to the pixel.
    // Output is stripped of metadata, so viewers will assume sRGB: convert from an embedded profile (wide-gamut
    // phone photos). Without one the pixels are taken as sRGB already, grey stays grey.
    private static Image Exactly(Image image, (int Width, int Height) target, bool iccProfile, bool noRotate = false) =>
        image.ThumbnailImage(
            target.Width,
            height: target.Height,
            size: Enums.Size.Force,
            noRotate: noRotate,
            outputProfile: iccProfile ? "srgb" : null);

    // EXIF orientation n shows the stored image as flip(rotate(stored)); 1 is as stored.
    private static Image Orient(Image stored, int orientation)
    {
        var (angle, flip) = orientation switch
        {
            2 => (Enums.Angle.D0, true),
            3 => (Enums.Angle.D180, false),
            4 => (Enums.Angle.D180, true),
            5 => (Enums.Angle.D90, true),
            6 => (Enums.Angle.D90, false),
            7 => (Enums.Angle.D270, true),
            8 => (Enums.Angle.D270, false),
            _ => (Enums.Angle.D0, false),
        };

        using var turned = angle == Enums.Angle.D0 ? stored.Copy() : stored.Rot(angle);
        return flip ? turned.FlipHor() : turned.Copy();
    }

    private static ImageResult<IReadOnlyList<Thumbnail>> Fail(ImageFailure failure) =>
        ImageResult.Fail<IReadOnlyList<Thumbnail>>(failure.Kind, failure.Message);

    /// <summary>Encodes a finished thumbnail; see <see cref="VipsThumbnailer"/>.</summary>
    private static class VipsEncoder
    {
        /// <summary>
        /// 8 bits per sample, metadata stripped (<c>keep=none</c>), alpha kept where the format has it and
        /// flattened onto white for JPEG. Encoder settings follow sharp's defaults so sizes and quality compare.
        /// </summary>
        public static byte[] Encode(Image image, OutputFormat format, int quality)
        {
            using var eightBit = ToEightBit(image);
            return format switch
            {
                OutputFormat.Jpeg => EncodeJpeg(eightBit, quality),
                OutputFormat.Webp => eightBit.WebpsaveBuffer(q: quality, keep: Enums.ForeignKeep.None),
                OutputFormat.Png => eightBit.PngsaveBuffer(compression: 6, keep: Enums.ForeignKeep.None),
                OutputFormat.Avif => eightBit.HeifsaveBuffer(
                    q: quality, bitdepth: 8, compression: Enums.ForeignHeifCompression.Av1, keep: Enums.ForeignKeep.None),
                _ => throw new ArgumentOutOfRangeException(nameof(format), format, "a concrete output format is required"),
            };
        }

        private static byte[] EncodeJpeg(Image image, int quality)
        {
            using var opaque = image.HasAlpha() ? image.Flatten(background: White) : image.Copy();
            // Huffman optimisation is lossless and cheap at thumbnail sizes. Chroma is always 4:2:0: libvips
            // would switch to 4:4:4 from q90, sharp and Pillow do not, and sizes should not jump at q90.
            return opaque.JpegsaveBuffer(
                q: quality, optimizeCoding: true, subsampleMode: Enums.ForeignSubsample.On, keep: Enums.ForeignKeep.None);
        }

        // 16-bit sources (PNG, TIFF) stay 16-bit through the thumbnail; thumbnails are 8-bit everywhere.
        private static Image ToEightBit(Image image)
        {
            if (image.Format == Enums.BandFormat.Uchar)
            {
                return image.Copy();
            }

            if (image.Interpretation is Enums.Interpretation.Rgb16 or Enums.Interpretation.Grey16)
            {
                return image.Colourspace(image.Interpretation == Enums.Interpretation.Grey16 ? Enums.Interpretation.Bw : Enums.Interpretation.Srgb);
            }

            // Integer formats wider than 8 bits keep their top byte; float data is clipped to 0–255.
            var shift = image.Format is Enums.BandFormat.Ushort or Enums.BandFormat.Short or Enums.BandFormat.Uint or Enums.BandFormat.Int;
            return image.Cast(Enums.BandFormat.Uchar, shift: shift);
        }
    }
}
