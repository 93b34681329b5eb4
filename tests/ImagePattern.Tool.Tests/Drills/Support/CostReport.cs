using System.Globalization;
using System.Text;
using System.Text.Json;

namespace ImagePattern.Tool.Tests.Drills.Support;

/// <summary>Figures from <c>bench/latest.json</c> the cost section compares its own measurement with, when present.</summary>
/// <param name="EngineJpeg12MpCpuMs">The engine alone, one 512 px JPEG thumbnail of a 12 MP JPEG (suite thumbnails).</param>
/// <param name="HandlerMsPerRecord">The whole handler per record in batches of 10 (suite handler-overhead).</param>
/// <param name="HandlerImage">The image that handler figure was taken with.</param>
public sealed record BenchCase(double? EngineJpeg12MpCpuMs, double? HandlerMsPerRecord, string? HandlerImage)
{
    public static BenchCase? TryLoad(string path)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            using var json = JsonDocument.Parse(File.ReadAllText(path));
            double? engine = null, handler = null;
            string? image = null;
            foreach (var c in json.RootElement.GetProperty("cases").EnumerateArray())
            {
                var suite = Text(c, "suite");
                if (suite == "thumbnails" && Text(c, "tool") == "imagepattern" && Text(c, "input") == "jpeg-12mp")
                {
                    engine = Number(c, "cpu_ms_per_image");
                }
                else if (suite == "handler-overhead" && Text(c, "input") == "batch-of-10")
                {
                    handler = Number(c, "handler_ms_per_record");
                    image = Text(c, "image");
                }
            }

            return engine is null && handler is null ? null : new BenchCase(engine, handler, image);
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            // An unreadable bench file only means the comparison lines are left out.
            return null;
        }
    }

    private static string? Text(JsonElement c, string name) => c.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static double? Number(JsonElement c, string name) => c.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : null;
}

/// <summary>
/// The cost of one million images at the default settings, computed from the baseline drill's measurements and the
/// list prices below, with the arithmetic written out. Spliced into <c>docs/operations.md</c> between markers.
/// </summary>
public static class CostReport
{
    public const string Begin = "<!-- generated:cost:begin (make drills) -->";
    public const string End = "<!-- generated:cost:end -->";

    // List prices assumed, us-east-1, as published in 2025; free tiers ignored. Check the AWS pricing pages before quoting.
    private const double LambdaGbSecondX86 = 0.0000166667;
    private const double LambdaGbSecondArm = 0.0000133334;
    private const double LambdaPerMillionRequests = 0.20;
    private const double SqsPerMillionRequests = 0.40;
    private const double S3PutPerThousand = 0.005;
    private const double S3GetPerThousand = 0.0004;
    private const double S3StoragePerGbMonth = 0.023;
    private const double DynamoPerMillionWrites = 0.625;
    private const double DynamoStoragePerGbMonth = 0.25;
    private const double LogsPerGbIngested = 0.50;

    private const double Images = 1_000_000;
    private const int MemoryMb = 1769;
    private const int BatchSize = 10;
    private const int ThumbnailsPerImage = 2;
    private const double GiB = 1024.0 * 1024 * 1024;

