using System.Globalization;
using System.Text.RegularExpressions;
using ImagePattern.Tool.Local;

namespace ImagePattern.Tool.Tests.Local;

/// <summary>The local stack must provision what the Terraform stack deploys, with the same defaults.</summary>
public sealed partial class LocalLayoutTests
{
    private static readonly string Terraform = Path.Combine(RepositoryRoot.Find(), "terraform");
    private static readonly string Variables = File.ReadAllText(Path.Combine(Terraform, "variables.tf"));

    // Every consumer's table, queue, function and alarms are one modules/consumer call in main.tf.
    private static readonly string Consumer = File.ReadAllText(Path.Combine(Terraform, "modules", "consumer", "main.tf"));
    private readonly LocalLayout layout = new();

    private static string Default(string variable)
    {
        var block = Regex.Match(Variables, $@"variable ""{variable}"" \{{(?<body>.*?)\n\}}", RegexOptions.Singleline);
        Assert.True(block.Success, $"terraform/variables.tf has no variable {variable}");
        var value = DefaultLine().Match(block.Groups["body"].Value);
        Assert.True(value.Success, $"variable {variable} has no default");
        return value.Groups["value"].Value.Trim();
    }

    private static int Number(string variable) => int.Parse(Default(variable), CultureInfo.InvariantCulture);

    private static string Text(string variable) => Default(variable).Trim('"');

    private static List<string> List(string variable) =>
        Quoted().Matches(Default(variable)).Select(m => m.Groups[1].Value).ToList();

    [Fact]
    public void AccessKeyId_NamesLayoutTriggerConsumerAndProcess()
    {
        var fanout = new LocalLayout { Name = "trig-sns-fanout", Trigger = "sns-fanout" };

        Assert.Equal("trig-sns-fanout.sns-fanout.metadata.poller", fanout.AccessKeyId("metadata", "poller"));
        // The request log's reader (tools/permissions) splits the key id on '.' into exactly four parts.
        Assert.Equal(["imagepattern", "s3-notification", "thumbnails", "function"], layout.AccessKeyId("thumbnails", "function").Split('.'));
    }

    [Fact]
    public void Defaults_MatchTerraformVariables()
    {
        Assert.Equal(Text("name_prefix"), layout.Name);
        // null in both: the function's (engine's) default extensions; the notification rule is prefix-only.
        Assert.Equal("null", Default("image_suffixes"));
        Assert.Null(layout.ImageSuffixes);
        Assert.Equal([new NotificationRule("thumbnails", layout.UploadPrefix)], layout.NotificationRules);
        Assert.Equal(Text("source_prefix"), layout.UploadPrefix);
        Assert.Equal(Text("output_prefix"), layout.OutputPrefix);
        Assert.Equal(Number("max_receive_count"), layout.MaxReceiveCount);
        Assert.Equal(Number("queue_message_retention_seconds"), (int)layout.MessageRetention.TotalSeconds);
        Assert.Equal(Number("function_timeout_seconds"), (int)layout.FunctionTimeout.TotalSeconds);
        Assert.Equal(Number("function_memory_size"), layout.MemoryMegabytes);
        Assert.Equal(Number("batch_size"), layout.BatchSize);
        Assert.Equal(Number("batching_window_seconds"), (int)layout.BatchingWindow.TotalSeconds);
        Assert.Equal(Number("maximum_concurrency"), layout.MaximumConcurrency);
        Assert.Equal(string.Join(',', List("thumbnail_sizes")), layout.ThumbnailSizes);
        Assert.Equal(Text("output_format"), layout.OutputFormat);
        Assert.Equal(Number("output_quality"), layout.OutputQuality);
        Assert.Equal(Number("task_ttl_days"), layout.TaskTtlDays);
    }

    [Fact]
    public void Names_FollowTerraformPatterns()
    {
        var main = File.ReadAllText(Path.Combine(Terraform, "main.tf"));
        var queue = File.ReadAllText(Path.Combine(Terraform, "modules", "queue", "main.tf"));

        Assert.Contains("\"${var.name_prefix}-source-${local.name_suffix}\"", main, StringComparison.Ordinal);
        Assert.Contains("\"${var.name_prefix}-output-${local.name_suffix}\"", main, StringComparison.Ordinal);
        Assert.Contains("name_suffix        = \"${local.account_id}-${data.aws_region.current.id}\"", main, StringComparison.Ordinal);
        Assert.Equal($"{layout.Name}-source-{LocalLayout.Account}-{layout.Region}", layout.SourceBucket);
        Assert.Contains("queue = \"${var.name_prefix}-notifications\"", main, StringComparison.Ordinal);
        Assert.Contains("name = coalesce(var.names.queue, var.name)", Consumer, StringComparison.Ordinal);
        Assert.Equal($"{layout.Name}-notifications", layout.QueueName);
        Assert.Contains("name                      = \"${var.name}-dlq\"", queue, StringComparison.Ordinal);
        Assert.Equal($"{layout.QueueName}-dlq", layout.DeadLetterQueueName);
        Assert.Contains("table = \"${var.name_prefix}-tasks\"", main, StringComparison.Ordinal);
        Assert.Contains("name                = coalesce(var.names.table, var.name)", Consumer, StringComparison.Ordinal);
        Assert.Equal($"{layout.Name}-tasks", layout.TableName);
    }

