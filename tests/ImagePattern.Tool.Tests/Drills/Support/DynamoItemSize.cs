using System.Text;
using Amazon.DynamoDBv2.Model;

namespace ImagePattern.Tool.Tests.Drills.Support;

/// <summary>
/// An item's size by DynamoDB's published rules (names and strings in UTF-8 bytes, numbers about one byte per two
/// significant digits plus one, three bytes of overhead per map or list plus one per element): what its write
/// request units are billed on.
/// </summary>
public static class DynamoItemSize
{
    public static int Of(Dictionary<string, AttributeValue> item) =>
        item.Sum(a => Encoding.UTF8.GetByteCount(a.Key) + ValueSize(a.Value));

    private static int ValueSize(AttributeValue value)
    {
        if (value.S is not null)
        {
            return Encoding.UTF8.GetByteCount(value.S);
        }

        if (value.N is not null)
        {
            var digits = value.N.Count(char.IsAsciiDigit);
            return ((digits + 1) / 2) + 1;
        }

        if (value.M is { } map)
        {
            return 3 + map.Sum(m => 1 + Encoding.UTF8.GetByteCount(m.Key) + ValueSize(m.Value));
        }

        if (value.L is { } list)
        {
            return 3 + list.Sum(v => 1 + ValueSize(v));
        }

        return 1;
    }
}
