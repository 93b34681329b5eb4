using ImagePattern.Function.Events;

namespace ImagePattern.Function.Tests.Events;

public sealed class S3KeyCodecTests
{
    [Theory]
    [InlineData("plain.jpg", "plain.jpg")]
    [InlineData("with+space.jpg", "with space.jpg")]
    [InlineData("a%2Bb.jpg", "a+b.jpg")]
    [InlineData("nested/dir/x.png", "nested/dir/x.png")]
    [InlineData("%C3%A9t%C3%A9.jpg", "été.jpg")]
    [InlineData("%E5%86%99%E7%9C%9F.jpg", "写真.jpg")]
    [InlineData("100%25.jpg", "100%.jpg")]
    public void Decode_FormUrlEncodedKey_GivesObjectKey(string encoded, string expected) =>
        Assert.Equal(expected, S3KeyCodec.Decode(encoded));
}
