using ImagePattern.Function.Events;

namespace ImagePattern.Function.Pipeline;

/// <summary>
/// Decides, before any task record or S3 read, whether an object notified as created needs thumbnails. Notification
/// rules are prefix-only (S3's suffix filters are case-sensitive, so <c>IMG_0001.Jpg</c> would never be notified):
/// this filter is where the extension is checked, in any case.
/// </summary>
/// <param name="imageSuffixes">Extensions to thumbnail, each starting with <c>.</c> (<c>IMAGE_SUFFIXES</c>), matched case-insensitively.</param>
public sealed class ImageKeyFilter(IReadOnlyList<string> imageSuffixes)
{
    /// <summary>Why <paramref name="source"/> needs no work, or null when it does.</summary>
    /// <remarks>
    /// A console "Create folder" writes a zero-byte object whose key ends in <c>/</c>: a folder marker, not an upload.
    /// A key whose extension is not listed is not an image by this configuration's definition; a listed key whose
    /// bytes are not an image still becomes a FAILED task (the engine decides that).
    /// </remarks>
    public string? ReasonToIgnore(SourceObject source)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (source.Key.EndsWith('/'))
        {
            return source.Size == 0 ? "folder marker (key ends in '/', 0 bytes)" : "key ends in '/': no file name";
        }

        foreach (var suffix in imageSuffixes)
        {
            if (source.Key.EndsWith(suffix, StringComparison.OrdinalIgnoreCase))
            {
                return null;
            }
        }

        return $"extension {ExtensionOf(source.Key)} is not in IMAGE_SUFFIXES ({string.Join(',', imageSuffixes)})";
    }

    private static string ExtensionOf(string key)
    {
        var name = key[(key.LastIndexOf('/') + 1)..];
        var dot = name.LastIndexOf('.');
        // A leading dot starts a hidden file's name (.DS_Store), not an extension.
        return dot <= 0 ? "(none)" : $"'{name[dot..]}'";
    }
}
