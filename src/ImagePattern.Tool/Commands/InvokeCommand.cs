using System.CommandLine;
using ImagePattern.Function.Observability;
using ImagePattern.Tool.Local;
using Microsoft.Extensions.Logging;

namespace ImagePattern.Tool.Commands;

/// <summary><c>invoke --event FILE</c>: one SQS event through the real handler against the running local stack.</summary>
internal static class InvokeCommand
{
    public static Command Create()
    {
        var eventFile = new Option<FileInfo>("--event") { Description = "SQS event JSON in the shape Lambda delivers", Required = true };
        var command = new Command("invoke", "Send one SQS event (JSON file) to the handler against the running local stack; print its response.") { eventFile };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var file = parse.GetValue(eventFile)!;
            if (!file.Exists)
            {
                await Console.Error.WriteLineAsync($"No such event file: {file.FullName}");
                return 2;
            }

            var session = await LocalSession.LoadAsync(LocalSession.PathIn(RepositoryRoot.Find()));
            foreach (var (name, value) in session.Endpoints.EnvironmentVariables.Concat(session.Layout.FunctionEnvironment))
            {
                Environment.SetEnvironmentVariable(name, value);
            }

            // Logs go to stderr so stdout carries only the handler's response, as with `sam local invoke`.
            using var logging = FunctionLogging.CreateFactory("imagepattern", LogLevel.Information, standardError: true);
            using var host = ImagePattern.Function.FunctionHost.FromEnvironment(logging, Console.Error);
            await using var input = file.OpenRead();
            await using var output = await host.HandleAsync(input, cancellationToken);
            using var reader = new StreamReader(output);
            Console.WriteLine(await reader.ReadToEndAsync(cancellationToken));
            return 0;
        });
        return command;
    }
}
