using System.Text;
using System.Text.Json;
using Amazon.S3.Model;
using ImagePattern.Function.Configuration;
using ImagePattern.Function.Events;
using ImagePattern.Function.Ledger;
using ImagePattern.Function.Observability;
using ImagePattern.Function.Storage;
using ImagePattern.Function.Tests.Support;
using ImagePattern.Imaging.Tooling;
using ImagePattern.Testing;

namespace ImagePattern.Function.Tests.Pipeline;

/// <summary>
/// The inputs users reported (Fixtures/cases: SQS events exactly as filed), run through the whole handler with the
/// real SDK against the local stack. The events name the deployed bucket and a fixed ETag; each test uploads an image
/// to the event's key and points the event at that upload, as a user reproducing it on the local stack would.
/// </summary>
public sealed class UserCaseTests(LocalStackFixture stack) : IAsyncLifetime
{
    private const string CaseBucket = "imagepattern-source-000000000000-us-east-1";
    private const string CaseETag = "c4979c6b525579552da8c4b015d5b5cf";
    private const string CaseSize = "204530";
    private static readonly byte[] Photo = SampleImages.Create(640, 480, SampleFormat.Jpeg, new SampleImageOptions { Seed = 11 });
    private readonly StringWriter metrics = new();
    private string source = "";
    private string output = "";
    private string table = "";
    private FunctionSettings settings = null!;
    private FaultyStore store = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        settings = await stack.NewFunctionSettingsAsync();
        (source, output, table) = (settings.Pipeline.SourceBucket, settings.OutputBucket, settings.Pipeline.TasksTable);
        store = new FaultyStore(new S3ObjectStore(stack.S3));
    }

    public ValueTask DisposeAsync()
    {
        metrics.Dispose();
        return ValueTask.CompletedTask;
    }

    private DynamoDbTaskLedger Ledger() => new(stack.Dynamo, table, settings.Pipeline.TaskRetention, TimeProvider.System);

    private FunctionHost Host() => new FunctionBuilder(settings).WithLedger(Ledger()).WithObjectStore(store).WithLogging(FunctionLogging.None).WithMetricsOutput(metrics).Build();

    private Task<SourceObject> UploadAsync(string key, byte[] data) => Uploads.PutAsync(stack.S3, source, key, data, Ct);

    /// <summary>The case file with its bucket, ETag and size replaced by those of <paramref name="uploaded"/> (JSON-escaped at any depth).</summary>
    private string CaseEvent(string file, SourceObject? uploaded = null)
    {
        var text = Fixture.Read("cases/" + file).Replace(CaseBucket, source, StringComparison.Ordinal);
        return uploaded is null
            ? text
            : text.Replace(CaseETag, uploaded.ETag, StringComparison.Ordinal).Replace(CaseSize, uploaded.Size.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
    }

    private async Task<SqsBatchResponse> HandleFileAsync(string sqsEventJson)
    {
        using var host = Host();
        var response = await new LambdaEntryPoint(host).HandleAsync(Encoding.UTF8.GetBytes(sqsEventJson), TimeProvider.System.GetUtcNow().AddMinutes(1), Ct);
        return JsonSerializer.Deserialize(response.Span, EventJsonContext.Default.SqsBatchResponse)!;
    }

    private async Task<List<string>> OutputKeysAsync() =>
        ((await stack.S3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = output }, Ct)).S3Objects ?? []).Select(o => o.Key).Order(StringComparer.Ordinal).ToList();

    [Fact]
    public async Task SameStemDifferentExtension_EachSourceKeepsItsOwnThumbnails()
    {
        var jpg = await UploadAsync("same-stem/cat.jpg", Photo);
        var png = await UploadAsync("same-stem/cat.png", SampleImages.Create(300, 300, SampleFormat.Png, new SampleImageOptions { Seed = 12 }));
        using var host = Host();

        var response = await host.HandleAsync(
            SqsEvents.Batch(
                SqsEvents.Message("m-jpg", SqsEvents.Notification(source, jpg.Key, jpg.Size, jpg.ETag)),
                SqsEvents.Message("m-png", SqsEvents.Notification(source, png.Key, png.Size, png.ETag))),
            TimeProvider.System.GetUtcNow().AddSeconds(60),
            Ct);

        Assert.Empty(response.BatchItemFailures);
        var jpgRecord = (await Ledger().GetAsync(TaskIdentity.For(jpg, settings.Recipe), Ct))!;
        var pngRecord = (await Ledger().GetAsync(TaskIdentity.For(png, settings.Recipe), Ct))!;
        Assert.Equal(TaskState.Completed, jpgRecord.Status);
        Assert.Equal(TaskState.Completed, pngRecord.Status);
        // Every thumbnail a record describes exists, and no two records describe the same object.
        var described = jpgRecord.Outputs.Concat(pngRecord.Outputs).Select(o => o.Key).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(4, described.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(described, await OutputKeysAsync());
        Assert.Contains("512x512/same-stem/cat.jpg.webp", described);
        Assert.Contains("512x512/same-stem/cat.png.webp", described);
    }

    [Theory]
    [InlineData("sns-wrapped.json", "evt/sns-wrapped.Jpg")]
    [InlineData("eventbridge-object-created.json", "evt/eventbridge.Jpg")]
    public async Task WrappedEvent_IsProcessedLikeTheDirectNotification_WithTheSameTaskId(string file, string key)
    {
        var uploaded = await UploadAsync(key, Photo);

        var response = await HandleFileAsync(CaseEvent(file, uploaded));

        Assert.Empty(response.BatchItemFailures);
        var record = await Ledger().GetAsync(TaskIdentity.For(uploaded, settings.Recipe), Ct);
        Assert.Equal(TaskState.Completed, record?.Status);
        Assert.Equal([$"128x128/{key}.webp", $"512x512/{key}.webp"], await OutputKeysAsync());

        // The same upload delivered directly afterwards is a duplicate of the wrapped one.
        using var host = Host();
        await host.HandleAsync(SqsEvents.Batch(SqsEvents.Message("direct", SqsEvents.Notification(source, key, uploaded.Size, uploaded.ETag))), TimeProvider.System.GetUtcNow().AddSeconds(60), Ct);
        Assert.Contains("\"Duplicates\":1", metrics.ToString(), StringComparison.Ordinal);
        Assert.Equal(1, (await Ledger().GetAsync(TaskIdentity.For(uploaded, settings.Recipe), Ct))!.Attempts);
    }

    [Fact]
    public async Task VersionedObject_ReadsTheNamedVersion_AndCompletesLocally()
    {
        var uploaded = await UploadAsync("evt/good.Jpg", Photo);

        var response = await HandleFileAsync(CaseEvent("versioned-object.json", uploaded));

        Assert.Empty(response.BatchItemFailures);
        var read = Assert.Single(store.Reads);
        Assert.Equal("3HL4kqtJvjVBH40Nrjfkd", read.VersionId);
        var record = await Ledger().GetAsync(TaskIdentity.For(uploaded with { VersionId = "3HL4kqtJvjVBH40Nrjfkd" }, settings.Recipe), Ct);
        Assert.Equal(TaskState.Completed, record?.Status);
    }

    [Fact]
    public async Task FolderMarker_IsIgnored_WithoutTaskRecordOrRead()
    {
        var response = await HandleFileAsync(CaseEvent("folder-marker.json"));

        Assert.Empty(response.BatchItemFailures);
        Assert.Empty(store.Reads);
        Assert.Empty(await DynamoItemsAsync());
        Assert.Contains("\"Ignored\":1", metrics.ToString(), StringComparison.Ordinal);
        Assert.Contains("\"PermanentFailures\":0", metrics.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnreadableBody_IsReportedAsABatchItemFailure_NotAcknowledged()
    {
        var response = await HandleFileAsync(CaseEvent("unreadable-body.json"));

        Assert.Equal(["poison-1"], response.BatchItemFailures.Select(f => f.ItemIdentifier));
        Assert.Empty(await DynamoItemsAsync());
        Assert.Contains("\"Unreadable\":1", metrics.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task MixedCaseExtension_IsThumbnailed_AndATextFileIsIgnoredWithoutTaskOrRead()
    {
        var image = await UploadAsync("mixed-case/IMG_0001.Jpg", Photo);
        var text = await UploadAsync("mixed-case/notes.txt", "not an image"u8.ToArray());
        using var host = Host();

        var response = await host.HandleAsync(
            SqsEvents.Batch(
                SqsEvents.Message("m-image", SqsEvents.Notification(source, image.Key, image.Size, image.ETag)),
                SqsEvents.Message("m-text", SqsEvents.Notification(source, text.Key, text.Size, text.ETag))),
            TimeProvider.System.GetUtcNow().AddSeconds(60),
            Ct);

        Assert.Empty(response.BatchItemFailures);
        Assert.Equal(TaskState.Completed, (await Ledger().GetAsync(TaskIdentity.For(image, settings.Recipe), Ct))?.Status);
        Assert.Null(await Ledger().GetAsync(TaskIdentity.For(text, settings.Recipe), Ct));
        Assert.Equal([image.Key], store.Reads.Select(r => r.Key));
        Assert.Contains("\"Ignored\":1", metrics.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task MessageWithAnUnreadableRecord_ProcessesTheReadableOne_AndIsKeptForTheDlq()
    {
        var image = await UploadAsync("partly/good.jpg", Photo);
        var good = SqsEvents.Notification(source, image.Key, image.Size, image.ETag);
        // The same notification with a second record that lacks its object's size and eTag.
        var body = good.Replace("}}]}", "}}," + """{"eventName":"ObjectCreated:Put","s3":{"bucket":{"name":"x"},"object":{"key":"partly/bad.jpg"}}}""" + "]}", StringComparison.Ordinal);
        using var host = Host();

        var first = await host.HandleAsync(SqsEvents.Batch(SqsEvents.Message("m", body)), TimeProvider.System.GetUtcNow().AddSeconds(60), Ct);
        var again = await host.HandleAsync(SqsEvents.Batch(SqsEvents.Message("m", body)), TimeProvider.System.GetUtcNow().AddSeconds(60), Ct);

        Assert.Equal(["m"], first.BatchItemFailures.Select(f => f.ItemIdentifier));
        Assert.Equal(["m"], again.BatchItemFailures.Select(f => f.ItemIdentifier));
        var record = (await Ledger().GetAsync(TaskIdentity.For(image, settings.Recipe), Ct))!;
        Assert.Equal(TaskState.Completed, record.Status);
        Assert.Equal(1, record.Attempts);
        Assert.Contains("\"Unreadable\":1", metrics.ToString(), StringComparison.Ordinal);
        Assert.Contains("\"Duplicates\":1", metrics.ToString(), StringComparison.Ordinal);
    }

    private async Task<List<Dictionary<string, Amazon.DynamoDBv2.Model.AttributeValue>>> DynamoItemsAsync() =>
        (await stack.Dynamo.ScanAsync(new Amazon.DynamoDBv2.Model.ScanRequest { TableName = table }, Ct)).Items ?? [];
}
