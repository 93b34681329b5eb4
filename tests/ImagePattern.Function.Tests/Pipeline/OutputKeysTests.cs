using System.Text;
using ImagePattern.Function.Pipeline;

namespace ImagePattern.Function.Tests.Pipeline;

public sealed class OutputKeysTests
{
    [Fact]
    public void For_KeepsTheWholeSourceKeyAndAppendsTheThumbnailExtension() =>
        Assert.Equal("thumbs/512x512/photos/cat.jpg.webp", OutputKeys.For("thumbs/", "512x512", "photos/cat.jpg", "webp"));

    [Fact]
    public void For_SameStemDifferentExtension_GivesDifferentKeys() =>
        Assert.NotEqual(OutputKeys.For("", "128x128", "cat.jpg", "webp"), OutputKeys.For("", "128x128", "cat.png", "webp"));

    [Fact]
    public void For_KeysDifferingOnlyInCase_StayDistinct()
    {
        string[] sources = ["IMG_0001.Jpg", "IMG_0001.jpg", "img_0001.jpg"];

        var keys = sources.Select(k => OutputKeys.For("", "128x128", k, "webp")).ToList();

        Assert.Equal(3, keys.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void For_KeyWithoutExtensionOrWithDots_IsKeptAsIs()
    {
        Assert.Equal("128x128/README.webp", OutputKeys.For("", "128x128", "README", "webp"));
        Assert.Equal("128x128/a.b/c.d.e.jpeg", OutputKeys.For("", "128x128", "a.b/c.d.e", "jpeg"));
    }

    [Theory]
    [InlineData('k', 1)]
    [InlineData('é', 2)]
    [InlineData('写', 3)]
    public void For_SourceKeyNearS3Limit_IsShortenedWithAHashToExactlyTheLimit(char filler, int bytesPerChar)
    {
        var length = (1024 - "a/".Length - ".jpg".Length) / bytesPerChar;
        var key = "a/" + new string(filler, length) + ".jpg";
        var sibling = "a/" + new string(filler, length) + ".png";

        var output = OutputKeys.For("thumbs/", "512x512", key, "webp");

        var bytes = Encoding.UTF8.GetByteCount(output);
        Assert.InRange(bytes, 1024 - bytesPerChar + 1, 1024);
        Assert.StartsWith("thumbs/512x512/a/" + filler, output, StringComparison.Ordinal);
        Assert.Matches("~[0-9a-f]{16}\\.webp$", output);
        Assert.Equal(output, OutputKeys.For("thumbs/", "512x512", key, "webp"));
        Assert.NotEqual(output, OutputKeys.For("thumbs/", "512x512", sibling, "webp"));
    }

    [Fact]
    public void For_Shortening_NeverSplitsASurrogatePair()
    {
        var key = string.Concat(Enumerable.Repeat("😀", 300)); // 4 bytes each: 1,200 bytes

        var output = OutputKeys.For("", "128x128", key, "webp");

        Assert.True(OutputKeys.FitsS3(output));
        var name = output["128x128/".Length..output.IndexOf('~', StringComparison.Ordinal)];
        Assert.Equal(0, name.Length % 2);
        Assert.All(name.EnumerateRunes(), r => Assert.Equal(0x1F600, r.Value));
    }

    [Fact]
    public void For_PrefixLeavingNoRoom_ReturnsAKeyTheCallerRejects()
    {
        var prefix = new string('p', 1020) + "/";

        Assert.False(OutputKeys.FitsS3(OutputKeys.For(prefix, "128x128", "cat.jpg", "webp")));
    }
}
