using System.CommandLine;
using System.Globalization;
using ImagePattern.Tool.Operations;

namespace ImagePattern.Tool.Commands;

/// <summary>
/// <c>backfill</c>: enqueue the notification S3 would have sent for every existing object under a prefix, so that
/// objects uploaded before the pipeline existed, or before a thumbnail-recipe change, get (re)processed.
/// </summary>
internal static class BackfillCommand
{
    public static Command Create()
    {
        var bucket = new Option<string?>("--bucket") { Description = "Source bucket (default with --local: the local source bucket)" };
        var prefix = new Option<string>("--prefix") { Description = "Only keys under this prefix", DefaultValueFactory = _ => "" };
        var since = new Option<string?>("--since") { Description = "Only objects written at or after this UTC time (ISO 8601, e.g. 2026-01-31 or 2026-01-31T12:00:00Z)" };
        var suffixes = new Option<string[]>("--suffix")
        {
            Description = "Only keys ending with this suffix, case-sensitive (repeatable; default: every key under the prefix, as the prefix-only notification rule sends them; the function ignores extensions outside IMAGE_SUFFIXES)",
            DefaultValueFactory = _ => [],
        };
        var allKeys = new Option<bool>("--all-keys") { Description = "Ignore suffixes: enqueue every key under the prefix" };
        var queueUrl = new Option<string?>("--queue-url") { Description = "Notification queue URL (terraform output queue_url; default with --local: the local queue)" };
        var consumer = new Option<string?>("--consumer") { Description = "With the local stack: the consumer whose queue to fill (thumbnails, metadata, …)" };
        var local = new Option<bool>("--local") { Description = "Act on the running local stack (make local-up) instead of AWS" };
        var dryRun = new Option<bool>("--dry-run") { Description = "Print what would be enqueued; send nothing" };
        var parallel = new Option<int>("--parallel") { Description = "SendMessageBatch calls in flight", DefaultValueFactory = _ => 4 };
        var command = new Command("backfill", "Enqueue synthetic S3 notifications for existing objects (idempotent: finished tasks are skipped; a changed recipe reprocesses).")
        {
            bucket, prefix, since, suffixes, allKeys, queueUrl, local, consumer, dryRun, parallel,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            DateTimeOffset? sinceTime = null;
            if (parse.GetValue(since) is { } raw)
            {
                if (!DateTimeOffset.TryParse(raw, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed))
                {
                    await Console.Error.WriteLineAsync($"--since: '{raw}' is not a date or time (ISO 8601)");
                    return 2;
                }

                sinceTime = parsed;
            }

            var localTarget = await OperationsTarget.LocalForAsync(parse.GetValue(local), parse.GetValue(queueUrl));
            if (localTarget is null && (parse.GetValue(bucket) is null || parse.GetValue(queueUrl) is null))
            {
                throw new UserErrorException("backfill in AWS needs the source bucket and the queue: BUCKET=<name> QUEUE_URL=<url> (--bucket, --queue-url), or no QUEUE_URL for the running local stack.");
            }

            using var target = localTarget ?? OperationsTarget.FromEnvironment();
            if (target.Session is null && parse.GetValue(consumer) is not null)
            {
                throw new UserErrorException("CONSUMER= picks a queue of the running local stack; in AWS pass QUEUE_URL from 'terraform output consumers'.");
            }

            var bucketName = parse.GetValue(bucket) ?? target.Session!.Layout.SourceBucket;
            var queue = parse.GetValue(queueUrl)
                ?? (target.Session is null ? null : OperationsTarget.Consumer(target.Session, parse.GetValue(consumer))?.QueueUrl)
                ?? target.Session!.QueueUrl;

            var filter = new ListingFilter(bucketName, parse.GetValue(prefix) ?? "", sinceTime, parse.GetValue(allKeys) ? [] : parse.GetValue(suffixes) ?? []);
            var request = new BackfillRequest(filter, queue, target.Region, parse.GetValue(dryRun), Math.Max(1, parse.GetValue(parallel)));
            var backfill = new Backfill(new ObjectLister(target.S3), new SqsQueueOperations(target.Sqs), SqsRetry.Default, TimeProvider.System);
            Console.WriteLine($"{(request.DryRun ? "Dry run: would enqueue" : "Enqueuing")} s3://{bucketName}/{filter.Prefix}* " +
                $"{(sinceTime is { } s ? $"written since {s:u} " : "")}into {queue} on {target.Describe}");

            var first = true;
            var result = await backfill.RunAsync(
                request,
                (item, body) =>
                {
                    if (!request.DryRun)
                    {
                        return;
                    }

                    Console.WriteLine($"  s3://{bucketName}/{item.Key}  {item.Size} B  etag {item.ETag.Trim('"')}{(item.VersionId is null ? "" : $"  version {item.VersionId}")}");
                    if (first)
                    {
                        Console.WriteLine($"  message body: {body}");
                        first = false;
                    }
                },
                cancellationToken);

            Console.WriteLine(
                $"listed {result.Scanned}, matched {result.Matched}, enqueued {result.Enqueued} in {result.Batches} batches, " +
                $"{result.Retries} retries, {result.Failed.Count} failed{(result.Versioned ? " (versioned bucket: records carry version ids)" : "")}");
            foreach (var failure in result.Failed.Take(20))
            {
                await Console.Error.WriteLineAsync($"  not enqueued: {failure.Key}: {failure.Code} {failure.Message}");
            }

            return result.Failed.Count == 0 ? 0 : 1;
        });
        return command;
    }
}
