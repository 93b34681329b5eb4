using ImagePattern.Imaging.Tooling;
using ImagePattern.Tool.Local;

namespace ImagePattern.Tool.Tests.Local;

/// <summary><c>make local</c>'s accounting, through the real stack: every upload appears, with the outcome observed.</summary>
public sealed class LocalRunTests : IDisposable
{
    private readonly DirectoryInfo folder = Directory.CreateTempSubdirectory("imagepattern-local-run-");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => folder.Delete(recursive: true);

    [Fact]
    public async Task FolderWithSameStemMixedCaseAndText_EveryUploadIsReportedWithItsOutcome()
    {
        // The reported folder: cat.jpg + cat.png (same stem), IMG_0001.Jpg (mixed-case extension), a text file.
        await File.WriteAllBytesAsync(Path.Combine(folder.FullName, "cat.jpg"), SampleImages.Create(640, 480, SampleFormat.Jpeg, new SampleImageOptions { Seed = 21 }), Ct);
        await File.WriteAllBytesAsync(Path.Combine(folder.FullName, "cat.png"), SampleImages.Create(320, 320, SampleFormat.Png, new SampleImageOptions { Seed = 22 }), Ct);
        await File.WriteAllBytesAsync(Path.Combine(folder.FullName, "IMG_0001.Jpg"), SampleImages.Create(600, 400, SampleFormat.Jpeg, new SampleImageOptions { Seed = 23 }), Ct);
        await File.WriteAllTextAsync(Path.Combine(folder.FullName, "notes.txt"), "not an image", Ct);
        // Over the function's MAX_SOURCE_BYTES (50 MiB by default): a sparse file, so nothing of it is written or read.
        await using (var huge = File.Create(Path.Combine(folder.FullName, "huge.jpg")))
        {
            huge.SetLength((50L * 1024 * 1024) + 1);
        }

        var layout = new LocalLayout { Name = "report", UploadPrefix = "uploads/" };
        await using var pipeline = await LocalPipeline.StartAsync(new LocalPipelineOptions { Layout = layout }, Ct);
        var uploads = Uploads.FromDirectory(folder.FullName, layout).Append(
            new Upload("elsewhere/outside.jpg", SampleImages.Create(64, 64, SampleFormat.Jpeg), Expected.Skipped));
        var run = new LocalRun(pipeline);
        foreach (var upload in uploads)
        {
            await run.UploadAsync(upload, Ct);
        }

        var tallies = new List<RunProgress>();
        var report = await run.WaitAsync(TimeSpan.FromSeconds(120), tallies.Add, Ct);

        var byKey = report.Entries.ToDictionary(e => e.Key, StringComparer.Ordinal);
        Assert.Equal(["elsewhere/outside.jpg", "uploads/IMG_0001.Jpg", "uploads/cat.jpg", "uploads/cat.png", "uploads/huge.jpg", "uploads/notes.txt"], byKey.Keys.Order(StringComparer.Ordinal));
        Assert.All(report.Entries, e => Assert.True(e.AsExpected, $"{e.Key}: {e.Status}, expected {e.Expected} ({e.Error ?? e.Reason})"));
        Assert.Equal(Expected.Completed, byKey["uploads/IMG_0001.Jpg"].Status);
        Assert.Equal(Expected.Ignored, byKey["uploads/notes.txt"].Status);
        Assert.Contains("'.txt'", byKey["uploads/notes.txt"].Reason, StringComparison.Ordinal);
        Assert.Equal(Expected.Skipped, byKey["elsewhere/outside.jpg"].Status);
        Assert.Contains("prefix 'uploads/'", byKey["elsewhere/outside.jpg"].Reason, StringComparison.Ordinal);
        Assert.Equal(Expected.Skipped, byKey["uploads/huge.jpg"].Status);
        Assert.Contains("over MAX_SOURCE_BYTES", byKey["uploads/huge.jpg"].Reason, StringComparison.Ordinal);
        Assert.False(await ExistsAsync(pipeline, "uploads/huge.jpg"), "a skipped file is never uploaded");
        Assert.Empty(byKey["uploads/cat.jpg"].Outputs.Select(o => o.Key).Intersect(byKey["uploads/cat.png"].Outputs.Select(o => o.Key)));
        Assert.Equal(2, byKey["uploads/cat.png"].Outputs.Count);

        // Progress ended with everything accounted for, by outcome.
        var last = tallies[^1];
        Assert.Equal(6, last.Accounted);
        Assert.Equal(6, last.Total);
        Assert.Equal(3, last.ByOutcome[Expected.Completed]);
        Assert.Equal(1, last.ByOutcome[Expected.Ignored]);
        Assert.Equal(2, last.ByOutcome[Expected.Skipped]);
    }

