using System.Net;
using System.Security.Cryptography;
using Amazon.DynamoDBv2.Model;
using Amazon.S3;
using ImagePattern.Function.Configuration;
using ImagePattern.Function.Events;
using ImagePattern.Function.Ledger;
using ImagePattern.Function.Metadata;
using ImagePattern.Function.Observability;
using ImagePattern.Function.Storage;
using ImagePattern.Function.Tests.Support;
using ImagePattern.Function.Pipeline;
using ImagePattern.Imaging;
using ImagePattern.Imaging.Tests.Inspection;
using ImagePattern.Imaging.Tooling;
using ImagePattern.Testing;

namespace ImagePattern.Function.Tests.Metadata;

/// <summary>
/// The metadata consumer as the function composes it (its line in <see cref="Consumers.All"/> on the generic host), with
/// the real AWS SDK against the local stack and the real SkiaSharp inspector.
/// </summary>
public sealed class MetadataConsumerTests(LocalStackFixture stack) : IAsyncLifetime
{
    private static readonly byte[] Photo = new ExifSegment()
        .Orientation(6)
        .Make("Canon")
        .Model("Canon EOS R5")
        .DateTimeOriginal("2024:05:01 10:20:30")
        .OffsetTimeOriginal("+02:00")
        .GpsPosition(48.8584, 2.2945)
        .InsertInto(SampleImages.Create(800, 600, SampleFormat.Jpeg));

