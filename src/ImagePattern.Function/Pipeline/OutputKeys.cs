namespace ImagePattern.Function.Pipeline;

/// <summary>Thumbnail keys: <c>&lt;prefix&gt;&lt;size label&gt;/&lt;source key without extension&gt;.&lt;ext&gt;</c>.</summary>
public static class OutputKeys
{
    /// <summary>The source key without its extension (only the last segment's extension is removed).</summary>
    public static string Stem(string sourceKey)
    {
        ArgumentNullException.ThrowIfNull(sourceKey);
        var slash = sourceKey.LastIndexOf('/');
        var dot = sourceKey.LastIndexOf('.');
        return dot > slash + 1 ? sourceKey[..dot] : sourceKey;
    }

    /// <summary>S3's longest object key, in UTF-8 bytes.</summary>
    public const int MaxKeyBytes = 1024;

    /// <summary>S3's cap on user-defined metadata: names plus values, in UTF-8 bytes.</summary>
    public const int MaxMetadataBytes = 2048;

    // Counting each name with its header prefix keeps the check on the safe side of how S3 measures.
    private const int MetadataPrefixBytes = 11; // "x-amz-meta-"

    /// <summary>Whether S3 accepts <paramref name="key"/> as an object key.</summary>
    public static bool FitsS3(string key) => System.Text.Encoding.UTF8.GetByteCount(key) <= MaxKeyBytes;

    /// <summary>Whether S3 accepts <paramref name="metadata"/> with one more entry <paramref name="name"/> = <paramref name="value"/>.</summary>
    public static bool MetadataFitsS3(IReadOnlyDictionary<string, string> metadata, string name, string value)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        var utf8 = System.Text.Encoding.UTF8;
        var size = metadata.Append(new(name, value)).Sum(m => MetadataPrefixBytes + utf8.GetByteCount(m.Key) + utf8.GetByteCount(m.Value));
        return size <= MaxMetadataBytes;
    }

    /// <summary>The full output key.</summary>
    public static string For(string prefix, string label, string stem, string extension) => $"{prefix}{label}/{stem}.{extension}";
}
