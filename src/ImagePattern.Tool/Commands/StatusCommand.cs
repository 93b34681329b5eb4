using System.CommandLine;
using ImagePattern.Tool.Local;
using Spectre.Console;

namespace ImagePattern.Tool.Commands;

/// <summary><c>status</c>: queue depth, in-flight, DLQ depth and task counts of every consumer of the running local stack.</summary>
internal static class StatusCommand
{
    public static Command Create()
    {
        var command = new Command("status", "Show queue depth, in-flight, DLQ depth and task counts by status, per consumer (running local stack).");
        command.SetAction(async (_, cancellationToken) =>
        {
            var session = await LocalSession.LoadAsync(LocalSession.PathIn(RepositoryRoot.Find()));
            using var sqs = session.Endpoints.CreateSqsClient();
            using var dynamo = session.Endpoints.CreateDynamoDbClient();
            var consumers = new List<(string Name, PipelineStatus Status)>();
            foreach (var consumer in session.ConsumersOrThumbnails)
            {
                consumers.Add((consumer.Name, await PipelineStatus.ReadAsync(sqs, consumer.QueueUrl, consumer.DeadLetterQueueUrl, dynamo, consumer.TableName, cancellationToken)));
            }

            // One column per consumer: its queue, its DLQ and its own table.
            var table = new Table().AddColumn("what");
            foreach (var (name, _) in consumers)
            {
                table.AddColumn(new TableColumn(name).RightAligned());
            }

            static string Count(long value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);
            table.AddRow(["queued", .. consumers.Select(c => Count(c.Status.Queued))]);
            table.AddRow(["in flight", .. consumers.Select(c => Count(c.Status.InFlight))]);
            table.AddRow(["dead-lettered", .. consumers.Select(c => Count(c.Status.DeadLettered))]);
            foreach (var name in consumers.SelectMany(c => c.Status.Tasks.Keys).Distinct().Order(StringComparer.Ordinal))
            {
                table.AddRow([$"tasks {name}", .. consumers.Select(c => Count(c.Status.Tasks.GetValueOrDefault(name)))]);
            }

            AnsiConsole.Write(table);
            return 0;
        });
        return command;
    }
}
