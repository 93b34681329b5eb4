using System.Globalization;
using System.Text.Json;
using ImagePattern.Imaging;
using ImagePattern.Imaging.Inspection;
using ImagePattern.Imaging.Tests.Inspection;
using SkiaSharp;

namespace ImagePattern.Bench;

/// <summary>
/// The metadata consumer's inspection against the thumbnailer, same process, same files, one core: a warm-up pass
/// of each, then timed rounds of each over the batch (every round runs all three passes, so all see the same
/// machine). Inspection is timed twice: on the files as they are (no EXIF thumbnail: the picture is decoded at 1/8),
/// and on copies carrying a 160 px EXIF thumbnail as cameras and phones write (which the inspector must not use: the
/// two should cost the same).
/// Prints <see cref="MetadataTimings"/> as the last stdout line.
/// </summary>
internal static class MetadataCommand
{
    private static readonly ImageLimits Limits = new(MaxBytes: 256L << 20, MaxPixels: 100_000_000, MaxInterlacedPixels: 30_000_000);

    public static int Run(string[] args)
    {
        var rounds = 3;
        var files = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--rounds" && i + 1 < args.Length)
            {
                rounds = int.Parse(args[++i], CultureInfo.InvariantCulture);
            }
            else
            {
                files.Add(args[i]);
            }
        }

        if (files.Count == 0 || rounds < 1)
        {
            Console.Error.WriteLine("metadata needs at least one file and --rounds ≥ 1");
            return 2;
        }

        var inputs = files.Select(File.ReadAllBytes).ToList();
        var withThumbnails = inputs.Select(WithExifThumbnail).ToList();
        var inspector = new SkiaImageInspector();
        var thumbnailer = Thumbnailers.Create(ImageEngine.Skia);
        var boxes = new[] { new ThumbnailBox(512, 512, "512x512") };
        var encode = new EncodeOptions(OutputFormat.Jpeg, 80);

        void InspectWithThumbnails() => InspectAll(withThumbnails);

        void Inspect() => InspectAll(inputs);

        void InspectAll(List<byte[]> batch)
        {
            foreach (var (data, file) in batch.Zip(files))
            {
                var result = inspector.Inspect(data, Limits);
                if (!result.Succeeded)
                {
                    throw new InvalidDataException($"{file}: {result.Failure!.Kind}: {result.Failure.Message}");
                }
            }
        }

        void Thumbnail()
        {
            foreach (var (data, file) in inputs.Zip(files))
            {
                var result = thumbnailer.CreateThumbnails(data, boxes, encode, Limits);
                if (!result.Succeeded)
                {
                    throw new InvalidDataException($"{file}: {result.Failure!.Kind}: {result.Failure.Message}");
                }
            }
        }

        try
        {
            var inspectWarmup = Time(Inspect).WallMs;
            var exifWarmup = Time(InspectWithThumbnails).WallMs;
            var thumbnailWarmup = Time(Thumbnail).WallMs;
            var inspect = new List<(double WallMs, double CpuMs)>();
            var exif = new List<(double WallMs, double CpuMs)>();
            var thumbnail = new List<(double WallMs, double CpuMs)>();
            for (var round = 0; round < rounds; round++)
            {
                inspect.Add(Time(Inspect));
                exif.Add(Time(InspectWithThumbnails));
                thumbnail.Add(Time(Thumbnail));
            }

            var sample = inspector.Inspect(inputs[0], Limits).Value!;
            Console.WriteLine(JsonSerializer.Serialize(
                new MetadataTimings(
                    files.Count,
                    inputs.Average(d => (double)d.Length),
                    new PassTimings(inspectWarmup, inspect.Select(t => t.WallMs).ToList(), inspect.Select(t => t.CpuMs).ToList()),
                    new PassTimings(exifWarmup, exif.Select(t => t.WallMs).ToList(), exif.Select(t => t.CpuMs).ToList()),
                    new PassTimings(thumbnailWarmup, thumbnail.Select(t => t.WallMs).ToList(), thumbnail.Select(t => t.CpuMs).ToList()),
                    $"{sample.Format} {sample.Width}x{sample.Height}, blurhash {sample.BlurHash}, dominant {sample.DominantColor}"),
                BenchJsonContext.Default.MetadataTimings));
            return 0;
        }
        catch (InvalidDataException failure)
        {
            Console.Error.WriteLine(failure.Message);
            return 1;
        }
    }

    // A 160 px wide thumbnail of the picture's own aspect ratio, JPEG q75, in IFD1 of a new APP1 segment.
    private static byte[] WithExifThumbnail(byte[] jpeg)
    {
        using var codec = SKCodec.Create(new MemoryStream(jpeg)) ?? throw new InvalidDataException("not a JPEG the decoder reads");
        var small = codec.GetScaledDimensions(1f / 8);
        using var decoded = new SKBitmap(new SKImageInfo(small.Width, small.Height, SKColorType.Rgba8888, SKAlphaType.Premul));
        if (codec.GetPixels(decoded.Info, decoded.GetPixels()) != SKCodecResult.Success)
        {
            throw new InvalidDataException("could not decode the picture for its thumbnail");
        }

        using var thumbnail = decoded.Resize(new SKImageInfo(160, Math.Max(1, (int)Math.Round(160.0 * small.Height / small.Width))), new SKSamplingOptions(SKFilterMode.Linear));
        using var image = SKImage.FromBitmap(thumbnail);
        return new ExifSegment().Make("bench").Thumbnail(image.Encode(SKEncodedImageFormat.Jpeg, 75).ToArray()).InsertInto(jpeg);
    }

    private static (double WallMs, double CpuMs) Time(Action pass)
    {
        var cpu = Environment.CpuUsage.TotalTime;
        var started = TimeProvider.System.GetTimestamp();
        pass();
        return (TimeProvider.System.GetElapsedTime(started).TotalMilliseconds, (Environment.CpuUsage.TotalTime - cpu).TotalMilliseconds);
    }
}

/// <summary>What <see cref="MetadataCommand"/> reports: both passes over the same batch, in ms per pass.</summary>
internal sealed record MetadataTimings(int Files, double MeanBytes, PassTimings Inspect, PassTimings InspectExifThumbnail, PassTimings Thumbnail, string Sample);
