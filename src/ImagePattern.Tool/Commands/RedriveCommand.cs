using System.CommandLine;
using ImagePattern.Tool.Operations;

namespace ImagePattern.Tool.Commands;

/// <summary><c>redrive</c>: move dead-lettered messages back to the notification queue, after a count and a confirmation.</summary>
internal static class RedriveCommand
{
    public static Command Create()
    {
        var dlqUrl = new Option<string?>("--dlq-url") { Description = "Dead-letter queue URL (terraform output dlq_url; default with --local: the local DLQ)" };
        var queueUrl = new Option<string?>("--queue-url")
        {
            Description = "Destination queue URL (terraform output queue_url). Optional with StartMessageMoveTask, which returns messages to their source queue",
        };
        var local = new Option<bool>("--local") { Description = "Act on the running local stack (make local-up) instead of AWS" };
        var consumer = new Option<string?>("--consumer") { Description = "With the local stack: the consumer whose DLQ and queue to use (thumbnails, metadata, …)" };
        var yes = new Option<bool>("--yes") { Description = "Do not ask for confirmation" };
        var manual = new Option<bool>("--manual") { Description = "Use receive/send/delete even where StartMessageMoveTask exists" };
        var command = new Command("redrive", "Move messages from the dead-letter queue back to the notification queue (count, confirm, then move).")
        {
            dlqUrl, queueUrl, local, consumer, yes, manual,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            if (!parse.GetValue(local) && parse.GetValue(dlqUrl) is null)
            {
                throw new UserErrorException("redrive in AWS needs the dead-letter queue: DLQ_URL=<url> (--dlq-url), or no DLQ_URL for the running local stack.");
            }

            using var target = await OperationsTarget.LocalForAsync(parse.GetValue(local), parse.GetValue(dlqUrl), parse.GetValue(queueUrl))
                ?? OperationsTarget.FromEnvironment();
            if (target.Session is null && parse.GetValue(consumer) is not null)
            {
                throw new UserErrorException("CONSUMER= picks a queue of the running local stack; in AWS pass DLQ_URL and QUEUE_URL from 'terraform output consumers'.");
            }

            // A consumer's DLQ goes back to that consumer's queue, named or recognised by its URL.
            var chosen = target.Session is null ? null : OperationsTarget.Consumer(target.Session, parse.GetValue(consumer), parse.GetValue(dlqUrl));
            var dlq = parse.GetValue(dlqUrl) ?? chosen?.DeadLetterQueueUrl ?? target.Session!.DeadLetterQueueUrl;
            var destination = parse.GetValue(queueUrl) ?? chosen?.QueueUrl ?? target.Session?.QueueUrl;

            var redrive = new Redrive(new SqsQueueOperations(target.Sqs), SqsRetry.Default, TimeProvider.System);
            var skipPrompt = parse.GetValue(yes);
            var result = await redrive.RunAsync(
                new RedriveRequest(dlq, destination, parse.GetValue(manual)),
                count =>
                {
                    Console.WriteLine($"{dlq} on {target.Describe} holds {count.Visible} messages ({count.InFlight} more in flight, not moved by this run).");
                    if (skipPrompt)
                    {
                        return true;
                    }

                    Console.Write($"Move {count.Visible} messages to {destination ?? "their source queue"}? [y/N] ");
                    var answer = Console.ReadLine()?.Trim();
                    return string.Equals(answer, "y", StringComparison.OrdinalIgnoreCase) || string.Equals(answer, "yes", StringComparison.OrdinalIgnoreCase);
                },
                cancellationToken);

            switch (result.Method)
            {
                case "none":
                    Console.WriteLine(result.Found == 0 ? "Nothing to redrive." : "Not confirmed; nothing moved.");
                    return result.Found == 0 ? 0 : 1;
                case "move-task":
                    Console.WriteLine($"SQS message move task started (handle {result.MoveTaskHandle}); SQS moves the messages in the background.");
                    Console.WriteLine("Watch it with: aws sqs list-message-move-tasks --source-arn <dlq arn>");
                    return 0;
                default:
                    Console.WriteLine($"moved {result.Moved} of {result.Found} (receive, send, then delete); {result.NotSent} not sent, {result.SentNotDeleted} sent but not deleted.");
                    if (result.NotSent + result.SentNotDeleted > 0)
                    {
                        Console.WriteLine("Messages not moved stay in the DLQ and become visible again within 2 minutes; run redrive again. A message sent but not deleted will be sent twice; the task table makes the second a duplicate.");
                    }

                    return result.NotSent + result.SentNotDeleted == 0 ? 0 : 1;
            }
        });
        return command;
    }
}
