using System.Buffers;
using System.Globalization;
using System.Text.Json;
using ImagePattern.Imaging;

namespace ImagePattern.Bench;

/// <summary>
/// The engine as a peer: one warm-up pass over the batch, then timed passes, each file read,
/// thumbnailed to JPEG and written. Prints <see cref="PassTimings"/> as the last stdout line,
/// the same contract as bench/peers/sharp.mjs and bench/peers/pillow.py.
/// </summary>
internal static class ThumbnailsCommand
{
    // Lambda's pixel budgets, but room for the 24 MP PNGs, which weigh about 50 MB each.
    private static readonly ImageLimits Limits = new(MaxBytes: 256L << 20, MaxPixels: 100_000_000, MaxInterlacedPixels: 30_000_000);

    public static int Run(string[] args)
    {
        if (!ThumbnailsOptions.TryParse(args, out var options, out var error))
        {
            Console.Error.WriteLine(error);
            return 2;
        }

        var thumbnailer = Thumbnailers.Create(options.Engine);
        var boxes = new[] { new ThumbnailBox(options.Box, options.Box, $"{options.Box}x{options.Box}") };
        var encode = new EncodeOptions(OutputFormat.Jpeg, options.Quality);

        try
        {
            var (warmup, _) = Pass(thumbnailer, options, boxes, encode);
            var wall = new List<double>();
            var cpu = new List<double>();
            for (var round = 0; round < options.Rounds; round++)
            {
                var (wallMs, cpuMs) = Pass(thumbnailer, options, boxes, encode);
                wall.Add(wallMs);
                cpu.Add(cpuMs);
            }

            Console.WriteLine(JsonSerializer.Serialize(new PassTimings(warmup, wall, cpu), ThumbnailsJsonContext.Default.PassTimings));
            return 0;
        }
        catch (InvalidDataException failure)
        {
            Console.Error.WriteLine(failure.Message);
            return 1;
        }
    }

    // Synchronous file I/O on purpose: one image at a time on one core, as the other peers do. Each file is read
    // into a buffer rented from the shared pool and handed over as a slice of it, as the function's S3 reader does: a
    // fresh array per image would charge the engine for large-object allocation and first-touch page faults (about
    // 10 ms of CPU per 24 MP JPEG and 80 ms per 24 MP PNG here) that neither the function nor the peers pay.
    private static (double WallMs, double CpuMs) Pass(IThumbnailer thumbnailer, ThumbnailsOptions options, ThumbnailBox[] boxes, EncodeOptions encode)
    {
        var cpu = Environment.CpuUsage.TotalTime;
        var clock = TimeProvider.System.GetTimestamp();
        foreach (var file in options.Files)
        {
            using var handle = File.OpenHandle(file);
            var length = checked((int)RandomAccess.GetLength(handle));
            var input = ArrayPool<byte>.Shared.Rent(length);
            try
            {
                var result = thumbnailer.CreateThumbnails(ReadInto(handle, file, input.AsMemory(0, length)), boxes, encode, Limits);
                if (!result.Succeeded)
                {
                    throw new InvalidDataException($"{file}: {result.Failure!.Kind}: {result.Failure.Message}");
                }

                var output = Path.Combine(options.OutputDirectory, Path.GetFileNameWithoutExtension(file) + ".jpg");
                File.WriteAllBytes(output, result.Value![0].Data);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(input);
            }
        }

        return (TimeProvider.System.GetElapsedTime(clock).TotalMilliseconds, (Environment.CpuUsage.TotalTime - cpu).TotalMilliseconds);
    }

    private static ReadOnlyMemory<byte> ReadInto(Microsoft.Win32.SafeHandles.SafeFileHandle handle, string file, Memory<byte> input)
    {
        var read = 0;
        while (read < input.Length)
        {
            var count = RandomAccess.Read(handle, input.Span[read..], read);
            if (count == 0)
            {
                throw new InvalidDataException($"{file}: shrank during the run");
            }

            read += count;
        }

        return input;
    }
}

/// <summary>Command line of <see cref="ThumbnailsCommand"/>.</summary>
internal sealed record ThumbnailsOptions(string OutputDirectory, int Box, int Quality, int Rounds, IReadOnlyList<string> Files, ImageEngine Engine)
{
    public static bool TryParse(string[] args, out ThumbnailsOptions options, out string error)
    {
        string? output = null;
        int box = 512, quality = 80, rounds = 1;
        var engine = EngineCapabilities.Default;
        var files = new List<string>();
        options = null!;
        error = string.Empty;
        for (var i = 0; i < args.Length; i++)
        {
            var needsValue = args[i] is "--out" or "--box" or "--quality" or "--rounds" or "--engine";
            if (needsValue && i + 1 >= args.Length)
            {
                error = $"{args[i]} needs a value";
                return false;
            }

            switch (args[i])
            {
                case "--out": output = args[++i]; break;
                case "--box": box = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--quality": quality = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--rounds": rounds = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--engine":
                    var name = args[++i];
                    engine = EngineCapabilities.FindByName(name)!;
                    if (engine is null)
                    {
                        error = $"--engine must be skia or libvips (got '{name}')";
                        return false;
                    }

                    break;
                default: files.Add(args[i]); break;
            }
        }

        if (output is null || files.Count == 0)
        {
            error = "thumbnails needs --out DIR and at least one file";
            return false;
        }

        options = new ThumbnailsOptions(output, box, quality, rounds, files, engine.Engine);
        return true;
    }
}
