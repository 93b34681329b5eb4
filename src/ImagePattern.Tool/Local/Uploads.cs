using ImagePattern.Function.Configuration;
using ImagePattern.Function.Events;
using ImagePattern.Function.Pipeline;
using ImagePattern.Imaging.Tooling;

namespace ImagePattern.Tool.Local;

/// <summary>What an uploaded file must end as.</summary>
public static class Expected
{
    /// <summary>Thumbnails written, task COMPLETED.</summary>
    public const string Completed = "COMPLETED";

    /// <summary>Task FAILED for a permanent reason, no retries.</summary>
    public const string Failed = "FAILED";

    /// <summary>Same bytes as an earlier upload: no second task.</summary>
    public const string Duplicate = "DUPLICATE";

    /// <summary>Acknowledged by the function without a task (extension not in <c>IMAGE_SUFFIXES</c>, folder marker).</summary>
    public const string Ignored = "IGNORED";

    /// <summary>No notification rule sent it to the queue: the function never saw it.</summary>
    public const string Skipped = "SKIPPED";

    /// <summary>Never accounted for within the time limit.</summary>
    public const string Missing = "MISSING";
}

/// <summary>One file to upload and the outcome it must reach.</summary>
/// <param name="Key">Object key in the source bucket.</param>
/// <param name="Data">Bytes (empty when <paramref name="SkipReason"/> is set: the file is not read).</param>
/// <param name="Expect">Outcome it must reach (see <see cref="Expected"/>).</param>
/// <param name="SkipReason">Why the file is not uploaded at all (reported SKIPPED with this reason), or null.</param>
public sealed record Upload(string Key, byte[] Data, string Expect, string? SkipReason = null);

/// <summary>The files a local run uploads.</summary>
public static class Uploads
{
    /// <summary>
    /// The default set, generated on the fly: photos of several sizes and formats, EXIF-rotated, alpha, animated,
    /// keys with spaces, unicode and a nested prefix, one corrupt file and one duplicate upload.
    /// </summary>
    public static IReadOnlyList<Upload> Samples(string prefix)
    {
        var landscape = SampleImages.Create(1600, 1067, SampleFormat.Jpeg, new SampleImageOptions { Seed = 1 });
        var uploads = new List<Upload>
        {
            new("landscape.jpg", landscape, Expected.Completed),
            new("portrait (rotated 90).jpg", SampleImages.Create(900, 1200, SampleFormat.Jpeg, new SampleImageOptions { Orientation = 6, Seed = 2 }), Expected.Completed),
            new("2026/holidays/beach day.jpeg", SampleImages.Create(2400, 1600, SampleFormat.Jpeg, new SampleImageOptions { Seed = 3 }), Expected.Completed),
            new("logo with alpha.png", SampleImages.Create(640, 640, SampleFormat.Png, new SampleImageOptions { Alpha = true, Seed = 4 }), Expected.Completed),
            new("写真/夏 été.webp", SampleImages.Create(900, 600, SampleFormat.Webp, new SampleImageOptions { Seed = 5 }), Expected.Completed),
            new("animated.gif", SampleImages.Create(320, 240, SampleFormat.Gif, new SampleImageOptions { Frames = 4, Seed = 6 }), Expected.Completed),
            new("progressive.jpg", SampleImages.Create(1024, 768, SampleFormat.Jpeg, new SampleImageOptions { Progressive = true, Seed = 7 }), Expected.Completed),
            new("tiny 1x1.png", SampleImages.Create(1, 1, SampleFormat.Png), Expected.Completed),
            new("broken/truncated.jpg", landscape[..(landscape.Length / 3)], Expected.Failed),
            new("not-an-image.png", "this is plain text, not a PNG"u8.ToArray(), Expected.Failed),
            // S3 suffix filters are case-sensitive; the function's extension check is not.
            new("camera/IMG_0001.Jpg", SampleImages.Create(1200, 900, SampleFormat.Jpeg, new SampleImageOptions { Seed = 8 }), Expected.Completed),
            new("notes.txt", "a text file beside the photos"u8.ToArray(), Expected.Ignored),
            // The same bytes to the same key again: one task, the second notification is a duplicate.
            new("landscape.jpg", landscape, Expected.Duplicate),
        };
        return uploads.Select(u => u with { Key = prefix + u.Key }).ToList();
    }

    /// <summary>
    /// Every file under <paramref name="directory"/>, keyed by relative path under the upload prefix. Each is expected
    /// to complete when its extension is one the function thumbnails, and to be ignored otherwise. A file over the
    /// function's <c>MAX_SOURCE_BYTES</c> (which it would refuse anyway, and which may be larger than the local S3
    /// accepts or than memory holds) or one that cannot be read is not read into memory nor uploaded: it is expected
    /// SKIPPED, with the reason.
    /// </summary>
    public static IReadOnlyList<Upload> FromDirectory(string directory, LocalLayout layout)
    {
        ArgumentNullException.ThrowIfNull(layout);
        var root = new DirectoryInfo(directory);
        if (!root.Exists)
        {
            throw new UserErrorException($"IMAGES folder not found: {root.FullName}: point IMAGES at a folder of images.");
        }

        var filter = new ImageKeyFilter(layout.FunctionImageSuffixes);
        var maxBytes = SettingsReader.Read(name => layout.FunctionEnvironment.GetValueOrDefault(name)).Pipeline.Limits.MaxBytes;
        return root.EnumerateFiles("*", SearchOption.AllDirectories)
            .OrderBy(f => f.FullName, StringComparer.Ordinal)
            .Select(f =>
            {
                var key = layout.UploadPrefix + Path.GetRelativePath(root.FullName, f.FullName).Replace(Path.DirectorySeparatorChar, '/');
                if (f.Length > maxBytes)
                {
                    return new Upload(key, [], Expected.Skipped, $"not uploaded: {f.Length:N0} bytes is over MAX_SOURCE_BYTES ({maxBytes:N0}), which the function would refuse");
                }

                byte[] data;
                try
                {
                    data = File.ReadAllBytes(f.FullName);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    return new Upload(key, [], Expected.Skipped, $"not uploaded: the file cannot be read ({e.Message})");
                }

                var wanted = filter.ReasonToIgnore(new SourceObject(layout.SourceBucket, key, data.Length, "", null, null, "ObjectCreated:Put")) is null;
                return new Upload(key, data, wanted ? Expected.Completed : Expected.Ignored);
            })
            .ToList();
    }
}
