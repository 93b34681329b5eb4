namespace ImagePattern.Packaging.Tests.Support;

internal static class RepositoryRoot
{
    private static readonly Lazy<string> Root = new(FindRoot);

    public static string Path => Root.Value;

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "ImagePattern.sln")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException("no ImagePattern.sln above " + AppContext.BaseDirectory);
    }
}
