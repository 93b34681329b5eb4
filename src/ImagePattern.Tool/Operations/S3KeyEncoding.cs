using System.Globalization;
using System.Text;

namespace ImagePattern.Tool.Operations;

/// <summary>
/// Encodes an object key the way S3 writes it into event notifications (form-URL encoding: a space is <c>+</c>,
/// other bytes outside the unreserved set are <c>%XX</c> of their UTF-8), so that the function's decoding gives the
/// key back. Tooling needs it to build the notifications S3 would have sent; the function only decodes.
/// </summary>
internal static class S3KeyEncoding
{
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
                builder.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }

        return builder.ToString();
    }
}
