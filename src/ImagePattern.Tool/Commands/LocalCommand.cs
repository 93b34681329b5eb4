using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using ImagePattern.Function.Configuration;
using ImagePattern.Tool.Local;
using ImagePattern.Tool.Local.RunPicture;
using Spectre.Console;

namespace ImagePattern.Tool.Commands;

/// <summary>
/// <c>local</c> (what <c>make local</c> runs): start the stack, provision, run the poller, upload, wait until every
/// upload is accounted for, print a summary, write the report and the contact sheet, stop. Exit 0 only when every
/// file reached its expected outcome.
/// </summary>
internal static class LocalCommand
{
    public static Command Create()
    {
        var images = new Option<DirectoryInfo?>("--images") { Description = "Upload every matching file under this folder (default: generated samples)" };
        var report = new Option<FileInfo?>("--report") { Description = "The JSON report file (default .local/report.json; not a folder); the run's other files stay in .local/" };
        var timeout = new Option<int>("--timeout") { Description = "Seconds to wait for every upload to be accounted for", DefaultValueFactory = _ => 180 };
        var trigger = new Option<string>("--trigger")
        {
            Description = "How uploads reach the consumers: s3-notification, sns-fanout or eventbridge (the fan-out modes add the other consumers)",
            DefaultValueFactory = _ => "s3-notification",
        };
        trigger.AcceptOnlyFromAmong([.. LocalLayout.Triggers]);
        var command = new Command("local", "Run the whole pipeline on this machine end to end and report on every upload.") { images, report, timeout, trigger };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var root = RepositoryRoot.Find();

            // The inputs are checked before the emulators start: a wrong setting or folder should cost no wait.
            var layout = new LocalLayout { Trigger = parse.GetValue(trigger)! };
            _ = SettingsReader.Read(name => layout.FunctionEnvironment.GetValueOrDefault(name));
            var uploads = parse.GetValue(images) is { } dir ? Uploads.FromDirectory(dir.FullName, layout) : Uploads.Samples(layout.UploadPrefix);
            if (uploads.Count == 0)
            {
                throw new UserErrorException($"No files to upload: the folder {parse.GetValue(images)?.FullName} is empty.");
            }

            var outputs = RunOutputs.Prepare(root, parse.GetValue(report)?.FullName);
            var reportFile = outputs.ReportFile;
            var outputDir = outputs.Directory;

            var console = ReportConsole.ForProcess();
            AnsiConsole.Console = console;
            console.MarkupLine("[bold]Starting the local stack[/] (fauxqs S3+SQS with the notification bridge, dynalite) on 127.0.0.1");
            // The packaged bootstrap (make local builds it) behind the Runtime API emulator: the artifact that deploys.
            var functionLog = outputs.FunctionLog;
            await using var functionOutput = TextWriter.Synchronized(new StreamWriter(functionLog, append: false));
            await using var pipeline = await LocalPipeline.StartAsync(
                new LocalPipelineOptions { Layout = layout, Package = LocalPipeline.HostPackage(root), PackageOutput = functionOutput.WriteLine },
                cancellationToken);

            var queues = string.Join(" and ", layout.Consumers.Select(c => $"{layout.QueueNameOf(c)} (+DLQ)"));
            var tables = string.Join(" and ", layout.Consumers.Select(layout.TableNameOf));
            var route = layout.Trigger switch
            {
                "sns-fanout" => $"topic {layout.TopicName} → {queues}, tables {tables}",
                "eventbridge" => $"rules {string.Join(", ", layout.Consumers.Select(layout.RuleName))} → {queues}, tables {tables}",
                _ => $"{queues}, {tables}",
            };
            console.MarkupLine($"Provisioned ({layout.Trigger}, engine {layout.ImageEngine}) s3://{layout.SourceBucket}, s3://{layout.OutputBucket}, {route}; uploading {uploads.Count} files".EscapeMarkup());
            var run = new LocalRun(pipeline);
            // When each upload was answered: the run picture's upload line (the tables and EMF lines give the rest).
            var started = TimeProvider.System.GetUtcNow();
            var uploaded = new List<DateTimeOffset>();
            var wait = TimeSpan.FromSeconds(parse.GetValue(timeout));
            RunReport result;
            if (ReportConsole.CanRedraw(console))
            {
                result = null!;
                await console.Progress().AutoClear(false).StartAsync(async progress =>
                {
                    var uploading = progress.AddTask("uploaded", maxValue: uploads.Count);
                    foreach (var upload in uploads)
                    {
                        await run.UploadAsync(upload, cancellationToken);
                        uploaded.Add(TimeProvider.System.GetUtcNow());
                        uploading.Increment(1);
                    }

                    var accounted = progress.AddTask("accounted for", maxValue: uploads.Count);
                    result = await run.WaitAsync(
                        wait,
                        tally =>
                        {
                            accounted.Value = tally.Accounted;
                            accounted.Description = tally.ToString().EscapeMarkup();
                        },
                        cancellationToken);
                });
            }
            else
            {
                foreach (var upload in uploads)
                {
                    await run.UploadAsync(upload, cancellationToken);
                    uploaded.Add(TimeProvider.System.GetUtcNow());
                }

                console.WriteLine($"uploaded {uploads.Count}/{uploads.Count}");
                result = await run.WaitAsync(wait, tally => console.WriteLine(tally.ToString()), cancellationToken);
            }

            ReportConsole.WriteSummary(console, result);
            await File.WriteAllTextAsync(reportFile, JsonSerializer.Serialize(result, ReportJsonContext.Default.RunReport), cancellationToken);
            await functionOutput.FlushAsync(cancellationToken);
            var picture = await RunPictureWriter.WriteAsync(pipeline, started, uploaded, functionLog, outputDir, cancellationToken);
            var sheet = await ContactSheetWriter.WriteAsync(pipeline, result, outputDir, cancellationToken);
            console.MarkupLine($"Report: {reportFile.EscapeMarkup()}");
            console.MarkupLine($"Function logs (the bootstrap's stdout): {functionLog.EscapeMarkup()}");
            console.MarkupLine($"Contact sheet: {sheet.Html.EscapeMarkup()} and {sheet.Png.EscapeMarkup()}");
            console.MarkupLine($"Run picture (uploads and ended tasks over time, notification latency with p50/p95, per consumer): {picture.EscapeMarkup()}");
            console.MarkupLine(result.Ok
                ? $"[green]OK[/]: every upload reached its expected outcome in {result.WallSeconds.ToString(CultureInfo.InvariantCulture)} s"
                : "[red]FAILED[/]: some uploads did not reach their expected outcome (see the table)");
            return result.Ok ? 0 : 1;
        });
        return command;
    }
}
