using System.Globalization;
using ImagePattern.Imaging;

namespace ImagePattern.Function.Configuration;

/// <summary>
/// Whether a memory size holds the image slots it buys at the decode budget. The same rule is a validation of
/// <c>memory_size</c> in the Terraform function module, so a plan refuses what a cold start would.
/// </summary>
/// <remarks>
/// Rule, in MiB: <c>128 + slots × (2 × MAX_SOURCE_BYTES + decode bytes) / 2^20 ≤ memory</c>, where slots is
/// <see cref="FunctionSettings.ImageParallelism"/> (one per 1,769 MB, 1–6), each slot holds two sources (the batch
/// reads the next object while one decodes) and the decode bytes of one image are what the engine may hold at once at
/// the budget: SkiaSharp 6 × <c>MAX_SOURCE_PIXELS</c> (PNG, WebP and GIF are decoded whole, to RGBA at 8 bits, plus
/// the first reduction; measured by the memory-budget drill: 5.2 bytes/pixel for a 100 MP PNG); libvips 8 ×
/// <c>MAX_INTERLACED_PIXELS</c> (it streams everything else; interlaced and progressive images are decoded whole;
/// measured: 6.1 bytes/pixel for a 30 MP progressive JPEG, 3.8 for an interlaced PNG, 0.6 per
/// <c>MAX_SOURCE_PIXELS</c> for a streamed PNG); the metadata consumer 13 × <c>MAX_INTERLACED_PIXELS</c> (it decodes
/// a baseline JPEG row by row and everything else whole within <c>MAX_INTERLACED_PIXELS</c>; its widest case is a
/// 16-bit RGBA interlaced PNG, which Skia buffers at its stored 8 bytes/pixel beside the 4 bytes/pixel it decodes to:
/// measured alone at 13.2 bytes/pixel with its 1.0 bytes/pixel of source, so 12.2 of decode, against 8.8 for an 8-bit
/// interlaced PNG, 6.3 for a progressive JPEG or a lossless WebP, 5.7 for a plain PNG and 4.7 for a GIF, each at
/// 30 MP with its source). The 128 MiB covers the runtime (the packaged bootstrap's peak after a small image: 34 MB
/// on SkiaSharp, 42 MB on libvips, 27 MB in the metadata consumer), the AWS clients and a batch in flight.
/// </remarks>
public static class MemoryBudget
{
    /// <summary>MiB kept for the process itself beyond the image slots.</summary>
    public const int RuntimeMegabytes = 128;

    /// <summary>Bytes one image may need at the budget in the thumbnailer on <paramref name="engine"/>.</summary>
    public static long ThumbnailBytes(ImageEngine engine, ImageLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        return (2L * limits.MaxBytes) + (engine == ImageEngine.Skia ? 6L * limits.MaxPixels : 8L * limits.MaxInterlacedPixels);
    }

    /// <summary>Bytes one image may need at the budget in the metadata consumer.</summary>
    public static long InspectionBytes(ImageLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        return (2L * limits.MaxBytes) + (13L * limits.MaxInterlacedPixels);
    }

    /// <summary>The smallest memory size (MB) that holds <paramref name="slots"/> images of <paramref name="bytesPerImage"/>.</summary>
    public static int RequiredMegabytes(int slots, long bytesPerImage) =>
        (int)Math.Ceiling(RuntimeMegabytes + (slots * (double)bytesPerImage / (1024 * 1024)));

    /// <summary>The configuration error when <paramref name="memoryMegabytes"/> is too small, or null.</summary>
    public static string? Problem(int memoryMegabytes, int slots, long bytesPerImage, string what)
    {
        var required = RequiredMegabytes(slots, bytesPerImage);
        return memoryMegabytes >= required
            ? null
            : string.Create(
                CultureInfo.InvariantCulture,
                $"{EnvironmentVariables.LambdaMemorySize}={memoryMegabytes} cannot hold {slots} image slot(s) of {what} at the decode budget: needs at least {required} MB (128 + slots x (2 x MAX_SOURCE_BYTES + decode bytes) / MiB); raise memory_size or lower MAX_SOURCE_PIXELS / MAX_INTERLACED_PIXELS / MAX_SOURCE_BYTES");
    }
}
