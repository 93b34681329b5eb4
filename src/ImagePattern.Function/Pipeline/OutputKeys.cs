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

    /// <summary>The full output key.</summary>
    public static string For(string prefix, string label, string stem, string extension) => $"{prefix}{label}/{stem}.{extension}";
}
