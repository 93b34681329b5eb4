using System.Collections.Concurrent;
using Amazon.S3.Model;
using ImagePattern.Function.Ledger;
using ImagePattern.Imaging.Tooling;
using ImagePattern.Packaging.Tests.Support;
using ImagePattern.Testing;
using ImagePattern.Tool.Local;

namespace ImagePattern.Packaging.Tests.Runtime;

/// <summary>
/// What <c>make local</c> runs: uploads go through S3, the notification bridge, SQS and the event-source-mapping
/// poller to the packaged <c>bootstrap</c> behind the Runtime API emulator.
/// </summary>
public sealed class PackagedLocalPipelineTests(X86PackageFixture package)
{
    [Fact]
    public async Task LocalPipeline_WithThePackage_TurnsUploadsIntoTaskRecordsThroughTheBootstrap()
    {
        var ct = TestContext.Current.CancellationToken;
        var output = new ConcurrentQueue<string>();
        await using var pipeline = await LocalPipeline.StartAsync(
            new LocalPipelineOptions { Layout = new LocalLayout { Name = "packaged", MaximumConcurrency = 2 }, Package = package.Zips[0], PackageOutput = output.Enqueue },
            ct);
        var photo = await Notifications.UploadAsync(pipeline, "photos/cat.jpg", SampleImages.Create(800, 600, SampleFormat.Jpeg, new SampleImageOptions { Seed = 3 }));
        var broken = await Notifications.UploadAsync(pipeline, "photos/broken.png", "not a png"u8.ToArray());

        var photoTask = await EndedAsync(pipeline, photo);
        var brokenTask = await EndedAsync(pipeline, broken);

        Assert.Equal(TaskState.Completed, photoTask.Status);
        Assert.Equal(2, photoTask.Outputs.Count);
        Assert.Equal(TaskState.Failed, brokenTask.Status);
        var written = await pipeline.S3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = pipeline.Layout.OutputBucket }, ct);
        Assert.Equal(photoTask.Outputs.Select(o => o.Key).Order(StringComparer.Ordinal), (written.S3Objects ?? []).Select(o => o.Key).Order(StringComparer.Ordinal));
        // The records were written by the bootstrap, whose stdout carried its log lines.
        Assert.Contains(output, l => l.Contains("\"function_request_id\"", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("sns-fanout")]
    [InlineData("eventbridge")]
    public async Task LocalPipeline_FanOutWithThePackage_RunsEveryConsumerBehindItsOwnPoller(string trigger)
    {
        var ct = TestContext.Current.CancellationToken;
        var output = new ConcurrentQueue<string>();
        await using var pipeline = await LocalPipeline.StartAsync(
            new LocalPipelineOptions
            {
                Layout = new LocalLayout { Name = $"packaged-{trigger}", Trigger = trigger, MaximumConcurrency = 2 },
                Package = package.Zips[0],
                PackageOutput = output.Enqueue,
            },
            ct);
        var run = new LocalRun(pipeline);
        await run.UploadAsync(new Upload("photos/dog.jpg", SampleImages.Create(640, 400, SampleFormat.Jpeg, new SampleImageOptions { Seed = 4 }), Expected.Completed), ct);

        var report = await run.WaitAsync(TimeSpan.FromMinutes(5), cancellationToken: ct);

        var entry = Assert.Single(report.Entries);
        var metadata = entry.Consumers!["metadata"];
        Assert.Equal((Expected.Completed, Expected.Completed, "640", "400"), (entry.Status, metadata.Status, metadata.Result["width"], metadata.Result["height"]));
        // Every consumer ran from the one package: each logs under its own function name.
        Assert.All(pipeline.Consumers, consumer =>
            Assert.Contains(output, l => l.Contains($"\"function_name\":\"packaged-{trigger}-{consumer.Name}\"", StringComparison.Ordinal)));
    }

    private static Task<TaskRecord> EndedAsync(LocalPipeline pipeline, (string Key, string ETag, long Size) uploaded)
    {
        var id = ImagePattern.Function.Events.TaskIdentity.For(
            new ImagePattern.Function.Events.SourceObject(pipeline.Layout.SourceBucket, uploaded.Key, uploaded.Size, uploaded.ETag, null, null, "ObjectCreated:Put"),
            pipeline.Settings.Recipe);
        return Eventually.ValueAsync(
            async () => await pipeline.Tasks.GetAsync(id, TestContext.Current.CancellationToken) is { Status: not TaskState.InProgress } record ? record : null,
            $"the task of {uploaded.Key} to end");
    }
}
