using System.Diagnostics;
using System.Runtime.InteropServices;

namespace ImagePattern.Imaging.Tests.Aot;

/// <summary>
/// Both engines in a Native AOT executable: SkiaSharp and NetVips bind native code through P/Invoke, which the JIT
/// suite above cannot vouch for. Publishes tests/ImagePattern.Imaging.AotSmoke for this machine's architecture
/// (about a minute and a half of ILC on two busy cores, seconds when unchanged) and runs it.
/// </summary>
public sealed class AotSmokeTests
{
    private static readonly TimeSpan Generous = TimeSpan.FromMinutes(10);

    [Fact]
    public async Task PublishedNativeAotBinary_ThumbnailsAJpegAndAPngWithEachEngine()
    {
        var output = await PublishAsync();

        Assert.True(File.Exists(Path.Combine(output, "libSkiaSharp.so")), "SkiaSharp's native library is published beside the binary");
        Assert.True(File.Exists(Path.Combine(output, "libvips.so.42")), "libvips from NetVips.Native is published beside the binary");

        var run = await RunAsync(Path.Combine(output, "ImagePattern.Imaging.AotSmoke"), [], output);

        Assert.True(run.ExitCode == 0, run.Output);
        foreach (var engine in new[] { "Skia", "Libvips" })
        {
            foreach (var input in new[] { "jpeg", "png" })
            {
                Assert.Contains($"{engine} {input} -> Webp: ok", run.Output, StringComparison.Ordinal);
                Assert.Contains($"{engine} {input} -> Jpeg: ok", run.Output, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public async Task PublishedNativeAotBinary_WithOnlyTheSkiaEngine_NeverLoadsLibvips()
    {
        var output = await PublishAsync();

        var run = await RunAsync(Path.Combine(output, "ImagePattern.Imaging.AotSmoke"), ["skia"], output);

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Contains("libSkiaSharp.so mapped", run.Output, StringComparison.Ordinal);
        Assert.Contains("libvips.so.42 not mapped", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PublishedNativeAotBinary_WithTheLibvipsEngine_StartsLibvipsItself()
    {
        var output = await PublishAsync();

        var run = await RunAsync(Path.Combine(output, "ImagePattern.Imaging.AotSmoke"), ["libvips"], output);

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Contains("Libvips png -> Jpeg: ok", run.Output, StringComparison.Ordinal);
        Assert.Contains("libvips.so.42 mapped", run.Output, StringComparison.Ordinal);
    }

    // One publish serves every test here: dotnet publish is quick when nothing changed, and the tests of a class run
    // one after another.
    private static async Task<string> PublishAsync()
    {
        var root = RepositoryRoot();
        var rid = RuntimeInformation.OSArchitecture == Architecture.Arm64 ? "linux-arm64" : "linux-x64";
        var output = Path.Combine(root, "tests", "ImagePattern.Imaging.AotSmoke", "bin", "aot", rid);
        var project = Path.Combine(root, "tests", "ImagePattern.Imaging.AotSmoke", "ImagePattern.Imaging.AotSmoke.csproj");
        var publish = await RunAsync("dotnet", ["publish", project, "-c", "Release", "-r", rid, "-o", output, "--nologo"], root);
        Assert.True(publish.ExitCode == 0, publish.Output);
        return output;
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string file, string[] arguments, string directory)
    {
        var start = new ProcessStartInfo(file)
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{file} did not start");
        var stdout = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        using var limit = new CancellationTokenSource(Generous, TimeProvider.System);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken, limit.Token);
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "ImagePattern.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("the repository root (ImagePattern.sln) was not found");
    }
}
