using System.Globalization;
using ImagePattern.Function.Ledger;
using ImagePattern.Imaging.Tooling;
using ImagePattern.Tool.Local;
using ImagePattern.Tool.Tests.Drills.Support;
using ImagePattern.Tool.Tests.Support;

namespace ImagePattern.Tool.Tests.Drills;

/// <summary>
/// Unreadable messages (not JSON, or JSON of no known shape) sent straight to the queue beside ordinary uploads. The
/// function reports each as a batch item failure instead of acknowledging it, so after maxReceiveCount receives SQS
/// moves it to the DLQ, where a person (and the DLQ alarm) sees it; the uploads beside them complete; nothing is lost.
/// </summary>
[Collection(DrillsDefinition.Name)]
[Trait("Category", "Drill")]
public sealed class PoisonMessageDrill(DrillLog log)
{
    private const int SqsMaxBody = 256 * 1024;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task UnreadableMessages_EndInTheDeadLetterQueue_UploadsBesideThemComplete_NothingLost()
    {
        var clock = TimeProvider.System.GetTimestamp();
        var metrics = new EmfTally();
        // A 2 s timeout gives a derived visibility timeout of 12 s; maxReceiveCount stays at the product's 5.
        var layout = new LocalLayout { Name = "poison", FunctionTimeout = TimeSpan.FromSeconds(2), MaximumConcurrency = 2 };
        await using var pipeline = await LocalPipeline.StartAsync(new LocalPipelineOptions { Layout = layout, MetricsOutput = metrics }, Ct);
        var run = new LocalRun(pipeline);
        var uploads = new[]
        {
            new Upload("poison/beside 1.jpg", SampleImages.Create(640, 480, SampleFormat.Jpeg, new SampleImageOptions { Seed = 41 }), Expected.Completed),
            new Upload("poison/beside 2.png", SampleImages.Create(400, 300, SampleFormat.Png, new SampleImageOptions { Seed = 42 }), Expected.Completed),
            new Upload("poison/IMG_0003.Jpg", SampleImages.Create(500, 500, SampleFormat.Jpeg, new SampleImageOptions { Seed = 43 }), Expected.Completed),
            new Upload("poison/readme.txt", "not an image"u8.ToArray(), Expected.Ignored),
        };
        foreach (var upload in uploads)
        {
            await run.UploadAsync(upload, Ct);
        }

        var bucket = layout.SourceBucket;
        var poison = new (string Body, string What)[]
        {
            ("{\"Records\": [ this is not json", "a notification cut off mid-JSON (the reported case)"),
            (new string('A', SqsMaxBody), "256 KB body of garbage"),
            (new string('[', 100_000), "JSON nested 100,000 deep"),
            ("null", "JSON null"),
            ("[]", "a JSON array"),
            ("{}", "an empty object"),
            ("""{"Records":[null]}""", "a null record"),
            ("{\"Records\":[{\"eventName\":\"ObjectCreated:Put\",\"s3\":{\"bucket\":{\"name\":\"" + bucket + "\"},\"object\":{\"key\":\"poison/negative.jpg\",\"size\":-1,\"eTag\":\"0123\"}}}]}", "a record with a negative size"),
            ("""{"Type":"SubscriptionConfirmation","TopicArn":"arn:aws:sns:us-east-1:000000000000:uploads","Message":"You have chosen to subscribe"}""", "an SNS SubscriptionConfirmation (someone must confirm it)"),
            ("""{"version":"0","detail-type":"EC2 Instance State-change Notification","source":"aws.ec2","detail":{"state":"running"}}""", "an EventBridge event from another service"),
        };
        foreach (var (body, _) in poison)
        {
            var sent = await pipeline.Sqs.SendAsync(pipeline.Queues.QueueUrl, [body], Ct);
            Assert.Empty(sent.Failed);
        }

        // Drained: the uploads have ended and every poison message has used up its receives.
        var limit = TimeSpan.FromSeconds(layout.VisibilityTimeout.TotalSeconds * (layout.MaxReceiveCount + 3));
        var report = await run.WaitAsync(limit, cancellationToken: Ct);
        PipelineStatus status = null!;
        var settled = await DrillKit.WaitUntilAsync(
            async () => (status = await DrillKit.StatusAsync(pipeline, Ct)).DeadLettered == poison.Length && status.Idle,
            limit,
            Ct);
        Assert.True(settled, $"DLQ holds {status.DeadLettered} of {poison.Length} unreadable messages");

        var dead = new List<string>();
        for (var empty = 0; empty < 2 && dead.Count < poison.Length;)
        {
            var received = await pipeline.Sqs.ReceiveAsync(pipeline.Queues.DeadLetterQueueUrl, 10, 0, 300, Ct);
            empty = received.Count == 0 ? empty + 1 : 0;
            dead.AddRange(received.Select(m => m.Body));
        }

        // Exactly the unreadable messages rest in the DLQ, byte for byte; no upload went there.
        Assert.Equal(poison.Select(p => p.Body).Order(StringComparer.Ordinal), dead.Order(StringComparer.Ordinal));
        Assert.All(report.Entries, e => Assert.True(e.AsExpected, $"{e.Key}: {e.Status}, expected {e.Expected} ({e.Error ?? e.Reason})"));
        var records = await DrillKit.ScanTasksAsync(pipeline.Dynamo, layout.TableName, Ct);
        Assert.Equal(3, records.Count(r => r.Status == TaskState.Completed));
        Assert.Equal(3, records.Count);
        Assert.True(metrics.Unreadable >= poison.Length * layout.MaxReceiveCount, $"{metrics.Unreadable} unreadable deliveries reported");

        var lost = report.Entries.Count(e => !e.AsExpected) + (poison.Length - dead.Count);
        await log.RecordAsync(new DrillResult
        {
            Id = "poison-messages",
            Fault = "Unreadable messages sent straight to the queue (" + string.Join("; ", poison.Select(p => p.What)) + "), beside ordinary uploads.",
            Load = $"{poison.Length} unreadable messages and {uploads.Length} uploads (three images, one text file); function timeout 2 s "
                + $"(derived visibility timeout {layout.VisibilityTimeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s), maxReceiveCount {layout.MaxReceiveCount} (the default).",
            Observed = $"Every unreadable message was reported in batchItemFailures on each of its {layout.MaxReceiveCount} receives "
                + $"({metrics.Unreadable} unreadable deliveries logged with their message_id and reason) and then rested in the DLQ, byte for byte; "
                + $"the three images completed and the text file was acknowledged as Ignored without a task; nothing else reached the DLQ.",
            MessagesIn = uploads.Length + poison.Length + 1,
            Deliveries = pipeline.Poller.Stats.Received,
            TasksExpected = 3,
            TasksCompleted = records.Count(r => r.Status == TaskState.Completed),
            TasksFailed = records.Count(r => r.Status == TaskState.Failed),
            DuplicatesSuppressed = metrics.Duplicates,
            Retries = pipeline.Poller.Stats.Retried,
            DeadLetteredPeak = status.DeadLettered,
            DeadLetteredAtEnd = status.DeadLettered,
            Lost = lost,
            Seconds = Math.Round(TimeProvider.System.GetElapsedTime(clock).TotalSeconds, 1),
            Details = poison.ToDictionary(p => p.What, _ => $"in the DLQ after {layout.MaxReceiveCount} receives")
                .Concat(report.Entries.Select(e => new KeyValuePair<string, string>(e.Key, e.Status)))
                .ToDictionary(d => d.Key, d => d.Value),
        });
        Assert.Equal(0, lost);
    }
}
