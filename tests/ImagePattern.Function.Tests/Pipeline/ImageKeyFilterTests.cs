using ImagePattern.Function.Events;
using ImagePattern.Function.Pipeline;

namespace ImagePattern.Function.Tests.Pipeline;

public sealed class ImageKeyFilterTests
{
    private readonly ImageKeyFilter filter = new([".jpg", ".jpeg", ".png", ".webp", ".gif"]);

    private static SourceObject Object(string key, long size = 100) => new("b", key, size, "e", null, null, "ObjectCreated:Put");

    [Theory]
    [InlineData("cat.jpg")]
    [InlineData("IMG_0001.Jpg")]
    [InlineData("photo.JPEG")]
    [InlineData("x.PnG")]
    [InlineData("dir.txt/y.webp")]
    public void ReasonToIgnore_ListedExtensionInAnyCase_IsNull(string key) =>
        Assert.Null(filter.ReasonToIgnore(Object(key)));

    [Theory]
    [InlineData("notes.txt", "'.txt'")]
    [InlineData("README", "(none)")]
    [InlineData("photos/.DS_Store", "(none)")]
    [InlineData(".hidden.txt", "'.txt'")]
    [InlineData("photo.jpg.bak", "'.bak'")]
    [InlineData("x.tiff", "'.tiff'")]
    public void ReasonToIgnore_UnlistedExtension_NamesItAndTheSetting(string key, string extension)
    {
        var reason = filter.ReasonToIgnore(Object(key));

        Assert.NotNull(reason);
        Assert.Contains(extension, reason, StringComparison.Ordinal);
        Assert.Contains("IMAGE_SUFFIXES", reason, StringComparison.Ordinal);
    }

    [Fact]
    public void ReasonToIgnore_ConsoleFolderMarker_IsAFolderMarker() =>
        Assert.Contains("folder marker", filter.ReasonToIgnore(Object("evt/photos/", 0)), StringComparison.Ordinal);
}
