using ImagePattern.Function.Events;

namespace ImagePattern.Function.Tests.Events;

public sealed class TaskIdentityTests
{
    private static SourceObject Source(string? versionId = null, string etag = "etag1") =>
        new("photos-in", "dir/a b.jpg", 10, etag, versionId, null, "ObjectCreated:Put");

    [Fact]
    public void For_UnversionedObject_UsesETag() =>
        Assert.Equal("photos-in/dir/a b.jpg@etag1#abcd1234", TaskIdentity.For(Source(), "abcd1234"));

    [Fact]
    public void For_VersionedObject_UsesVersionId() =>
        Assert.Equal("photos-in/dir/a b.jpg@v42#abcd1234", TaskIdentity.For(Source("v42"), "abcd1234"));

    [Fact]
    public void For_SameBytesUploadedAgain_IsSameTask() =>
        Assert.Equal(TaskIdentity.For(Source(), "r"), TaskIdentity.For(Source() with { EventTime = DateTimeOffset.UnixEpoch }, "r"));

    [Fact]
    public void For_ChangedRecipeOrBytes_IsNewTask()
    {
        Assert.NotEqual(TaskIdentity.For(Source(), "r1"), TaskIdentity.For(Source(), "r2"));
        Assert.NotEqual(TaskIdentity.For(Source(etag: "a"), "r"), TaskIdentity.For(Source(etag: "b"), "r"));
    }
}