    [Fact]
    public async Task UserFolderWithFilesTheFunctionRefuses_EachEndsWithItsReasonAndTheRunIsOk()
    {
        // A listed extension whose bytes are no image, an empty one, and a key the function ignores by policy.
        await File.WriteAllTextAsync(Path.Combine(folder.FullName, "not-an-image.jpg"), "plain text", Ct);
        await File.WriteAllBytesAsync(Path.Combine(folder.FullName, "empty.jpg"), [], Ct);
        await File.WriteAllBytesAsync(Path.Combine(folder.FullName, "two\nlines.jpg"), SampleImages.Create(64, 64, SampleFormat.Jpeg), Ct);
        await File.WriteAllBytesAsync(Path.Combine(folder.FullName, "photo.jpg"), SampleImages.Create(64, 64, SampleFormat.Jpeg), Ct);
        var layout = new LocalLayout { Name = "ended" };
        await using var pipeline = await LocalPipeline.StartAsync(new LocalPipelineOptions { Layout = layout }, Ct);
        var run = new LocalRun(pipeline);
        foreach (var upload in Uploads.FromDirectory(folder.FullName, layout))
        {
            await run.UploadAsync(upload, Ct);
        }

        var report = await run.WaitAsync(TimeSpan.FromSeconds(120), cancellationToken: Ct);

        var byKey = report.Entries.ToDictionary(e => e.Key, StringComparer.Ordinal);
        Assert.All(report.Entries, e => Assert.Equal(Expected.Ended, e.Expected));
        Assert.Equal(Expected.Failed, byKey["not-an-image.jpg"].Status);
        Assert.Equal(Expected.Failed, byKey["empty.jpg"].Status);
        Assert.Equal(Expected.Completed, byKey["photo.jpg"].Status);
        Assert.Equal(Expected.Ignored, byKey["two\nlines.jpg"].Status);
        Assert.Contains("control characters", byKey["two\nlines.jpg"].Reason, StringComparison.Ordinal);
        Assert.True(report.Ok, string.Join("; ", report.Entries.Select(e => $"{e.Key}: {e.Status} ({e.Error ?? e.Reason})")));
    }

    [Theory]
    [InlineData(Expected.Completed, null, null, true)]
    [InlineData(Expected.Duplicate, null, null, true)]
    [InlineData(Expected.Failed, "UnsupportedFormat: not an image", null, true)]
    [InlineData(Expected.Failed, null, null, false)]
    [InlineData(Expected.Ignored, null, "acknowledged without a task record: extension '.txt' is not in IMAGE_SUFFIXES", true)]
    [InlineData(Expected.Skipped, null, "not uploaded: not a regular file (Fifo)", true)]
    [InlineData(Expected.Lost, null, "acknowledged without a task record, for no reason the function documents", false)]
    [InlineData(Expected.Missing, null, null, false)]
    public void AsExpected_ForAUsersFile_IsAnyEndWithItsReason(string status, string? error, string? reason, bool expected) =>
        Assert.Equal(expected, new ReportEntry("k", status, Expected.Ended, "t", [], error, reason).AsExpected);

    [Fact]
    public void Ok_WhenAConsumerDeadLettered_IsFalseEvenIfEveryEntryLooksEnded()
    {
        var entries = new[] { new ReportEntry("k", Expected.Completed, Expected.Ended, "t", [], null) };

        Assert.True(new RunReport(entries, new Dictionary<string, int>(), 1, 0).Ok);
        Assert.False(new RunReport(entries, new Dictionary<string, int>(), 1, 1).Ok);
    }

    private static async Task<bool> ExistsAsync(LocalPipeline pipeline, string key)
    {
        var listed = await pipeline.S3.ListObjectsV2Async(new Amazon.S3.Model.ListObjectsV2Request { BucketName = pipeline.Layout.SourceBucket, Prefix = key }, Ct);
        return listed.S3Objects?.Any(o => o.Key == key) == true;
    }
}
