using System.CommandLine;
using System.Text;
using System.Text.Json;
using ImagePattern.Function.Runtime;
using ImagePattern.Tool.Emulators.LambdaRuntime;
using ImagePattern.Tool.Local;

namespace ImagePattern.Tool.Commands;

/// <summary>
/// <c>invoke --event FILE</c>: one event through the packaged <c>bootstrap</c> behind the Runtime API emulator, against
/// the running local stack, as <c>sam local invoke</c> does.
/// </summary>
internal static class InvokeCommand
{
    public static Command Create()
    {
        var eventFile = new Option<FileInfo>("--event") { Description = "SQS event JSON in the shape Lambda delivers", Required = true };
        var timeout = new Option<int>("--timeout") { Description = "Seconds the invocation may run (its deadline)", DefaultValueFactory = _ => 60 };
        var command = new Command("invoke", "Send one SQS event (JSON file) to the packaged function against the running local stack; print its response.") { eventFile, timeout };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var file = parse.GetValue(eventFile)!;
            if (!file.Exists)
            {
                await Console.Error.WriteLineAsync($"No such event file: {file.FullName}");
                return 2;
            }

            // The running stack first: without one, no package would help.
            var root = RepositoryRoot.Find();
            var session = await LocalSession.LoadAsync(LocalSession.PathIn(root));
            var package = LocalPipeline.HostPackage(root);
            if (!File.Exists(package))
            {
                await Console.Error.WriteLineAsync($"No function package at {package}: build it with `make package`.");
                return 2;
            }

            var taskRoot = Directory.CreateTempSubdirectory("imagepattern-invoke-");
            try
            {
                return await InvokeAsync(file, package, taskRoot.FullName, session, Math.Clamp(parse.GetValue(timeout), 1, 900), cancellationToken);
            }
            finally
            {
                taskRoot.Delete(recursive: true);
            }
        });
        return command;
    }

    private static async Task<int> InvokeAsync(FileInfo file, string package, string taskRoot, LocalSession session, int seconds, CancellationToken cancellationToken)
    {
        // The function's logs go to stderr so stdout carries only its response, as with `sam local invoke`.
        await using var environment = await ExecutionEnvironment.StartAsync(
            new ExecutionEnvironmentOptions
            {
                TaskRoot = ExecutionEnvironment.Unpack(package, taskRoot),
                Environment = session.Endpoints.EnvironmentVariablesFor(session.Layout.AccessKeyId("thumbnails", "function")).Concat(session.Layout.FunctionEnvironment).ToDictionary(),
                FunctionName = $"{session.Layout.Name}-thumbnails",
                StandardOutput = Console.Error.WriteLine,
                StandardError = Console.Error.WriteLine,
            },
            cancellationToken);
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(seconds), TimeProvider.System);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, limit.Token);
        var result = await environment.InvokeAsync(await File.ReadAllBytesAsync(file.FullName, cancellationToken), TimeProvider.System.GetUtcNow().AddSeconds(seconds), deadline.Token);
        switch (result)
        {
            case InvocationResult.Response response:
                Console.WriteLine(Encoding.UTF8.GetString(response.Body));
                return 0;
            case InvocationResult.Error error:
                Console.WriteLine(JsonSerializer.Serialize(error.Document, RuntimeJsonContext.Default.RuntimeError));
                return 1;
            default:
                return 1;
        }
    }
}
