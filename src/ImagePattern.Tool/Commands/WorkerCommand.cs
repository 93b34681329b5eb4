using System.CommandLine;
using System.Runtime.InteropServices;
using ImagePattern.Function;
using ImagePattern.Function.Observability;
using ImagePattern.Tool.Emulators.LambdaEventSourceMapping;
using Amazon.SQS;
using Microsoft.Extensions.Logging;

namespace ImagePattern.Tool.Commands;

/// <summary>
/// <c>worker</c> (hidden): the function behind the event-source-mapping poller in a process of its own, configured
/// only by the environment, as Lambda configures it. The failure drills kill it mid-batch; it is not a product surface.
/// </summary>
internal static class WorkerCommand
{
    public static Command Create()
    {
        var queueUrl = new Option<string>("--queue-url") { Description = "Queue to poll", Required = true };
        var queueArn = new Option<string>("--queue-arn") { Description = "Its ARN (eventSourceARN of the records)", Required = true };
        var batchSize = new Option<int>("--batch-size") { Description = "Messages per invocation", DefaultValueFactory = _ => 10 };
        var concurrency = new Option<int>("--concurrency") { Description = "Invocations at once", DefaultValueFactory = _ => 10 };
        var functionTimeout = new Option<int>("--function-timeout") { Description = "Seconds each invocation may run (the deadline the function gets)", DefaultValueFactory = _ => 60 };
        var exitOnStdinClose = new Option<bool>("--exit-on-stdin-close") { Description = "Stop when standard input ends (a parent that dies leaves no orphan)" };
        var command = new Command("worker", "Poll a queue and run the function on each batch, configured from the environment (used by the failure drills).")
        {
            queueUrl, queueArn, batchSize, concurrency, functionTimeout, exitOnStdinClose,
        };
        command.Hidden = true;
        command.SetAction(async (parse, cancellationToken) =>
        {
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
            {
                context.Cancel = true;
                stop.Cancel();
            });
            if (parse.GetValue(exitOnStdinClose))
            {
                _ = Task.Run(async () =>
                {
                    await Console.OpenStandardInput().CopyToAsync(Stream.Null, CancellationToken.None);
                    await stop.CancelAsync();
                }, CancellationToken.None);
            }

            // Logs on stderr, EMF metric lines alone on stdout, so a parent can read the metrics.
            using var logging = FunctionLogging.CreateFactory(Environment.GetEnvironmentVariable("POWERTOOLS_SERVICE_NAME") ?? "imagepattern", LogLevel.Information, standardError: true);
            using var host = FunctionBuilder.FromEnvironment().WithLogging(logging).WithMetricsOutput(Console.Out).Build();
            // The default client, configured by the environment (AWS_ENDPOINT_URL_SQS locally) as in AWS.
            using var sqs = new AmazonSQSClient();
            var region = Environment.GetEnvironmentVariable("AWS_REGION") ?? "us-east-1";
            var poller = new EventSourceMappingPoller(
                sqs,
                new PollerOptions(parse.GetValue(queueUrl)!, parse.GetValue(queueArn)!, region, Math.Clamp(parse.GetValue(batchSize), 1, 10), TimeSpan.Zero, TimeSpan.FromSeconds(Math.Clamp(parse.GetValue(functionTimeout), 1, 900)), Math.Max(1, parse.GetValue(concurrency))),
                new LambdaEntryPoint(host).HandleAsync,
                TimeProvider.System,
                logging.CreateLogger<EventSourceMappingPoller>());
            await Console.Error.WriteLineAsync($"worker {Environment.ProcessId} polling {parse.GetValue(queueUrl)}");
            var polling = poller.RunAsync(stop.Token);
            // The poller's counts, for a parent that cannot see inside this process (the drills): one JSON line on
            // stderr whenever they change, and a last one on the way out.
            var reported = "";
            while (!polling.IsCompleted)
            {
                await Task.WhenAny(polling, Task.Delay(TimeSpan.FromMilliseconds(250), TimeProvider.System, CancellationToken.None));
                reported = await ReportAsync(poller.Stats, reported);
            }

            await polling;
            return 0;
        });
        return command;
    }

    private static async Task<string> ReportAsync(PollerStats stats, string last)
    {
        var line = string.Create(
            System.Globalization.CultureInfo.InvariantCulture,
            $"{{\"poller\":{{\"invocations\":{stats.Invocations},\"received\":{stats.Received},\"deleted\":{stats.Deleted},\"retried\":{stats.Retried},\"failed_invocations\":{stats.FailedInvocations}}}}}");
        if (line != last)
        {
            await Console.Error.WriteLineAsync(line);
        }

        return line;
    }
}