    [Fact]
    public void VisibilityTimeout_IsDerivedLikeTerraform()
    {
        var queue = File.ReadAllText(Path.Combine(Terraform, "modules", "queue", "main.tf"));

        Assert.Contains("visibility_timeout_seconds = 6 * var.function_timeout_seconds + var.batching_window_seconds", queue, StringComparison.Ordinal);
        Assert.Contains("dlq_message_retention_seconds = 1209600", queue, StringComparison.Ordinal);
        var custom = layout with { FunctionTimeout = TimeSpan.FromSeconds(30), BatchingWindow = TimeSpan.FromSeconds(5) };
        Assert.Equal(TimeSpan.FromSeconds(185), custom.VisibilityTimeout);
        Assert.Equal(TimeSpan.FromSeconds(1209600), layout.DeadLetterRetention);
    }

    [Fact]
    public void FunctionEnvironment_SetsEveryVariableTheTerraformModuleSets()
    {
        var missing = ImagePattern.Function.Configuration.EnvironmentVariables.All
            .Where(name => !name.StartsWith("POWERTOOLS_", StringComparison.Ordinal) && !name.StartsWith("MAX_", StringComparison.Ordinal))
            .Except(layout.FunctionEnvironment.Keys);

        Assert.Empty(missing);
    }

    [Fact]
    public void Triggers_MatchTerraformValidation_AndDefault()
    {
        var block = Regex.Match(Variables, @"variable ""trigger"" \{(?<body>.*?)\n\}", RegexOptions.Singleline).Groups["body"].Value;
        var allowed = Regex.Match(block, @"contains\(\[(?<list>[^\]]*)\]").Groups["list"].Value;

        Assert.Equal(Quoted().Matches(allowed).Select(m => m.Groups[1].Value), LocalLayout.Triggers);
        Assert.Equal(Text("trigger"), layout.Trigger);
        Assert.Throws<ArgumentException>(() => layout with { Trigger = "sqs" });
    }

    [Fact]
    public void Consumers_AreTheFunctionsListAndTerraformsMap()
    {
        var main = File.ReadAllText(Path.Combine(Terraform, "main.tf"));
        var fanOut = layout with { Trigger = "sns-fanout" };
        var others = ImagePattern.Function.Consumers.All.Skip(1).Select(c => c.Handler).ToList();

        // The thumbnailer alone without fan-out; every consumer of the function's list with it, as var.consumers'
        // default (every consumer but the thumbnailer) runs only where uploads fan out.
        Assert.Equal([LocalLayout.Thumbnails], layout.Consumers);
        Assert.Equal([LocalLayout.Thumbnails, .. others], fanOut.Consumers);
        Assert.Equal([LocalLayout.Thumbnails, .. others], (layout with { Trigger = "eventbridge" }).Consumers);
        Assert.Equal(others, ConsumersDefaultKeys());
        Assert.Matches(@"other_consumers\s+= var\.trigger == ""s3-notification"" \? \{\} : var\.consumers", main);
        Assert.Matches(@"consumers\s+= concat\(\[""thumbnails""\], keys\(local\.other_consumers\)\)", main);
    }

    [Fact]
    public void ConsumerResources_FollowTerraformNames()
    {
        var main = File.ReadAllText(Path.Combine(Terraform, "main.tf"));
        var consumerBlock = Regex.Match(main, @"module ""consumer"" \{(?<body>.*?)\n\}", RegexOptions.Singleline).Groups["body"].Value;

        Assert.Contains("name              = \"${var.name_prefix}-uploads\"", main, StringComparison.Ordinal);
        Assert.Equal($"{layout.Name}-uploads", layout.TopicName);
        // One name for each other consumer's function, table and queue (whose DLQ the queue module names "<name>-dlq"):
        // the consumer module gives the table and queue the function's name unless names says otherwise.
        Assert.Matches(@"\n\s*for_each\s+= local\.other_consumers\n", consumerBlock);
        Assert.Matches(@"\n\s*name\s+= ""\$\{var\.name_prefix\}-\$\{each\.key\}""\n", consumerBlock);
        Assert.DoesNotContain("names", consumerBlock, StringComparison.Ordinal);
        Assert.All((layout with { Trigger = "sns-fanout" }).Consumers.Skip(1), consumer =>
        {
            Assert.Equal($"{layout.Name}-{consumer}", layout.QueueNameOf(consumer));
            Assert.Equal($"{layout.Name}-{consumer}-dlq", layout.DeadLetterQueueNameOf(consumer));
            Assert.Equal($"{layout.Name}-{consumer}", layout.TableNameOf(consumer));
            Assert.Equal($"{layout.Name}-{consumer}", layout.RuleName(consumer));
        });
        // The thumbnailer keeps the stack's original names (its names override in module "thumbnails").
        Assert.Equal((layout.QueueName, layout.DeadLetterQueueName, layout.TableName), (layout.QueueNameOf("thumbnails"), layout.DeadLetterQueueNameOf("thumbnails"), layout.TableNameOf("thumbnails")));
        Assert.Contains("name        = \"${var.name_prefix}-${each.key}\"", main, StringComparison.Ordinal);
        // Enveloped delivery, as the provisioner subscribes.
        Assert.Contains("raw_message_delivery = false", main, StringComparison.Ordinal);
    }

