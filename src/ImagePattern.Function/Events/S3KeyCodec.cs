using System.Net;

namespace ImagePattern.Function.Events;

/// <summary>S3 sends object keys form-URL-encoded in event notifications.</summary>
public static class S3KeyCodec
{
    /// <summary>Decodes a key as S3 writes it into a notification: <c>+</c> is a space, <c>%XX</c> are UTF-8 bytes.</summary>
    public static string Decode(string encodedKey)
    {
        ArgumentNullException.ThrowIfNull(encodedKey);
        return WebUtility.UrlDecode(encodedKey);
    }
}
