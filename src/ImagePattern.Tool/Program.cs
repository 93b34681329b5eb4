using System.CommandLine;
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
    return await root.Parse(args).InvokeAsync();
}
catch (InvalidOperationException ex)
{
    // Expected operator errors (no running stack, missing prerequisites) get one line, not a stack trace.
    await Console.Error.WriteLineAsync(ex.Message);
    return 1;
}
