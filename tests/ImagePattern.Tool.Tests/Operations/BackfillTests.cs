using System.Collections.Concurrent;
using Amazon.S3.Model;
using ImagePattern.Function;
using ImagePattern.Function.Configuration;
using ImagePattern.Function.Events;
using ImagePattern.Function.Observability;
using ImagePattern.Function.Storage;
using ImagePattern.Function.Ledger;
using ImagePattern.Imaging.Tooling;
using ImagePattern.Tool.Local;
using ImagePattern.Tool.Operations;
using Amazon.SQS;
using Amazon.SQS.Model;
using ImagePattern.Tool.Tests.Support;
using ImagePattern.Tool.Tests.Drills.Support;

namespace ImagePattern.Tool.Tests.Operations;

/// <summary>Backfill against the local stack: the records it makes, what the function does with them, and its sending.</summary>
public sealed class BackfillTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly InstantTimeProvider Time = new();

    private static Backfill For(LocalPipeline pipeline, IQueueOperations? queue = null) =>
        new(new ObjectLister(pipeline.S3), queue ?? new SqsQueueOperations(pipeline.Sqs), SqsRetry.Default, Time);

    private static BackfillRequest Request(LocalPipeline pipeline, string prefix = "", DateTimeOffset? since = null, bool dryRun = false, IReadOnlyList<string>? suffixes = null) =>
        new(new ListingFilter(pipeline.Layout.SourceBucket, prefix, since, suffixes ?? []), pipeline.Queues.QueueUrl, pipeline.Endpoints.Region, dryRun);

    private static async Task<List<Message>> DrainAsync(IAmazonSQS sqs, string queueUrl)
    {
        var all = new List<Message>();
        for (var empty = 0; empty < 2;)
        {
            var received = await sqs.ReceiveAsync(queueUrl, 10, 0, 300, Ct);
            empty = received.Count == 0 ? empty + 1 : 0;
            all.AddRange(received);
        }

        return all;
    }

    private static async Task PutAsync(LocalPipeline pipeline, string key, byte[] data)
    {
        using var content = new MemoryStream(data, writable: false);
        await pipeline.S3.PutObjectAsync(new PutObjectRequest { BucketName = pipeline.Layout.SourceBucket, Key = key, InputStream = content, AutoCloseStream = false }, Ct);
    }

    private static SqsEvent EventOf(IEnumerable<Message> messages) =>
        new() { Records = messages.Select(m => new SqsMessage { MessageId = m.MessageId, ReceiptHandle = m.ReceiptHandle, Body = m.Body, Attributes = m.Attributes }).ToList() };

    [Fact]
    public async Task Backfill_OfAnUploadedObject_GivesTheFunctionTheSameTaskAsTheRealNotification()
    {
        await using var pipeline = await LocalPipeline.StartAsync(new LocalPipelineOptions { Layout = new LocalLayout { Name = "bf-shape" }, StartPoller = false }, Ct);
        string[] keys = ["plain.jpg", "a b+c (1)/ü€ 写真.jpeg", "100%/x%41~y*z.png", "UPPER.JPG"];
        foreach (var key in keys)
        {
            await PutAsync(pipeline, key, SampleImages.Create(8, 8, SampleFormat.Jpeg));
        }

        var real = await DrainAsync(pipeline.Sqs, pipeline.Queues.QueueUrl);
        var result = await For(pipeline).RunAsync(Request(pipeline), null, Ct);
        var synthetic = await DrainAsync(pipeline.Sqs, pipeline.Queues.QueueUrl);

        Assert.Equal(keys.Length, result.Enqueued);
        var parser = new NotificationParser(pipeline.Layout.SourceBucket);
        var recipe = pipeline.Settings.Recipe;
        IEnumerable<string> TasksOf(IEnumerable<Message> messages) => messages
            .Select(m => parser.Parse(m.Body)).OfType<MessageContent.Objects>()
            .SelectMany(o => o.Items).Select(i => TaskIdentity.For(i, recipe)).Order(StringComparer.Ordinal);
        Assert.Equal(keys.Length, TasksOf(real).Count());
        Assert.Equal(TasksOf(real), TasksOf(synthetic));
    }

    [Fact]
    public async Task Backfill_AfterProcessing_IsAcknowledgedAsDuplicates_UntilTheRecipeChanges()
    {
        await using var pipeline = await LocalPipeline.StartAsync(new LocalPipelineOptions { Layout = new LocalLayout { Name = "bf-recipe" }, StartPoller = false }, Ct);
        var writes = new ConcurrentQueue<StoredObject>();
        FunctionHost HostWith(string sizes, EmfTally metrics)
        {
            var environment = pipeline.Layout.FunctionEnvironment.ToDictionary();
            environment["THUMBNAIL_SIZES"] = sizes;
            var settings = SettingsReader.Read(name => environment.GetValueOrDefault(name));
            return new FunctionBuilder(settings)
                .WithLedger(new DynamoDbTaskLedger(pipeline.Dynamo, settings.Pipeline.TasksTable, settings.Pipeline.TaskRetention, TimeProvider.System))
                .WithObjectStore(new RecordingStore(new S3ObjectStore(pipeline.S3), writes))
                .WithLogging(FunctionLogging.None)
                .WithMetricsOutput(metrics)
                .Build();
        }

        var before = new EmfTally();
        var after = new EmfTally();
        using var original = HostWith("128x128,512x512", before);
        using var changed = HostWith("64x64", after);
        for (var i = 0; i < 3; i++)
        {
            await PutAsync(pipeline, $"old/photo {i}.jpg", SampleImages.Create(300, 200, SampleFormat.Jpeg, new SampleImageOptions { Seed = i }));
        }

        // The uploads, processed once under the original recipe.
        await original.HandleAsync(EventOf(await DrainAsync(pipeline.Sqs, pipeline.Queues.QueueUrl)), TimeProvider.System.GetUtcNow().AddMinutes(1), Ct);
        Assert.Equal(3, before.Processed);
        Assert.Equal(6, writes.Count);

        // A backfill under the same recipe: every task has ended, so nothing is redone.
        await For(pipeline).RunAsync(Request(pipeline, "old/"), null, Ct);
        await original.HandleAsync(EventOf(await DrainAsync(pipeline.Sqs, pipeline.Queues.QueueUrl)), TimeProvider.System.GetUtcNow().AddMinutes(1), Ct);
        Assert.Equal(3, before.Duplicates);
        Assert.Equal(6, writes.Count);

        // After a recipe change the same backfill makes new tasks and the new thumbnails.
        await For(pipeline).RunAsync(Request(pipeline, "old/"), null, Ct);
        await changed.HandleAsync(EventOf(await DrainAsync(pipeline.Sqs, pipeline.Queues.QueueUrl)), TimeProvider.System.GetUtcNow().AddMinutes(1), Ct);
        Assert.Equal(3, after.Processed);
        Assert.Equal(3, writes.Count(w => w.Key.StartsWith("64x64/old/", StringComparison.Ordinal)));
        Assert.Equal(6, (await DrillKit.ScanTasksAsync(pipeline.Dynamo, pipeline.Layout.TableName, Ct)).Count);
    }

    [Fact]
    public async Task Backfill_FiltersByPrefixSuffixAndSince_AndADryRunSendsNothing()
    {
        await using var pipeline = await LocalPipeline.StartAsync(new LocalPipelineOptions { Layout = new LocalLayout { Name = "bf-filter" }, StartPoller = false }, Ct);
        var data = SampleImages.Create(8, 8, SampleFormat.Png);
        foreach (var key in new[] { "in/a.png", "in/b.txt", "in/deeper/c.PNG", "out/d.png" })
        {
            await PutAsync(pipeline, key, data);
        }

        await DrainAsync(pipeline.Sqs, pipeline.Queues.QueueUrl);
        var seen = new List<string>();

        // --suffix narrows by case-sensitive suffixes; the default keeps every key, as the prefix-only rule does.
        var dry = await For(pipeline).RunAsync(Request(pipeline, "in/", dryRun: true, suffixes: [".png", ".PNG"]), (o, _) => seen.Add(o.Key), Ct);
        var future = await For(pipeline).RunAsync(Request(pipeline, "in/", since: TimeProvider.System.GetUtcNow().AddHours(1)), null, Ct);
        var everything = await For(pipeline).RunAsync(Request(pipeline, ""), null, Ct);

        Assert.Equal(["in/a.png", "in/deeper/c.PNG"], seen);
        Assert.Equal((3, 2, 0), (dry.Scanned, dry.Matched, dry.Enqueued));
        Assert.Equal((0, 0), (future.Matched, future.Enqueued));
        Assert.Equal(4, everything.Enqueued);
        Assert.Equal(4, (await DrainAsync(pipeline.Sqs, pipeline.Queues.QueueUrl)).Count);
    }

    [Fact]
    public async Task Backfill_ThrottledAndPartlyFailed_EnqueuesEveryObjectExactlyOnce()
    {
        await using var pipeline = await LocalPipeline.StartAsync(new LocalPipelineOptions { Layout = new LocalLayout { Name = "bf-throttle" }, StartPoller = false }, Ct);
        var data = SampleImages.Create(8, 8, SampleFormat.Jpeg);
        const int Count = 95;
        await Parallel.ForEachAsync(Enumerable.Range(0, Count), new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = Ct }, async (i, _) => await PutAsync(pipeline, $"many/{i:D3}.jpg", data));
        await DrainAsync(pipeline.Sqs, pipeline.Queues.QueueUrl);

        // Every third call is throttled outright; every other call loses its first two entries to a server fault.
        var calls = 0;
        var queue = new FakeQueue(new SqsQueueOperations(pipeline.Sqs))
        {
            OnSend = (entries, _) => Interlocked.Increment(ref calls) switch
            {
                var n when n % 3 == 0 => throw FakeQueue.Throttled(),
                var n when n % 2 == 0 => new BatchAnswer([], entries.Take(2).Select(e => new BatchResultErrorEntry { Id = e.Id, Code = "InternalError", SenderFault = false }).ToList()),
                _ => null,
            },
        };

        var result = await For(pipeline, queue).RunAsync(Request(pipeline, "many/"), null, Ct);
        var queued = await DrainAsync(pipeline.Sqs, pipeline.Queues.QueueUrl);

        Assert.Equal(Count, result.Enqueued);
        Assert.Empty(result.Failed);
        Assert.True(result.Retries > 0);
        Assert.Equal(10, result.Batches);
        var keys = queued.Select(m => Assert.Single(Assert.IsType<MessageContent.Objects>(new NotificationParser(pipeline.Layout.SourceBucket).Parse(m.Body)).Items).Key).ToList();
        Assert.Equal(Enumerable.Range(0, Count).Select(i => $"many/{i:D3}.jpg"), keys.Order(StringComparer.Ordinal));
        Assert.All(queue.SendCalls, c => Assert.InRange(c.Count, 1, 10));
    }

    /// <summary>The real store, remembering every successful write.</summary>
    private sealed class RecordingStore(IObjectStore inner, ConcurrentQueue<StoredObject> writes) : IObjectStore
    {
        public Task<SourceRead> ReadAsync(SourceObject source, long maxBytes, CancellationToken cancellationToken) => inner.ReadAsync(source, maxBytes, cancellationToken);

        public async Task WriteAsync(StoredObject item, CancellationToken cancellationToken)
        {
            await inner.WriteAsync(item, cancellationToken);
            writes.Enqueue(item);
        }
    }
}
