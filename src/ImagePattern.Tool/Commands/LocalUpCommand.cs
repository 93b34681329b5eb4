using System.CommandLine;
using System.Runtime.InteropServices;
using ImagePattern.Function.Observability;
using ImagePattern.Tool.Local;
using Microsoft.Extensions.Logging;

namespace ImagePattern.Tool.Commands;

/// <summary><c>local-up</c>: keep the stack and poller running for manual uploads until Ctrl-C or SIGTERM.</summary>
internal static class LocalUpCommand
{
    public static Command Create()
    {
        var trigger = new Option<string>("--trigger")
        {
            Description = "How uploads reach the consumers: s3-notification, sns-fanout or eventbridge (the fan-out modes add the other consumers)",
            DefaultValueFactory = _ => "s3-notification",
        };
        trigger.AcceptOnlyFromAmong([.. LocalLayout.Triggers]);
        var command = new Command("local-up", "Start the local stack, provision it and run the poller until Ctrl-C / SIGTERM.") { trigger };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var root = RepositoryRoot.Find();
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
            {
                context.Cancel = true;
                stop.Cancel();
            });

            using var logging = FunctionLogging.CreateFactory("imagepattern", LogLevel.Information);
            // The packaged bootstrap behind the Runtime API emulator; its JSON lines (logs and EMF) go to stdout.
            await using var pipeline = await LocalPipeline.StartAsync(
                new LocalPipelineOptions
                {
                    Layout = new LocalLayout { Trigger = parse.GetValue(trigger)! },
                    StateDirectory = Path.Combine(root, ".local", "state"),
                    Package = LocalPipeline.HostPackage(root),
                    PackageOutput = Console.Out.WriteLine,
                    FunctionLogging = logging,
                },
                stop.Token);
            var sessionPath = LocalSession.PathIn(root);
            await LocalSession.Of(pipeline).SaveAsync(sessionPath);
            try
            {
                var layout = pipeline.Layout;
                Console.WriteLine($"s3        {pipeline.Endpoints.S3}");
                Console.WriteLine($"sqs       {pipeline.Endpoints.Sqs}");
                Console.WriteLine($"dynamodb  {pipeline.Endpoints.DynamoDb}");
                Console.WriteLine($"region    {pipeline.Endpoints.Region}");
                Console.WriteLine($"source    s3://{layout.SourceBucket}/{layout.UploadPrefix}  (any key; the function thumbnails {string.Join(' ', layout.FunctionImageSuffixes)} in any case)");
                Console.WriteLine($"output    s3://{layout.OutputBucket}/{layout.OutputPrefix}");
                Console.WriteLine($"queue     {pipeline.Queues.QueueUrl}");
                Console.WriteLine($"dlq       {pipeline.Queues.DeadLetterQueueUrl}");
                Console.WriteLine($"table     {layout.TableName}");
                Console.WriteLine($"trigger   {layout.Trigger}");
                Console.WriteLine($"engine    {layout.ImageEngine}");
                foreach (var consumer in pipeline.Consumers.Skip(1))
                {
                    Console.WriteLine($"{consumer.Name,-9} queue {consumer.Queues.QueueUrl}, dlq {consumer.Queues.DeadLetterQueueUrl}, table {consumer.TableName}");
                }

                Console.WriteLine($"example   AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local aws --endpoint-url {pipeline.Endpoints.S3} s3 cp photo.jpg s3://{layout.SourceBucket}/");
                Console.WriteLine("ready: uploads are accepted; Ctrl-C to stop");
                await Task.Delay(Timeout.InfiniteTimeSpan, TimeProvider.System, stop.Token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                Console.WriteLine("stopping");
            }
            finally
            {
                File.Delete(sessionPath);
            }

            return 0;
        });
        return command;
    }
}
