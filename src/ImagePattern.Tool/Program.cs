using System.CommandLine;
using ImagePattern.Tool;
using ImagePattern.Tool.Commands;

var root = new RootCommand("ImagePattern developer tooling: the pipeline on one machine, and operating it in AWS.")
{
    LocalCommand.Create(),
    LocalUpCommand.Create(),
    InvokeCommand.Create(),
    StatusCommand.Create(),
    BackfillCommand.Create(),
    RedriveCommand.Create(),
    WorkerCommand.Create(),
};

try
{
    // Exceptions come here rather than to System.CommandLine's handler, which prints every one with its stack trace.
    return await root.Parse(args).InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
}
catch (Exception ex) when (UserErrors.Describe(ex) is { } line)
{
    await Console.Error.WriteLineAsync(line);
    return 1;
}
