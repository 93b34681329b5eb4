using System.Diagnostics;
using ImagePattern.Tool.Emulators.LambdaRuntime;
using ImagePattern.Tool.Local;

namespace ImagePattern.Tool.Tests.Support;

/// <summary>
/// The package <c>make local</c> runs (<c>artifacts/function-&lt;arch&gt;.zip</c>), built by make when missing or older
/// than its sources, once per test run.
/// </summary>
public static class HostPackage
{
    private static readonly Lazy<Task<string>> Built = new(MakeAsync);

    /// <summary>The package's path, built first when missing or stale.</summary>
    public static Task<string> ZipAsync() => Built.Value;

    /// <summary>Unpacks the package into <c>artifacts/task-roots/&lt;name&gt;</c>, as Lambda unpacks it; returns the task root.</summary>
    public static async Task<string> TaskRootAsync(string name)
    {
        var zip = await Built.Value;
        return ExecutionEnvironment.Unpack(zip, Path.Combine(RepositoryRoot.Find(), "artifacts", "task-roots", name));
    }

    private static async Task<string> MakeAsync()
    {
        var root = RepositoryRoot.Find();
        var target = Path.GetRelativePath(root, LocalPipeline.HostPackage(root));
        var start = new ProcessStartInfo("make") { WorkingDirectory = root, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("-s");
        start.ArgumentList.Add(target);
        using var make = Process.Start(start) ?? throw new InvalidOperationException("could not start make");
        var stdout = make.StandardOutput.ReadToEndAsync();
        var stderr = make.StandardError.ReadToEndAsync();
        await make.WaitForExitAsync();
        return make.ExitCode == 0
            ? Path.Combine(root, target)
            : throw new InvalidOperationException($"make {target} exited with {make.ExitCode}:\n{await stdout}\n{await stderr}");
    }
}
