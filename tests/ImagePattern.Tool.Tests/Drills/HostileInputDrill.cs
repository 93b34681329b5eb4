using ImagePattern.Function.Ledger;
using System.Text;
using Amazon.S3.Model;
using ImagePattern.Function.Events;
using ImagePattern.Imaging.Tooling;
using ImagePattern.Tool.Local;
using ImagePattern.Tool.Tests.Support;
using ImagePattern.Tool.Tests.Drills.Support;

namespace ImagePattern.Tool.Tests.Drills;

/// <summary>
/// Hostile objects and readable messages no S3 would send: each is acknowledged or failed for good on its first
/// delivery; none is retried, none crashes a batch, none reaches the DLQ, and the good uploads beside them complete.
/// (Unreadable messages are kept for the DLQ instead: the poison-message drill.)
/// </summary>
[Collection(DrillsDefinition.Name)]
[Trait("Category", "Drill")]
public sealed class HostileInputDrill(DrillLog log)
{
    private const int SqsMaxBody = 256 * 1024;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task HostileInputs_AreAcknowledgedOrFailedOnce_NothingRetriedNothingDeadLettered()
    {
        var clock = TimeProvider.System.GetTimestamp();
        var metrics = new EmfTally();
        DrillStore store = null!;
        var layout = new LocalLayout { Name = "hostile", FunctionTimeout = TimeSpan.FromSeconds(10) };
        await using var pipeline = await LocalPipeline.StartAsync(
            new LocalPipelineOptions { Layout = layout, DecorateStore = s => store = new DrillStore(s), MetricsOutput = metrics }, Ct);
        var recipe = pipeline.Settings.Recipe;
        var bucket = layout.SourceBucket;

        // Objects uploaded through S3, so their notifications come from the bridge.
        var longKey = "hostile/" + new string('k', 1024 - "hostile/".Length - ".jpg".Length) + ".jpg";
        var wideKey = "hostile/" + string.Concat(Enumerable.Repeat("写", 330)) + ".jpg";
        var photo = SampleImages.Create(640, 480, SampleFormat.Jpeg);
        var uploads = new (string Key, byte[] Data, TaskState? Expected, string What)[]
        {
            ("hostile/control photo.jpg", photo, TaskState.Completed, "an ordinary photo beside the hostile inputs"),
            ("hostile/bomb.png", HostileFiles.PngBomb(20_000), TaskState.Failed, "PNG decompression bomb (20,000 × 20,000 1-bit, all zero)"),
            ("hostile/huge-header.jpg", HostileFiles.JpegClaiming(65_500, 65_500), TaskState.Failed, "JPEG whose header claims 65,500 × 65,500"),
            (longKey, photo, TaskState.Completed, "a 1,024-byte key (S3's maximum): its thumbnail keys are shortened with a hash to fit S3's limit"),
            (wideKey, photo, TaskState.Completed, "a 1,002-byte key of 330 CJK characters: fits as a thumbnail key, too long for S3's 2 KB metadata once percent-encoded"),
            ("hostile/../escape/../../dots.jpg", photo, TaskState.Completed, "key with ../ segments: a key is a string, never a path"),
            ("hostile/bell\u0007tab\t.jpg", photo, null, "key with control characters: ignored by policy, no task"),
        };
        var expectedTasks = new Dictionary<string, TaskState>(StringComparer.Ordinal);
        var described = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, data, expected, what) in uploads)
        {
            using var content = new MemoryStream(data, writable: false);
            var put = await pipeline.S3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = key, InputStream = content, AutoCloseStream = false }, Ct);
            if (expected is { } status)
            {
                var id = TaskIdentity.For(new SourceObject(bucket, key, data.Length, put.ETag.Trim('"'), null, null, "ObjectCreated:Put"), recipe);
                expectedTasks[id] = status;
                described[id] = what;
            }
        }

        // Messages no S3 would send, straight into the queue.
        static string Record(string eventName, string key, long size, string targetBucket) =>
            "{\"eventVersion\":\"2.1\",\"eventSource\":\"aws:s3\",\"awsRegion\":\"us-east-1\",\"eventTime\":\"2026-01-01T00:00:00.000Z\","
            + $"\"eventName\":\"{eventName}\",\"s3\":{{\"s3SchemaVersion\":\"1.0\",\"bucket\":{{\"name\":\"{targetBucket}\"}},"
            + $"\"object\":{{\"key\":\"{key}\",\"size\":{size},\"eTag\":\"0123456789abcdef0123456789abcdef\"}}}}}}";
        var foreignRecords = new StringBuilder("{\"Records\":[");
        while (foreignRecords.Length < SqsMaxBody - 400)
        {
            foreignRecords.Append(Record("ObjectCreated:Put", "x.jpg", 1, "someone-elses-bucket")).Append(',');
        }

        var foreignBody = foreignRecords.ToString().TrimEnd(',') + "]}";
        var direct = new (string Body, string What)[]
        {
            (foreignBody.PadRight(SqsMaxBody, ' '), $"256 KB valid notification of {foreignBody.Split("someone-elses-bucket").Length - 1} records for another bucket"),
            ($$"""{"Records":[{{Record("ObjectRemoved:Delete", "hostile/control+photo.jpg", 1, bucket)}}]}""", "an ObjectRemoved event"),
            ($$"""{"Records":[{{Record("ObjectCreated:Put", "hostile/%00nul.jpg", 1, bucket)}}]}""", "an encoded NUL in the key"),
            ($$"""{"Service":"Amazon S3","Event":"s3:TestEvent","Bucket":"{{bucket}}"}""", "the s3:TestEvent"),
            ($$"""{"Records":[{{Record("ObjectCreated:Put", "../../etc/passwd.jpg", 10, bucket)}}]}""", "../ key of an object that does not exist"),
            ($$"""{"Records":[{{Record("ObjectCreated:Put", "hostile/%FF%FE.jpg", 10, bucket)}}]}""", "a key that decodes to invalid UTF-8"),
        };
        foreach (var (key, what) in new[] { ("../../etc/passwd.jpg", direct[^2].What), ("hostile/\uFFFD\uFFFD.jpg", direct[^1].What) })
        {
            var id = TaskIdentity.For(new SourceObject(bucket, key, 10, "0123456789abcdef0123456789abcdef", null, null, "ObjectCreated:Put"), recipe);
            expectedTasks[id] = TaskState.Failed;
            described[id] = what;
        }

        foreach (var (body, _) in direct)
        {
            var sent = await pipeline.Sqs.SendAsync(pipeline.Queues.QueueUrl, [body], Ct);
            Assert.Empty(sent.Failed);
        }

        // Saving the notification configuration sent one s3:TestEvent too, as S3 does.
        var messagesIn = uploads.Length + direct.Length + 1;
        var settled = await DrillKit.WaitUntilAsync(
            async () =>
            {
                var tasks = await DrillKit.ScanTasksAsync(pipeline.Dynamo, layout.TableName, Ct);
                var status = await DrillKit.StatusAsync(pipeline, Ct);
                return status.Idle && pipeline.Poller.Stats.Received >= messagesIn
                    && expectedTasks.Keys.All(id => tasks.Any(t => t.TaskId == id && t.Status != TaskState.InProgress));
            },
            TimeSpan.FromMinutes(10),
            Ct);
        Assert.True(settled, "the hostile inputs did not settle within 10 minutes");

        var records = (await DrillKit.ScanTasksAsync(pipeline.Dynamo, layout.TableName, Ct)).ToDictionary(r => r.TaskId, StringComparer.Ordinal);
        var final = await DrillKit.StatusAsync(pipeline, Ct);

        // Exactly the expected tasks exist, each ended as expected on its first attempt.
        Assert.Equal(expectedTasks.Keys.Order(StringComparer.Ordinal), records.Keys.Order(StringComparer.Ordinal));
        foreach (var (id, expected) in expectedTasks)
        {
            Assert.True(records[id].Status == expected, $"{id}: {records[id].Status}, expected {expected} ({records[id].Error})");
            Assert.Equal(1, records[id].Attempts);
        }

        Assert.Contains("TooManyPixels", records[expectedTasks.Keys.Single(k => k.Contains("bomb.png", StringComparison.Ordinal))].Error, StringComparison.Ordinal);
        Assert.Contains("TooManyPixels", records[expectedTasks.Keys.Single(k => k.Contains("huge-header.jpg", StringComparison.Ordinal))].Error, StringComparison.Ordinal);

        // Nothing retried, no invocation failed, nothing dead-lettered; thumbnails only for the good uploads.
        Assert.Equal(0, metrics.Retries);
        Assert.Equal(0, metrics.Unreadable);
        Assert.Equal(0, pipeline.Poller.Stats.FailedInvocations);
        Assert.Equal(messagesIn, pipeline.Poller.Stats.Received);
        Assert.Equal(0, final.DeadLettered);
        var completed = expectedTasks.Count(t => t.Value == TaskState.Completed);
        Assert.Equal(completed * 2, store.Writes.Count);
        Assert.All(store.Writes, w =>
        {
            Assert.True(Encoding.UTF8.GetByteCount(w.Key) <= 1024, $"thumbnail key of {Encoding.UTF8.GetByteCount(w.Key)} bytes: S3 would refuse it");
            Assert.Matches("^(128x128|512x512)/", w.Key);
            var metadataBytes = w.Metadata.Sum(m => "x-amz-meta-".Length + Encoding.UTF8.GetByteCount(m.Key) + Encoding.UTF8.GetByteCount(m.Value));
            Assert.True(metadataBytes <= 2048, $"{metadataBytes} bytes of user metadata on {w.Key}: S3 would refuse it");
        });
        var stored = await DrillKit.ListAsync(pipeline.S3, layout.OutputBucket, Ct);
        Assert.Contains(stored, o => o.Key == "512x512/hostile/../escape/../../dots.jpg.webp");
        Assert.Contains(stored, o => o.Key.StartsWith("512x512/hostile/kkk", StringComparison.Ordinal) && o.Key.Contains('~', StringComparison.Ordinal));

        var lost = expectedTasks.Count(t => records[t.Key].Status != t.Value);
        await log.RecordAsync(new DrillResult
        {
            Id = "hostile-inputs",
            Fault = "Hostile objects uploaded through S3 (" + string.Join("; ", uploads.Select(u => u.What)) + ") and readable messages no S3 would send, straight to the queue ("
                + string.Join("; ", direct.Select(d => d.What)) + ").",
            Load = $"{uploads.Length} uploads and {direct.Length} direct messages, default settings.",
            Observed = $"Every message was acknowledged on its first delivery: {metrics.Ignored} records or messages ignored as out of scope "
                + "(other bucket, ObjectRemoved, s3:TestEvent, control characters in the key), "
                + $"{metrics.PermanentFailures} tasks recorded FAILED with a reason (pixel limit for the bomb and the 65,500² header, "
                + $"missing objects), {records.Values.Count(r => r.Status == TaskState.Completed)} completed; 0 retries, 0 failed invocations; "
                + "thumbnail keys stay under their size-label prefix, within S3's 1,024-byte key limit (the 1,024-byte source key's shortened with a hash) and 2 KB metadata limit; "
                + "the ../ key's thumbnails are stored under the literal key.",
            MessagesIn = messagesIn,
            Deliveries = pipeline.Poller.Stats.Received,
            TasksExpected = expectedTasks.Count,
            TasksCompleted = records.Values.Count(r => r.Status == TaskState.Completed),
            TasksFailed = records.Values.Count(r => r.Status == TaskState.Failed),
            DuplicatesSuppressed = metrics.Duplicates,
            Retries = pipeline.Poller.Stats.Retried,
            DeadLetteredPeak = 0,
            DeadLetteredAtEnd = final.DeadLettered,
            Lost = lost,
            Seconds = Math.Round(TimeProvider.System.GetElapsedTime(clock).TotalSeconds, 1),
            Details = expectedTasks.Keys
                .Select(id => (What: described[id], Outcome: records[id].Status == TaskState.Completed
                    ? $"COMPLETED, {records[id].Outputs.Count} thumbnails"
                    : $"FAILED: {records[id].Error}"))
                .Append((What: uploads[^1].What, Outcome: "no task: acknowledged and counted as Ignored"))
                .ToDictionary(d => d.What, d => d.Outcome),
        });
        Assert.Equal(0, lost);
    }
}
