using System.CommandLine;
using System.Runtime.InteropServices;
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

// Ctrl-C reaches the whole foreground process group: the emulators' node process stops at once, so what fails next
// (a refused connection, a cancelled wait) is the interruption, not something for the user to fix.
using var interrupt = new CancellationTokenSource();
var interrupted = false;
using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, context =>
{
    context.Cancel = true;
    interrupted = true;
    interrupt.Cancel();
});

try
{
    // Exceptions come here rather than to System.CommandLine's handler, which prints every one with its stack trace.
    var exit = await root.Parse(args).InvokeAsync(
        new InvocationConfiguration { EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = null },
        interrupt.Token);
    return exit;
}
catch (Exception) when (interrupted)
{
    return Interrupted();
}
catch (Exception ex) when (UserErrors.Describe(ex) is { } line)
{
    await Console.Error.WriteLineAsync(line);
    return 1;
}

// 128 + SIGINT, as a shell reports a command Ctrl-C stopped.
static int Interrupted()
{
    Console.Error.WriteLine("interrupted");
    return 130;
}
