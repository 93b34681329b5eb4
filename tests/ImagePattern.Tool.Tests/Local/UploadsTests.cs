using System.Diagnostics;
using ImagePattern.Imaging.Tooling;
using ImagePattern.Tool.Local;

namespace ImagePattern.Tool.Tests.Local;

/// <summary>What <c>make local IMAGES=</c> makes of a folder on disk: every entry uploaded, or SKIPPED once with why.</summary>
public sealed class UploadsTests : IDisposable
{
    private readonly DirectoryInfo folder = Directory.CreateTempSubdirectory("imagepattern-uploads-");
    private readonly LocalLayout layout = new() { Name = "uploads" };

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => folder.Delete(recursive: true);

    private string PathOf(string relative) => Path.Combine(folder.FullName, relative);

    [Fact]
    public void FromDirectory_LinkBackToAnAncestor_IsReportedOnceAndNotFollowed()
    {
        Directory.CreateDirectory(PathOf("a"));
        File.WriteAllBytes(PathOf("a/photo.jpg"), SampleImages.Create(32, 32, SampleFormat.Jpeg));
        Directory.CreateSymbolicLink(PathOf("a/up"), "..");
        Directory.CreateSymbolicLink(PathOf("again"), "a");

        var uploads = Uploads.FromDirectory(folder.FullName, layout);

        Assert.Equal(["a/photo.jpg", "a/up/", "again/"], uploads.Select(u => u.Key));
        Assert.Equal(Expected.Ended, uploads[0].Expect);
        Assert.Contains("the IMAGES folder itself", uploads[1].SkipReason, StringComparison.Ordinal);
        Assert.Contains("'a'", uploads[2].SkipReason, StringComparison.Ordinal);
        Assert.All(uploads.Skip(1), u => Assert.Equal(Expected.Skipped, u.Expect));
    }

    [Fact]
    public async Task FromDirectory_Fifo_IsSkippedWithoutOpeningIt()
    {
        File.WriteAllBytes(PathOf("photo.jpg"), SampleImages.Create(32, 32, SampleFormat.Jpeg));
        using (var mkfifo = Process.Start(new ProcessStartInfo("mkfifo", [PathOf("pipe.jpg")]) { UseShellExecute = false })!)
        {
            await mkfifo.WaitForExitAsync(Ct);
            Assert.Equal(0, mkfifo.ExitCode);
        }

        // Opening the FIFO would wait for a writer that never comes: the listing returning at all is the check.
        var uploads = Uploads.FromDirectory(folder.FullName, layout);

        var pipe = Assert.Single(uploads, u => u.Key == "pipe.jpg");
        Assert.Equal(Expected.Skipped, pipe.Expect);
        Assert.Contains("not a regular file", pipe.SkipReason, StringComparison.Ordinal);
        Assert.Equal(Expected.Ended, Assert.Single(uploads, u => u.Key == "photo.jpg").Expect);
    }

    [Fact]
    public void FromDirectory_KeyOverS3sLimit_IsSkippedNamingTheLimit()
    {
        // Five nested folders of 120 'é' (2 bytes each in UTF-8) put the key past 1,024 bytes; each name stays under the file system's 255.
        var deep = Path.Combine(Enumerable.Repeat(new string('é', 120), 5).Prepend(folder.FullName).ToArray());
        Directory.CreateDirectory(deep);
        File.WriteAllBytes(Path.Combine(deep, "photo.jpg"), SampleImages.Create(32, 32, SampleFormat.Jpeg));
        File.WriteAllBytes(PathOf("short.jpg"), SampleImages.Create(32, 32, SampleFormat.Jpeg));

        var uploads = Uploads.FromDirectory(folder.FullName, layout);

        var longKey = Assert.Single(uploads, u => u.Key.EndsWith("/photo.jpg", StringComparison.Ordinal));
        Assert.Equal(Expected.Skipped, longKey.Expect);
        Assert.Contains("over S3's 1,024-byte key limit", longKey.SkipReason, StringComparison.Ordinal);
        Assert.Empty(longKey.Data);
        Assert.Null(Assert.Single(uploads, u => u.Key == "short.jpg").SkipReason);
    }

    [Fact]
    public void FromDirectory_GivenAFile_SaysItIsAFileNotAFolder()
    {
        File.WriteAllBytes(PathOf("photo.jpg"), SampleImages.Create(32, 32, SampleFormat.Jpeg));

        var error = Assert.Throws<UserErrorException>(() => Uploads.FromDirectory(PathOf("photo.jpg"), layout));

        Assert.StartsWith("IMAGES is a file, not a folder: ", error.Message, StringComparison.Ordinal);
    }
}