    public static string Render(CostInputs m, BenchCase? bench, RunInfo run)
    {
        ArgumentNullException.ThrowIfNull(m);
        ArgumentNullException.ThrowIfNull(run);
        var gb = MemoryMb / 1024.0;
        var seconds = m.BilledMsPerImage / 1000;
        var gbSeconds = Images * seconds * gb;
        var invocations = Images / BatchSize;
        var lambdaCompute = gbSeconds * LambdaGbSecondX86;
        var lambdaRequests = invocations / 1e6 * LambdaPerMillionRequests;
        var sqsRequests = Images + (2 * invocations);
        var sqs = sqsRequests / 1e6 * SqsPerMillionRequests;
        var s3Get = Images / 1000 * S3GetPerThousand;
        var s3Put = Images * ThumbnailsPerImage / 1000 * S3PutPerThousand;
        var thumbGb = Images * m.ThumbnailBytesPerImage / GiB;
        var s3Storage = thumbGb * S3StoragePerGbMonth;
        var wruPerImage = 1 + (int)Math.Ceiling(m.TaskItemBytes / 1024.0);
        var dynamoWrites = Images * wruPerImage / 1e6 * DynamoPerMillionWrites;
        var tableGb = Images * m.TaskItemBytes / GiB;
        var dynamoStorage = tableGb * DynamoStoragePerGbMonth;
        var logGb = ((Images * m.LogBytesPerImage) + (invocations * m.EmfBytesPerInvocation)) / GiB;
        var logs = logGb * LogsPerGbIngested;
        var requestTotal = lambdaCompute + lambdaRequests + sqs + s3Get + s3Put + dynamoWrites + logs;

        var md = new StringBuilder();
        md.AppendLine(Begin);
        md.AppendLine(I($"*Computed by `make drills` on {run.Date} ({run.Machine}) from the baseline drill; edit the drill or its renderer, not this block.*"));
        md.AppendLine();
        md.AppendLine("**Measured** (baseline drill, see [reliability.md](reliability.md)): the real function at the default settings");
        md.AppendLine(I($"(thumbnails 128x128 and 512x512, WebP q80, one libvips image slot as at {MemoryMb} MB) on {m.Images} uploads of {m.Source},"));
        md.AppendLine("invoked in batches of 10 against the local stack:");
        md.AppendLine();
        md.AppendLine(I($"- invocation wall time {m.WallMsPerImage:0.#} ms and process CPU time {m.CpuMsPerImage:0.#} ms per image (each 10-message invocation ÷ 10). One vCPU cannot"));
        md.AppendLine(I($"  spend more CPU than wall time, so the billed-time estimate is the larger: **{m.BilledMsPerImage:0.#} ms per image**;"));
        md.AppendLine(I($"- thumbnails: {m.ThumbnailBytesPerImage / 1024:0.#} KiB per image (both sizes); task record: about {m.TaskItemBytes} bytes (DynamoDB item-size rules);"));
        md.AppendLine(I($"- logs: {m.LogBytesPerImage:0} bytes of JSON log lines per image at INFO, plus one {m.EmfBytesPerInvocation:0}-byte EMF line per invocation."));
        if (bench?.EngineJpeg12MpCpuMs is { } engine)
        {
            md.AppendLine(I($"- for comparison, `bench/latest.json` has the engine alone at {engine:0.#} ms of CPU for one 512 px JPEG thumbnail of a 12 MP JPEG"));
            md.AppendLine("  (suite thumbnails): the rest of the time above is the second size, WebP encoding, and the S3 and DynamoDB calls;");
        }

        if (bench?.HandlerMsPerRecord is { } handler)
        {
            var low = Images * handler / 1000 * gb * LambdaGbSecondX86;
            md.AppendLine(I($"- and the whole handler at {handler:0.#} ms per record in batches of 10 on {bench.HandlerImage} photos (suite handler-overhead, run with"));
            md.AppendLine(I($"  two image slots on two cores; one vCPU needs up to twice as long): smaller photos cost less, ${low:0.00} to ${2 * low:0.00} of compute per million at that size."));
        }

        md.AppendLine();
        md.AppendLine("**Prices assumed** (us-east-1 list prices as published in 2025, free tiers ignored; check before quoting):");
        md.AppendLine(I($"Lambda x86_64 ${LambdaGbSecondX86:0.##########} per GB-s (arm64 ${LambdaGbSecondArm:0.##########}) and ${LambdaPerMillionRequests:0.00} per million requests; SQS standard ${SqsPerMillionRequests:0.00} per million requests;"));
        md.AppendLine(I($"S3 Standard ${S3PutPerThousand} per 1,000 PUT, ${S3GetPerThousand} per 1,000 GET, ${S3StoragePerGbMonth} per GB-month; DynamoDB on-demand ${DynamoPerMillionWrites} per million write"));
        md.AppendLine(I($"request units, ${DynamoStoragePerGbMonth} per GB-month; CloudWatch Logs ${LogsPerGbIngested:0.00} per GB ingested."));
        md.AppendLine();
        md.AppendLine("| item | arithmetic for 1,000,000 images | USD |");
        md.AppendLine("|---|---|--:|");
        md.AppendLine(I($"| Lambda compute | 1,000,000 × {seconds:0.####} s × {MemoryMb}/1024 GB = {gbSeconds:N0} GB-s × ${LambdaGbSecondX86:0.##########} | {lambdaCompute:0.00} |"));
        md.AppendLine(I($"| Lambda requests | 1,000,000 ÷ {BatchSize} per batch = {invocations:N0} invocations × ${LambdaPerMillionRequests:0.00}/M | {lambdaRequests:0.00} |"));
        md.AppendLine(I($"| SQS requests | 1,000,000 SendMessage (S3) + {invocations:N0} ReceiveMessage + {invocations:N0} DeleteMessageBatch = {sqsRequests:N0} × ${SqsPerMillionRequests:0.00}/M | {sqs:0.00} |"));
        md.AppendLine(I($"| S3 GET (sources) | 1,000,000 × ${S3GetPerThousand}/1,000 | {s3Get:0.00} |"));
        md.AppendLine(I($"| S3 PUT (thumbnails) | 1,000,000 × {ThumbnailsPerImage} × ${S3PutPerThousand}/1,000 | {s3Put:0.00} |"));
        md.AppendLine(I($"| DynamoDB writes | 1,000,000 × ({wruPerImage} WRU: claim 1 + complete {wruPerImage - 1}) × ${DynamoPerMillionWrites}/M | {dynamoWrites:0.00} |"));
        md.AppendLine(I($"| CloudWatch Logs | (1,000,000 × {m.LogBytesPerImage:0} B + {invocations:N0} × {m.EmfBytesPerInvocation:0} B) = {logGb:0.00} GiB × ${LogsPerGbIngested:0.00} | {logs:0.00} |"));
        md.AppendLine(I($"| **one-off total** | | **{requestTotal:0.00}** |"));
        md.AppendLine(I($"| S3 storage, per month | {thumbGb:0.0} GiB of thumbnails × ${S3StoragePerGbMonth} | {s3Storage:0.00} |"));
        md.AppendLine(I($"| DynamoDB storage, per month | {tableGb:0.00} GiB of task records (kept 30 days by TTL) × ${DynamoStoragePerGbMonth} | {dynamoStorage:0.00} |"));
        md.AppendLine();
        var lines = new (string Name, double Usd)[] { ("Lambda compute", lambdaCompute), ("S3 PUT", s3Put), ("DynamoDB writes", dynamoWrites), ("CloudWatch Logs", logs), ("SQS", sqs) };
        var largest = lines.MaxBy(l => l.Usd);
        md.AppendLine(I($"The largest line is {largest.Name} ({largest.Usd / requestTotal:P0} of the one-off total); about ${requestTotal / Images * 1000:0.000} per thousand images."));
        md.AppendLine(I($"On arm64 the compute line would be {gbSeconds:N0} GB-s × ${LambdaGbSecondArm:0.##########} = ${gbSeconds * LambdaGbSecondArm:0.00}, if the engine ran as fast there (not measured)."));
        md.AppendLine("Not included: the uploads themselves (the uploader's PUTs), data transfer out, the event source mapping's idle long polls");
        md.AppendLine("(a few hundred thousand ReceiveMessage requests a month whatever the traffic), KMS requests if the queue or buckets");
        md.AppendLine("use customer-managed keys, point-in-time recovery on the table, and retries (each retry repeats a delivery's requests).");
        md.AppendLine("The measured time is this machine's CPU with loopback S3 and DynamoDB: Lambda's vCPU at 1769 MB is of a similar");
        md.AppendLine("class, but in-region S3 and DynamoDB calls add tens of milliseconds per image, partly hidden by the batch running");
        md.AppendLine("two messages at once; treat the compute line as ±50 %.");
        md.Append(End);
        return md.ToString();
    }

    /// <summary>Replaces the block between the markers (markers included); fails loudly when they are missing.</summary>
    public static string Splice(string document, string block)
    {
        ArgumentNullException.ThrowIfNull(document);
        var begin = document.IndexOf(Begin, StringComparison.Ordinal);
        var end = document.IndexOf(End, StringComparison.Ordinal);
        if (begin < 0 || end < begin)
        {
            throw new InvalidOperationException($"docs/operations.md lacks the markers {Begin} … {End}");
        }

        return document[..begin] + block + document[(end + End.Length)..];
    }

    private static string I(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
