using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using ImagePattern.Function.Pipeline;
using ImagePattern.Imaging;

namespace ImagePattern.Function.Configuration;

/// <summary>
/// The function's configuration, read once per execution environment from the environment variables
/// Terraform sets (<see cref="EnvironmentVariables"/>). Invalid values fail the cold start with one message
/// that lists every problem.
/// </summary>
public sealed record FunctionSettings
{
    /// <summary>
    /// What the thumbnailer shares with every consumer's pipeline: source bucket, suffixes, task table, limits, retention,
    /// logging, metrics, memory and the time kept in reserve (<see cref="ConsumerSettings"/>).
    /// </summary>
    public required ConsumerSettings Pipeline { get; init; }

    /// <summary>Bucket thumbnails are written to.</summary>
    public required string OutputBucket { get; init; }

    /// <summary>Key prefix for thumbnails (empty or ending in <c>/</c>).</summary>
    public string OutputPrefix { get; init; } = "";

    /// <summary>Boxes thumbnails must fit inside.</summary>
    public required IReadOnlyList<ThumbnailBox> Sizes { get; init; }

    /// <summary>Format and quality of the thumbnails.</summary>
    public required EncodeOptions Encode { get; init; }

    /// <summary>The thumbnail engine (<c>IMAGE_ENGINE</c>); only this one is loaded.</summary>
    public ImageEngine Engine { get; init; } = ImageEngine.Skia;

    /// <summary>
    /// Short fingerprint of what shapes the output (sizes, format, quality): part of the task id, so changing the
    /// settings reprocesses and re-uploading the same bytes does not.
    /// </summary>
    public string Recipe => recipe ??= ComputeRecipe();

    private string? recipe;

    /// <summary>
    /// Images processed at once: Lambda gives one vCPU per 1,769 MB (up to 6), and each engine decodes an image on one thread.
    /// </summary>
    public int ImageParallelism => Pipeline.ImageParallelism;

    /// <summary>The image slots <paramref name="memoryMegabytes"/> buys (see <see cref="ImageParallelism"/>).</summary>
    public static int SlotsFor(int memoryMegabytes) => Math.Clamp((int)Math.Ceiling(memoryMegabytes / 1769.0), 1, 6);

    private string ComputeRecipe()
    {
        var canonical = string.Join(';',
            // v2: thumbnail keys keep the whole source key (cat.jpg → cat.jpg.webp). Bumping the version gives every
            // object a new task id, so a backfill re-makes thumbnails under the new keys instead of finding v1 tasks done.
            "v2",
            string.Join(',', Sizes.Select(s => $"{s.Width}x{s.Height}")),
            Encode.Format.ToString().ToLowerInvariant(),
            Encode.Quality.ToString(CultureInfo.InvariantCulture));
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(canonical));
        return Convert.ToHexStringLower(hash.AsSpan(0, 4));
    }
}
