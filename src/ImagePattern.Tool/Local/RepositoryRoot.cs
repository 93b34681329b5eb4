namespace ImagePattern.Tool.Local;

/// <summary>Finds the checkout the tool runs from (where <c>local/</c> and <c>node_modules/</c> live).</summary>
public static class RepositoryRoot
{
    /// <summary>The nearest folder above the running assembly (or the working directory) holding <c>ImagePattern.sln</c>.</summary>
    public static string Find()
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "ImagePattern.sln")))
                {
                    return dir.FullName;
                }
            }
        }

        throw new DirectoryNotFoundException("Run from inside the ImagePattern checkout: no ImagePattern.sln above " + AppContext.BaseDirectory);
    }
}
