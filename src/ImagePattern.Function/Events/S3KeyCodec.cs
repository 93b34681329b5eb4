using System.Net;
using System.Text;

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

    /// <summary>Encodes a key the way S3 does in notifications (used by tooling that synthesises events).</summary>
    public static string Encode(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var builder = new StringBuilder(key.Length + 16);
        foreach (var b in Encoding.UTF8.GetBytes(key))
        {
            var c = (char)b;
            if (c == ' ')
            {
                builder.Append('+');
            }
            else if (char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '*' or '/' or '~')
            {
                builder.Append(c);
            }
            else
            {
                builder.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        return builder.ToString();
    }
}
