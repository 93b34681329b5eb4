namespace ImagePattern.Packaging.Tests.Support;

/// <summary>
/// Packages built once for the whole test run (a Native AOT publish takes a minute or two; the assertions on the
/// zips take none). Each build gets its own temporary folder, so two builds of one architecture also prove that the
/// checkout path does not leak into the bytes.
/// </summary>
public abstract class PackageFixture(string architecture, int builds) : IAsyncLifetime
{
    private readonly List<DirectoryInfo> folders = [];

    public string Architecture { get; } = architecture;

    public IReadOnlyList<string> Zips { get; private set; } = [];

    /// <summary>The first package unpacked, as Lambda unpacks it into the task root.</summary>
    public string TaskRoot { get; private set; } = "";

    public async ValueTask InitializeAsync()
    {
        var zips = new List<string>();
        for (var i = 0; i < builds; i++)
        {
            var folder = Directory.CreateTempSubdirectory($"imagepattern-package-{Architecture}-");
            folders.Add(folder);
            zips.Add(await PackageScript.BuildAsync(Architecture, folder.FullName, TestContext.Current.CancellationToken));
        }

        Zips = zips;
        TaskRoot = ImagePattern.Tool.Emulators.LambdaRuntime.ExecutionEnvironment.Unpack(zips[0], Path.Combine(folders[0].FullName, "task-root"));
    }

    public ValueTask DisposeAsync()
    {
        foreach (var folder in folders)
        {
            folder.Delete(recursive: true);
        }

        GC.SuppressFinalize(this);
        return ValueTask.CompletedTask;
    }
}

public sealed class X86PackageFixture() : PackageFixture("x86_64", builds: 2);

public sealed class Arm64PackageFixture() : PackageFixture("arm64", builds: 1);
