using ImagePattern.Function.Ledger;
using ImagePattern.Imaging.Tooling;
using ImagePattern.Tool.Local;

namespace ImagePattern.Tool.Tests.EndToEnd;

/// <summary>
/// Each trigger through its real route: S3 → queue; S3 → SNS topic → one queue per consumer; S3 → EventBridge rules →
/// one queue per consumer. In the fan-out modes the metadata consumer runs behind its own poller and table.
/// </summary>
public sealed class TriggerEndToEndTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("s3-notification")]
    [InlineData("sns-fanout")]
    [InlineData("eventbridge")]
    public async Task Upload_ThroughEachTrigger_ThumbnailsAndInFanOutMetadataComplete(string trigger)
    {
        var layout = new LocalLayout { Name = $"trig-{trigger}", Trigger = trigger };
        await using var pipeline = await LocalPipeline.StartAsync(new LocalPipelineOptions { Layout = layout }, Ct);
        var run = new LocalRun(pipeline);
        await run.UploadAsync(new Upload("photos/wide.jpg", SampleImages.Create(640, 480, SampleFormat.Jpeg), Expected.Completed), Ct);
        // Displayed 300x200, stored 200x300 with EXIF orientation 6: the metadata records it as displayed.
        await run.UploadAsync(
            new Upload("photos/IMG_0002.JPG", SampleImages.Create(300, 200, SampleFormat.Jpeg, new SampleImageOptions { Orientation = 6, Seed = 9 }), Expected.Completed),
            Ct);
        await run.UploadAsync(new Upload("photos/logo.png", SampleImages.Create(120, 90, SampleFormat.Png), Expected.Completed), Ct);

        var report = await run.WaitAsync(TimeSpan.FromMinutes(5), cancellationToken: Ct);

        Assert.All(report.Entries, e => Assert.True(e.AsExpected, $"{e.Key}: {e.Status}, consumers {string.Join(", ", e.Consumers?.Select(c => $"{c.Key} {c.Value.Status} {c.Value.Error}") ?? [])} ({e.Error})"));
        Assert.All(report.Entries, e => Assert.Equal(Expected.Completed, e.Status));
        Assert.Equal(0, report.DeadLettered);
        if (trigger == "s3-notification")
        {
            Assert.Equal([LocalLayout.Thumbnails], pipeline.Consumers.Select(c => c.Name));
            Assert.All(report.Entries, e => Assert.Null(e.Consumers));
            return;
        }

        // Every consumer of the function's list runs behind its own queue, poller and table, and reports each upload.
        Assert.Equal(ImagePattern.Function.Consumers.All.Select(c => c.Handler), pipeline.Consumers.Select(c => c.Name));
        Assert.All(report.Entries, e => Assert.Equal(pipeline.Consumers.Skip(1).Select(c => c.Name).Order(StringComparer.Ordinal), e.Consumers!.Keys.Order(StringComparer.Ordinal)));
        var sizes = report.Entries.ToDictionary(e => e.Key, e => e.Consumers!["metadata"]);
        Assert.Equal((Expected.Completed, "640", "480", "jpeg"), Facts(sizes["photos/wide.jpg"]));
        Assert.Equal((Expected.Completed, "300", "200", "jpeg"), Facts(sizes["photos/IMG_0002.JPG"]));
        Assert.Equal((Expected.Completed, "120", "90", "png"), Facts(sizes["photos/logo.png"]));
        foreach (var consumer in pipeline.Consumers.Skip(1))
        {
            var records = await consumer.Records.ScanAsync(Ct);
            Assert.Equal(3, records.Count);
            Assert.All(records, r => Assert.Equal(TaskState.Completed, r.Status));
        }

        // Each its own table: no other consumer's result in the thumbnails' table.
        Assert.All(await pipeline.Tasks.ScanAsync(Ct), r => Assert.Null(r.Result));
    }

    [Fact]
    public async Task EventBridge_KeyWithAnotherExtension_ReachesNoConsumer()
    {
        var layout = new LocalLayout { Name = "trig-eb-filter", Trigger = "eventbridge" };
        await using var pipeline = await LocalPipeline.StartAsync(new LocalPipelineOptions { Layout = layout }, Ct);
        var run = new LocalRun(pipeline);
        await run.UploadAsync(new Upload("notes.txt", "not a photo"u8.ToArray(), Expected.Ignored), Ct);
        await run.UploadAsync(new Upload("a.jpg", SampleImages.Create(64, 48, SampleFormat.Jpeg), Expected.Completed), Ct);

        var report = await run.WaitAsync(TimeSpan.FromMinutes(5), cancellationToken: Ct);

        var text = report.Entries.Single(e => e.Key == "notes.txt");
        Assert.Equal(Expected.Skipped, text.Status);
        Assert.True(text.AsExpected);
        Assert.Single(await pipeline.Tasks.ScanAsync(Ct));
        Assert.All(pipeline.Consumers.Skip(1), consumer => Assert.Single(consumer.Records.ScanAsync(Ct).GetAwaiter().GetResult()));
    }

    private static (string Status, string Width, string Height, string Format) Facts(ReportConsumer metadata) =>
        (metadata.Status, metadata.Result["width"], metadata.Result["height"], metadata.Result["format"]);
}
