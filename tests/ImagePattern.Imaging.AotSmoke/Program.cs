using ImagePattern.Imaging;
using SkiaSharp;

// Each engine: a JPEG (with an EXIF-free baseline path) and a PNG with alpha, to WebP and JPEG; prints one line
// per case and exits 0 only when every thumbnail has the planned size and decodes back.
var limits = new ImageLimits(50_000_000, 100_000_000, 30_000_000);
ThumbnailBox[] boxes = [new(64, 64, "64x64"), new(32, 32, "32x32")];
var inputs = new (string Name, byte[] Bytes)[]
{
    ("jpeg", Encode(SKEncodedImageFormat.Jpeg, alpha: false)),
    ("png", Encode(SKEncodedImageFormat.Png, alpha: true)),
};
var engines = args.Length == 0 ? [ImageEngine.Skia, ImageEngine.Libvips] : args.Select(a => EngineCapabilities.FindByName(a)!.Engine).ToArray();
var failures = 0;
foreach (var engine in engines)
{
    var thumbnailer = Thumbnailers.Create(engine);
    foreach (var (name, bytes) in inputs)
    {
        foreach (var format in new[] { OutputFormat.Webp, OutputFormat.Jpeg })
        {
            // The PNG arrives as a slice of a larger buffer, as the function's pooled S3 reads do.
            var source = name == "png" ? Pooled(bytes) : bytes;
            var result = thumbnailer.CreateThumbnails(source, boxes, new EncodeOptions(format, 80), limits);
            var ok = result.Succeeded
                && result.Value!.Count == 2
                && (result.Value[0].Width, result.Value[0].Height) == (64, 48)
                && (result.Value[1].Width, result.Value[1].Height) == (32, 24)
                && result.Value.All(t => thumbnailer.Probe(t.Data).Succeeded);
            Console.WriteLine($"{engine} {name} -> {format}: {(ok ? "ok" : "FAILED " + result.Failure?.Message)}");
            failures += ok ? 0 : 1;
        }
    }
}

// Which engine libraries this process has mapped: a process that created only SkiaSharp's engine must not have
// loaded libvips (Native AOT runs NetVips' module initialiser at start unless it is emptied at compile time).
foreach (var library in new[] { "libSkiaSharp.so", "libvips.so.42" })
{
    var mapped = File.ReadLines("/proc/self/maps").Any(line => line.EndsWith("/" + library, StringComparison.Ordinal));
    Console.WriteLine($"{library} {(mapped ? "mapped" : "not mapped")}");
}

return failures == 0 ? 0 : 1;

static ReadOnlyMemory<byte> Pooled(byte[] bytes)
{
    var buffer = new byte[bytes.Length + 4096];
    bytes.CopyTo(buffer, 0);
    return buffer.AsMemory(0, bytes.Length);
}

static byte[] Encode(SKEncodedImageFormat format, bool alpha)
{
    using var bitmap = new SKBitmap(new SKImageInfo(200, 150, SKColorType.Rgba8888, alpha ? SKAlphaType.Premul : SKAlphaType.Opaque));
    using (var canvas = new SKCanvas(bitmap))
    {
        canvas.Clear(alpha ? SKColors.Transparent : SKColors.White);
        using var paint = new SKPaint { Color = SKColors.SteelBlue, IsAntialias = true };
        canvas.DrawCircle(100, 75, 60, paint);
    }

    using var data = bitmap.Encode(format, 90);
    return data.ToArray();
}