    [Fact]
    public void EventPattern_IsTheOneTerraformWrites()
    {
        var main = File.ReadAllText(Path.Combine(Terraform, "main.tf"));
        Assert.Contains("for s in module.thumbnails.image_suffixes : { suffix = { equals-ignore-case = s } }", main, StringComparison.Ordinal);
        Assert.Contains("jsonencode([{ prefix = var.source_prefix }])", main, StringComparison.Ordinal);
        Assert.Contains("source        = [\"aws.s3\"]", main, StringComparison.Ordinal);
        Assert.Contains("\"detail-type\" = [\"Object Created\"]", main, StringComparison.Ordinal);
        Assert.Contains("bucket = { name = [local.source_bucket_name] }", main, StringComparison.Ordinal);
        Assert.Contains("object = { key = local.object_key_pattern }", main, StringComparison.Ordinal);

        var skia = layout with { ImageSuffixes = [".jpg", ".png"] };
        Assert.Equal(
            """{"source":["aws.s3"],"detail-type":["Object Created"],"detail":{"bucket":{"name":["BUCKET"]},"object":{"key":[{"suffix":{"equals-ignore-case":".jpg"}},{"suffix":{"equals-ignore-case":".png"}}]}}}""".Replace("BUCKET", layout.SourceBucket, StringComparison.Ordinal),
            skia.EventPattern);
        var prefixed = layout with { UploadPrefix = "uploads/" };
        Assert.Equal(
            """{"source":["aws.s3"],"detail-type":["Object Created"],"detail":{"bucket":{"name":["BUCKET"]},"object":{"key":[{"prefix":"uploads/"}]}}}""".Replace("BUCKET", layout.SourceBucket, StringComparison.Ordinal),
            prefixed.EventPattern);
    }

    [Fact]
    public void ConsumerEnvironment_SetsWhatItsTerraformModuleInstanceGives()
    {
        var main = File.ReadAllText(Path.Combine(Terraform, "main.tf"));
        var consumerBlock = Regex.Match(main, @"module ""consumer"" \{(?<body>.*?)\n\}", RegexOptions.Singleline).Groups["body"].Value;
        Assert.Matches(@"\n\s*handler\s+= each\.key\n", consumerBlock);
        Assert.Contains("tasks_table_name   = module.tasks_table.name", Consumer, StringComparison.Ordinal);

        Assert.All(ImagePattern.Function.Consumers.All.Skip(1), consumer =>
        {
            var environment = layout.EnvironmentOf(consumer.Handler);
            Assert.Empty(consumer.Variables
                .Where(name => !name.StartsWith("POWERTOOLS_", StringComparison.Ordinal) && !name.StartsWith("MAX_", StringComparison.Ordinal))
                .Except(environment.Keys));
            Assert.Equal(layout.TableNameOf(consumer.Handler), environment["TASKS_TABLE"]);
            Assert.Equal(layout.SourceBucket, environment["SOURCE_BUCKET"]);
            Assert.DoesNotContain("OUTPUT_BUCKET", environment.Keys);
        });
        Assert.Equal(layout.FunctionEnvironment, layout.EnvironmentOf("thumbnails"));
    }

    // The keys of var.consumers' default, a map written one entry a line: `name = { ... }`.
    private static List<string> ConsumersDefaultKeys()
    {
        var block = Regex.Match(Variables, @"variable ""consumers"" \{(?<body>.*?)\n\}", RegexOptions.Singleline).Groups["body"].Value;
        var defaults = Regex.Match(block, @"\n\s*default\s*=\s*\{(?<entries>.*?)\n\s*\}\n", RegexOptions.Singleline).Groups["entries"].Value;
        return Regex.Matches(defaults, @"^\s*(?<key>[a-z][a-z0-9-]*)\s*=", RegexOptions.Multiline).Select(m => m.Groups["key"].Value).ToList();
    }

    [GeneratedRegex(@"^\s*default\s*=\s*(?<value>.+)$", RegexOptions.Multiline)]
    private static partial Regex DefaultLine();

    [GeneratedRegex("\"([^\"]*)\"")]
    private static partial Regex Quoted();
}
