using System.CommandLine;
using ImagePattern.Tool.Local;
using Spectre.Console;

namespace ImagePattern.Tool.Commands;

/// <summary><c>status</c>: queue depth, in-flight, DLQ depth and task counts of the running local stack.</summary>
internal static class StatusCommand
{
    public static Command Create()
    {
        var command = new Command("status", "Show queue depth, in-flight, DLQ depth and task counts by status (running local stack).");
        command.SetAction(async (_, cancellationToken) =>
        {
            var session = await LocalSession.LoadAsync(LocalSession.PathIn(RepositoryRoot.Find()));
            using var sqs = session.Endpoints.CreateSqsClient();
            using var dynamo = session.Endpoints.CreateDynamoDbClient();
            var status = await PipelineStatus.ReadAsync(sqs, session.QueueUrl, session.DeadLetterQueueUrl, dynamo, session.Layout.TableName, cancellationToken);

            var table = new Table().AddColumn("what").AddColumn(new TableColumn("count").RightAligned());
            table.AddRow("queued", status.Queued.ToString(System.Globalization.CultureInfo.InvariantCulture));
            table.AddRow("in flight", status.InFlight.ToString(System.Globalization.CultureInfo.InvariantCulture));
            table.AddRow("dead-lettered", status.DeadLettered.ToString(System.Globalization.CultureInfo.InvariantCulture));
            foreach (var (name, count) in status.Tasks)
            {
                table.AddRow($"tasks {name}", count.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }

            AnsiConsole.Write(table);
            return 0;
        });
        return command;
    }
}
