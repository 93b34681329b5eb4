using System.Diagnostics;
using ImagePattern.Tool.Local;

namespace ImagePattern.Packaging.Tests.Support;

/// <summary>Runs scripts/package.py exactly as <c>make package</c> does, into a folder of the caller's choosing.</summary>
internal static class PackageScript
{
    public static async Task<string> BuildAsync(string architecture, string folder, CancellationToken cancellationToken)
    {
        var zip = Path.Combine(folder, $"function-{architecture}.zip");
        var start = new ProcessStartInfo("python3")
        {
            WorkingDirectory = RepositoryRoot.Find(),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { Path.Combine("scripts", "package.py"), "--arch", architecture, "--output", zip, "--work-dir", Path.Combine(folder, "work") })
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start python3");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"package.py --arch {architecture} exited with {process.ExitCode}:\n{await stdout}\n{await stderr}");
        }

        return zip;
    }
}
