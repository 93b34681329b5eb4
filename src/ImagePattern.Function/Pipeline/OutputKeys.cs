using System.Security.Cryptography;
using System.Text;

namespace ImagePattern.Function.Pipeline;

/// <summary>
/// Thumbnail keys: <c>&lt;prefix&gt;&lt;size label&gt;/&lt;full source key&gt;.&lt;thumbnail extension&gt;</c>, so
/// <c>photos/cat.jpg</c> → <c>512x512/photos/cat.jpg.webp</c>. The whole source key, extension and case included,
/// is kept: two source keys never share a thumbnail key (<c>cat.jpg</c> and <c>cat.png</c>, <c>Cat.jpg</c> and
/// <c>cat.jpg</c>), and the source of any thumbnail can be read off its key.
/// </summary>
/// <remarks>
/// S3 keys are at most 1,024 UTF-8 bytes. When the full key would be longer (a source key within a few bytes of
/// that limit), it is shortened deterministically:
/// <c>&lt;prefix&gt;&lt;label&gt;/&lt;start of the source key&gt;~&lt;16 hex of SHA-256(source key)&gt;.&lt;ext&gt;</c>, cut at a
/// character boundary so the result is exactly as long as fits. The hash keeps shortened keys distinct from one
/// another; the task record and the <c>source-key</c> metadata name the source in full.
/// </remarks>
public static class OutputKeys
{
    /// <summary>S3's longest object key, in UTF-8 bytes.</summary>
    public const int MaxKeyBytes = 1024;

    /// <summary>S3's cap on user-defined metadata: names plus values, in UTF-8 bytes.</summary>
    public const int MaxMetadataBytes = 2048;

    /// <summary>Hex digits of the source key's SHA-256 in a shortened key.</summary>
    public const int HashDigits = 16;

    // Counting each name with its header prefix keeps the check on the safe side of how S3 measures.
    private const int MetadataPrefixBytes = 11; // "x-amz-meta-"

    /// <summary>Whether S3 accepts <paramref name="key"/> as an object key.</summary>
    public static bool FitsS3(string key) => Encoding.UTF8.GetByteCount(key) <= MaxKeyBytes;

    /// <summary>Whether S3 accepts <paramref name="metadata"/> with one more entry <paramref name="name"/> = <paramref name="value"/>.</summary>
    public static bool MetadataFitsS3(IReadOnlyDictionary<string, string> metadata, string name, string value)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        var utf8 = Encoding.UTF8;
        var size = metadata.Append(new(name, value)).Sum(m => MetadataPrefixBytes + utf8.GetByteCount(m.Key) + utf8.GetByteCount(m.Value));
        return size <= MaxMetadataBytes;
    }

    /// <summary>
    /// The thumbnail key of <paramref name="sourceKey"/> for the box <paramref name="label"/> in format
    /// <paramref name="extension"/> (no dot). At most <see cref="MaxKeyBytes"/> UTF-8 bytes, unless
    /// <paramref name="prefix"/> and <paramref name="label"/> alone leave no room (then longer: the caller fails the task).
    /// </summary>
    public static string For(string prefix, string label, string sourceKey, string extension)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        ArgumentNullException.ThrowIfNull(label);
        ArgumentNullException.ThrowIfNull(sourceKey);
        ArgumentNullException.ThrowIfNull(extension);
        var full = $"{prefix}{label}/{sourceKey}.{extension}";
        if (FitsS3(full))
        {
            return full;
        }

        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(sourceKey)))[..HashDigits];
        var fixedPart = $"{prefix}{label}/" + $"~{hash}.{extension}";
        var budget = MaxKeyBytes - Encoding.UTF8.GetByteCount(fixedPart);
        return budget < 0 ? full : $"{prefix}{label}/{Start(sourceKey, budget)}~{hash}.{extension}";
    }

    /// <summary>The longest start of <paramref name="text"/> within <paramref name="maxBytes"/> UTF-8 bytes, never splitting a character.</summary>
    private static string Start(string text, int maxBytes)
    {
        var bytes = 0;
        var end = 0;
        while (end < text.Length)
        {
            var width = char.IsSurrogatePair(text, end) ? 2 : 1;
            var size = Encoding.UTF8.GetByteCount(text.AsSpan(end, width));
            if (bytes + size > maxBytes)
            {
                break;
            }

            bytes += size;
            end += width;
        }

        return text[..end];
    }
}
