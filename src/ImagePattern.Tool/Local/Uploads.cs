using System.Text;
using ImagePattern.Function.Configuration;
using ImagePattern.Imaging.Tooling;
using Mono.Unix;

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

    /// <summary>
    /// Acknowledged without a task record although the function documents no reason to ignore it: the message was
    /// dead-lettered, or the work was lost.
    /// </summary>
    public const string Lost = "LOST";

    /// <summary>
    /// The expectation of a user's file (<c>IMAGES=</c>): any end the function documents, with its reason — COMPLETED,
    /// FAILED with the engine's reason, DUPLICATE, IGNORED or SKIPPED with why; never MISSING (stuck) or LOST.
    /// </summary>
    public const string Ended = "ENDED";
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
    /// Every file under <paramref name="directory"/>, keyed by relative path under the upload prefix, expected to
    /// <see cref="Expected.Ended"/>: what the function does with a user's file is its own documented rule, so the run
    /// holds it to ending with a reason rather than to a guess. A file that cannot be uploaded as S3 would take it is
    /// not read into memory nor uploaded, and is expected SKIPPED with the reason: over the function's
    /// <c>MAX_SOURCE_BYTES</c> (which it would refuse anyway), a key over S3's 1,024-byte limit, not a regular file
    /// (a FIFO, device or socket), unreadable. Linked folders are followed once: a link back to a folder already
    /// walked (a cycle) is reported once, SKIPPED, and not followed.
    /// </summary>
    /// <exception cref="UserErrorException"><paramref name="directory"/> does not exist or is a file.</exception>
    public static IReadOnlyList<Upload> FromDirectory(string directory, LocalLayout layout)
    {
        ArgumentNullException.ThrowIfNull(layout);
        var root = new DirectoryInfo(directory);
        if (!root.Exists)
        {
            throw new UserErrorException(File.Exists(root.FullName)
                ? $"IMAGES is a file, not a folder: {root.FullName}: point IMAGES at a folder of images."
                : $"IMAGES folder not found: {root.FullName}: point IMAGES at a folder of images.");
        }

        var maxBytes = SettingsReader.Read(name => layout.FunctionEnvironment.GetValueOrDefault(name)).Pipeline.Limits.MaxBytes;
        var uploads = new List<Upload>();
        // Folders by (device, inode), so a link to a folder already walked is seen whatever path reaches it.
        var walked = new Dictionary<(long Device, long Inode), string>();
        Walk(root, "");
        return uploads;

        void Walk(DirectoryInfo folder, string relative)
        {
            var identity = new UnixDirectoryInfo(folder.FullName);
            walked[(identity.Device, identity.Inode)] = relative;
            IEnumerable<FileSystemInfo> entries;
            try
            {
                entries = folder.EnumerateFileSystemInfos().OrderBy(e => e.Name, StringComparer.Ordinal).ToList();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                uploads.Add(new Upload(layout.UploadPrefix + relative, [], Expected.Skipped, $"not uploaded: the folder cannot be read ({e.Message})"));
                return;
            }

            foreach (var entry in entries)
            {
                var name = relative + entry.Name;
                var key = layout.UploadPrefix + name;
                // stat, not lstat: a link is judged by what it points to.
                var target = new UnixFileInfo(entry.FullName);
                if (!target.Exists)
                {
                    uploads.Add(new Upload(key, [], Expected.Skipped, $"not uploaded: a link to nothing ({entry.LinkTarget})"));
                }
                else if (target.IsDirectory)
                {
                    if (walked.TryGetValue((target.Device, target.Inode), out var earlier))
                    {
                        uploads.Add(new Upload(key + "/", [], Expected.Skipped,
                            $"not followed: a link to {(earlier.Length == 0 ? "the IMAGES folder itself" : $"'{earlier.TrimEnd('/')}'")}, which is already uploaded (a cycle)"));
                    }
                    else
                    {
                        Walk(new DirectoryInfo(entry.FullName), name + "/");
                    }
                }
                else
                {
                    uploads.Add(FromFile(entry.FullName, key, target, maxBytes));
                }
            }
        }
    }

    /// <summary>S3's limit on an object key, in UTF-8 bytes (the S3 User Guide, "Naming Amazon S3 objects").</summary>
    public const int MaxKeyBytes = 1024;

    private static Upload FromFile(string path, string key, UnixFileInfo target, long maxBytes)
    {
        if (!target.IsRegularFile)
        {
            // Opening a FIFO for reading waits for a writer: never open what is not a regular file.
            return new Upload(key, [], Expected.Skipped, $"not uploaded: not a regular file ({target.FileType}), so it has no content to upload");
        }

        var keyBytes = Encoding.UTF8.GetByteCount(key);
        if (keyBytes > MaxKeyBytes)
        {
            return new Upload(key, [], Expected.Skipped, $"not uploaded: the key is {keyBytes:N0} UTF-8 bytes, over S3's {MaxKeyBytes:N0}-byte key limit");
        }

        if (target.Length > maxBytes)
        {
            return new Upload(key, [], Expected.Skipped, $"not uploaded: {target.Length:N0} bytes is over MAX_SOURCE_BYTES ({maxBytes:N0}), which the function would refuse");
        }

        try
        {
            return new Upload(key, File.ReadAllBytes(path), Expected.Ended);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new Upload(key, [], Expected.Skipped, $"not uploaded: the file cannot be read ({e.Message})");
        }
    }
}
