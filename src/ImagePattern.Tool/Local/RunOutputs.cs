namespace ImagePattern.Tool.Local;

/// <summary>
/// Where a local run writes: the report at <c>REPORT=</c> (default <c>.local/report.json</c>), everything else —
/// <c>function.log</c>, <c>run.png</c>, <c>contact-sheet.*</c>, <c>thumbnails/</c> — in <c>.local/</c> whatever
/// <c>REPORT=</c> says.
/// </summary>
/// <param name="ReportFile">Full path of the JSON report.</param>
/// <param name="Directory">The run's own folder, <c>.local/</c> of the checkout.</param>
public sealed record RunOutputs(string ReportFile, string Directory)
{
    /// <summary>
    /// Checks <paramref name="report"/> before anything starts, creates the folders, and clears what an earlier run
    /// left that this run writes again (thumbnails, contact sheet, run picture, function log, the report), so nothing
    /// stale is read as this run's.
    /// </summary>
    /// <param name="repositoryRoot">The checkout; the run's folder is its <c>.local/</c>.</param>
    /// <param name="report">The <c>REPORT=</c> path, or null for the default.</param>
    /// <exception cref="UserErrorException"><paramref name="report"/> is an existing folder.</exception>
    public static RunOutputs Prepare(string repositoryRoot, string? report)
    {
        var directory = Path.Combine(repositoryRoot, ".local");
        var reportFile = Path.GetFullPath(report ?? Path.Combine(directory, "report.json"));
        if (System.IO.Directory.Exists(reportFile))
        {
            throw new UserErrorException(
                $"REPORT is a folder: {reportFile}: REPORT= names the report file (e.g. REPORT={Path.Combine(reportFile, "report.json")}); the run's other files stay in .local/.");
        }

        System.IO.Directory.CreateDirectory(directory);
        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(reportFile)!);
        var thumbnails = Path.Combine(directory, ContactSheetWriter.ThumbnailFolder);
        if (System.IO.Directory.Exists(thumbnails))
        {
            System.IO.Directory.Delete(thumbnails, recursive: true);
        }

        foreach (var file in new[] { FunctionLogName, RunPicture.RunPictureWriter.FileName, ContactSheetWriter.HtmlName, ContactSheetWriter.PngName })
        {
            File.Delete(Path.Combine(directory, file));
        }

        // The default report too when REPORT= points elsewhere: beside this run's files it would pass for this run's.
        File.Delete(reportFile);
        File.Delete(Path.Combine(directory, "report.json"));
        return new RunOutputs(reportFile, directory);
    }

    /// <summary>The packaged bootstrap's stdout, in <see cref="Directory"/>.</summary>
    public const string FunctionLogName = "function.log";

    /// <summary>Full path of the function log.</summary>
    public string FunctionLog => Path.Combine(Directory, FunctionLogName);
}
