namespace ImagePattern.Packaging.Tests.Support;

/// <summary>
/// Packages built once per test class: publishing takes tens of seconds, the assertions on the zips take none.
/// Each build gets its own temporary folder, so the builds also prove that the checkout path does not leak into the bytes.
/// </summary>
public abstract class PackageFixture(string architecture, int builds) : IAsyncLifetime
{
    private readonly List<DirectoryInfo> folders = [];

    public string Architecture { get; } = architecture;

    public IReadOnlyList<string> Zips { get; private set; } = [];

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
