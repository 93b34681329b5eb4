using ImagePattern.Function.Configuration;
using ImagePattern.Function.Observability;
using ImagePattern.Function.Runtime;
using ImagePattern.Imaging;
using Microsoft.Extensions.Logging;

namespace ImagePattern.Function;

/// <summary>
/// The <c>bootstrap</c> executable of the custom runtime (<c>provided.al2023</c>): it talks to the Lambda Runtime API
/// at <c>AWS_LAMBDA_RUNTIME_API</c> and runs the consumer <c>_HANDLER</c> names (<see cref="Consumers"/>).
/// </summary>
internal static class Program
{
    private static async Task<int> Main()
    {
        // Before anything starts a thread: the libvips engine caps glibc's malloc arenas, which only works while few
        // exist (two more were there by the time the engine was composed). A bad IMAGE_ENGINE is reported later by
        // the settings, with the other variables.
        if (EngineCapabilities.FindByName(Environment.GetEnvironmentVariable(EnvironmentVariables.ImageEngine) ?? EngineCapabilities.Default.Name) is { } engine)
        {
            Thumbnailers.PrepareProcess(engine.Engine);
        }

        var endpoint = Environment.GetEnvironmentVariable(EnvironmentVariables.RuntimeApi);
        if (string.IsNullOrWhiteSpace(endpoint))
        {
            await Console.Error.WriteLineAsync($"{EnvironmentVariables.RuntimeApi} is not set: this bootstrap runs under a Lambda Runtime API.");
            return 2;
        }

        // The loop's own logs (init and invocation failures) before and beside the handler's logging.
        using var logging = FunctionLogging.CreateFactory(
            Environment.GetEnvironmentVariable(EnvironmentVariables.ServiceName) ?? "imagepattern", LogLevel.Information);
        using var client = new RuntimeApiClient(endpoint);
        var loop = new RuntimeLoop(client, logging.CreateLogger<RuntimeLoop>(), Environment.GetEnvironmentVariable("AWS_LAMBDA_FUNCTION_NAME"));
        try
        {
            // The consumer _HANDLER names (Consumers.All, beside this file), composed once; the host lives as long as the process.
            return await loop.RunAsync(LambdaEntryPoint.FromEnvironment, CancellationToken.None);
        }
        catch (HttpRequestException ex)
        {
            // The Runtime API went away: Lambda is ending this environment (or a local emulator stopped).
            await Console.Error.WriteLineAsync($"The Runtime API at {endpoint} is unreachable ({ex.Message}); exiting.");
            return 1;
        }
    }
}