    private readonly StringWriter metrics = new();
    private string source = "";
    private string table = "";
    private ConsumerSettings settings = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        source = await stack.NewBucketAsync("in");
        table = await stack.NewTableAsync();
        settings = ConsumerSettings.Read(Variables, EngineCapabilities.Skia, "metadata");
    }

    public ValueTask DisposeAsync()
    {
        metrics.Dispose();
        return ValueTask.CompletedTask;
    }

    private DynamoDbTaskLedger Ledger() => new(stack.Dynamo, table, settings.TaskRetention, TimeProvider.System);

    private string? maxSourceBytes;

    private string? Variables(string name) => name switch
    {
        "SOURCE_BUCKET" => source,
        "TASKS_TABLE" => table,
        "MAX_SOURCE_BYTES" => maxSourceBytes,
        _ => null,
    };

    private FunctionHost Host(IObjectStore? store = null) =>
        FunctionBuilder.For(Consumers.Find("metadata"), Variables)
            .WithLedger(Ledger())
            .WithObjectStore(store ?? new S3ObjectStore(stack.S3))
            .WithLogging(FunctionLogging.None)
            .WithMetricsOutput(metrics)
            .Build();

    private Task<SourceObject> UploadAsync(string key, byte[] data) => Uploads.PutAsync(stack.S3, source, key, data, Ct);

    private static string TaskIdOf(SourceObject uploaded, string recipe) => TaskIdentity.For(uploaded, recipe);

    private static DateTimeOffset Deadline() => TimeProvider.System.GetUtcNow().AddSeconds(60);

    [Fact]
    public async Task Handle_NewPhoto_CompletesWithTheMetadataOnTheRecord()
    {
        var photo = await UploadAsync("camera/IMG_0001.JPG", Photo);
        using var host = Host();

        var response = await host.HandleAsync(SqsEvents.Batch(SqsEvents.Message("m1", SqsEvents.Notification(photo))), Deadline(), Ct);

        Assert.Empty(response.BatchItemFailures);
        var record = await Ledger().GetAsync(TaskIdOf(photo, MetadataWork.MetadataRecipe), Ct);
        Assert.Equal(TaskState.Completed, record!.Status);
        Assert.Equal(1, record.Attempts);
        Assert.Empty(record.Outputs);
        var m = ImageMetadata.FromResult(record.Result)!;
        Assert.Equal(("jpeg", 600, 800, 6), (m.Format, m.Width, m.Height, m.Orientation));
        Assert.Equal("2024-05-01T10:20:30+02:00", m.CapturedAt);
        Assert.Equal(("Canon", "Canon EOS R5"), (m.CameraMake, m.CameraModel));
        Assert.True(m.HasGps);
        Assert.Equal(Photo.Length, m.Bytes);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Photo)), m.Sha256);
        Assert.Matches("^#[0-9a-f]{6}$", m.DominantColor);
        Assert.Equal(4 + (2 * 3 * 4), m.BlurHash.Length);
        Assert.Contains("\"Processed\":1", metrics.ToString(), StringComparison.Ordinal);

        // The stored item: a map attribute of typed values, and nothing of the position.
        var item = (await stack.Dynamo.GetItemAsync(
            new GetItemRequest { TableName = table, Key = new() { ["pk"] = new AttributeValue { S = record.TaskId } }, ConsistentRead = true }, Ct)).Item;
        var stored = item["result"].M;
        Assert.True(stored["has_gps"].BOOL);
        Assert.Equal("800", stored["height"].N);
        Assert.Equal(
            ["blurhash", "bytes", "camera_make", "camera_model", "captured_at", "dominant_color", "format", "has_gps", "height", "orientation", "sha256", "width"],
            stored.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Handle_PngWithoutExif_RecordsNoCameraFacts()
    {
        var png = await UploadAsync("drawing.png", SampleImages.Create(300, 200, SampleFormat.Png));
        using var host = Host();

        await host.HandleAsync(SqsEvents.Batch(SqsEvents.Message("m1", SqsEvents.Notification(png))), Deadline(), Ct);

        var m = ImageMetadata.FromResult((await Ledger().GetAsync(TaskIdOf(png, MetadataWork.MetadataRecipe), Ct))!.Result)!;
        Assert.Equal(("png", 300, 200, 1), (m.Format, m.Width, m.Height, m.Orientation));
        Assert.Null(m.CapturedAt);
        Assert.Null(m.CameraMake);
        Assert.False(m.HasGps);
    }

    [Fact]
    public async Task Handle_SameUploadDeliveredAgain_IsAcknowledgedAsDuplicate()
    {
        var photo = await UploadAsync("again.jpg", Photo);
        using var host = Host();
        await host.HandleAsync(SqsEvents.Batch(SqsEvents.Message("m1", SqsEvents.Notification(photo))), Deadline(), Ct);

        var again = await host.HandleAsync(SqsEvents.Batch(SqsEvents.Message("m2", SqsEvents.Notification(photo))), Deadline(), Ct);

        Assert.Empty(again.BatchItemFailures);
        var lines = metrics.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains("\"Duplicates\":1", lines[^1], StringComparison.Ordinal);
        Assert.Contains("\"Processed\":0", lines[^1], StringComparison.Ordinal);
        Assert.Equal(1, (await Ledger().GetAsync(TaskIdOf(photo, MetadataWork.MetadataRecipe), Ct))!.Attempts);
    }

    [Fact]
    public async Task Handle_TextFileNamedJpg_IsRecordedFailedAndNotRetried()
    {
        var text = await UploadAsync("notes.jpg", "not a picture at all"u8.ToArray());
        using var host = Host();

        var response = await host.HandleAsync(SqsEvents.Batch(SqsEvents.Message("m1", SqsEvents.Notification(text))), Deadline(), Ct);

        Assert.Empty(response.BatchItemFailures);
        var record = await Ledger().GetAsync(TaskIdOf(text, MetadataWork.MetadataRecipe), Ct);
        Assert.Equal(TaskState.Failed, record!.Status);
        Assert.StartsWith("UnsupportedFormat", record.Error, StringComparison.Ordinal);
        Assert.Null(record.Result);
        Assert.Contains("\"PermanentFailures\":1", metrics.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Handle_KeyWithAnUnlistedExtension_IsIgnoredWithoutATask()
    {
        var text = await UploadAsync("notes.txt", "plain text"u8.ToArray());
        using var host = Host();

        var response = await host.HandleAsync(SqsEvents.Batch(SqsEvents.Message("m1", SqsEvents.Notification(text))), Deadline(), Ct);

        Assert.Empty(response.BatchItemFailures);
        Assert.Null(await Ledger().GetAsync(TaskIdOf(text, MetadataWork.MetadataRecipe), Ct));
        Assert.Contains("\"Ignored\":1", metrics.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Handle_ObjectOverTheByteLimit_IsRecordedFailed()
    {
        var photo = await UploadAsync("big.jpg", Photo);
        maxSourceBytes = (Photo.Length - 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
        using var host = Host();

        await host.HandleAsync(SqsEvents.Batch(SqsEvents.Message("m1", SqsEvents.Notification(photo))), Deadline(), Ct);

        Assert.Equal(TaskState.Failed, (await Ledger().GetAsync(TaskIdOf(photo, MetadataWork.MetadataRecipe), Ct))!.Status);
    }

    [Fact]
    public async Task Handle_TransientReadFailure_ReleasesTheLeaseAndCompletesOnRedelivery()
    {
        var photo = await UploadAsync("flaky.jpg", Photo);
        var store = new SlowDownOnFirstRead(new S3ObjectStore(stack.S3));
        using var host = Host(store);

        var first = await host.HandleAsync(SqsEvents.Batch(SqsEvents.Message("m1", SqsEvents.Notification(photo))), Deadline(), Ct);
        var afterFirst = await Ledger().GetAsync(TaskIdOf(photo, MetadataWork.MetadataRecipe), Ct);
        var second = await host.HandleAsync(SqsEvents.Batch(SqsEvents.Message("m1", SqsEvents.Notification(photo))), Deadline(), Ct);

        Assert.Equal(["m1"], first.BatchItemFailures.Select(f => f.ItemIdentifier));
        Assert.Equal(TaskState.InProgress, afterFirst!.Status);
        Assert.True(afterFirst.LeaseExpiresAt <= TimeProvider.System.GetUtcNow(), "a released lease must not block the redelivery");
        Assert.Empty(second.BatchItemFailures);
        var record = await Ledger().GetAsync(TaskIdOf(photo, MetadataWork.MetadataRecipe), Ct);
        Assert.Equal((TaskState.Completed, 2), (record!.Status, record.Attempts));
    }

    [Fact]
    public async Task Handle_SameUploadInTheThumbnailersTable_MakesASeparateTask()
    {
        var photo = await UploadAsync("both.jpg", Photo);
        var output = await stack.NewBucketAsync("out");
        var thumbnailSettings = SettingsReader.Read(name => name switch
        {
            "SOURCE_BUCKET" => source,
            "OUTPUT_BUCKET" => output,
            "TASKS_TABLE" => table,
            _ => null,
        });
        using var thumbnails = new FunctionBuilder(thumbnailSettings).WithLedger(Ledger()).WithObjectStore(new S3ObjectStore(stack.S3)).WithLogging(FunctionLogging.None).WithMetricsOutput(metrics).Build();
        using var metadata = Host();
        var batch = SqsEvents.Batch(SqsEvents.Message("m1", SqsEvents.Notification(photo)));

        await thumbnails.HandleAsync(batch, Deadline(), Ct);
        await metadata.HandleAsync(batch, Deadline(), Ct);

        Assert.NotEqual(thumbnailSettings.Recipe, MetadataWork.MetadataRecipe);
        var thumbnailTask = await Ledger().GetAsync(TaskIdOf(photo, thumbnailSettings.Recipe), Ct);
        var metadataTask = await Ledger().GetAsync(TaskIdOf(photo, MetadataWork.MetadataRecipe), Ct);
        Assert.Equal((TaskState.Completed, 2, false), (thumbnailTask!.Status, thumbnailTask.Outputs.Count, thumbnailTask.Result is not null));
        Assert.Equal((TaskState.Completed, 0, true), (metadataTask!.Status, metadataTask.Outputs.Count, metadataTask.Result is not null));
    }

    [Fact]
    public void Recipe_IsPrefixedSoItNeverEqualsAThumbnailRecipe()
    {
        Assert.Matches("^metadata-[0-9a-f]{8}$", MetadataWork.MetadataRecipe);
    }

    /// <summary>S3's 503 SlowDown on the first read: a fault the emulator cannot produce by itself.</summary>
    private sealed class SlowDownOnFirstRead(IObjectStore inner) : IObjectStore
    {
        private int reads;

        public Task<SourceRead> ReadAsync(SourceObject source, long maxBytes, CancellationToken cancellationToken) =>
            Interlocked.Increment(ref reads) == 1
                ? throw new AmazonS3Exception("Please reduce your request rate.") { StatusCode = HttpStatusCode.ServiceUnavailable, ErrorCode = "SlowDown" }
                : inner.ReadAsync(source, maxBytes, cancellationToken);

        public Task WriteAsync(StoredObject item, CancellationToken cancellationToken) => inner.WriteAsync(item, cancellationToken);
    }
}
