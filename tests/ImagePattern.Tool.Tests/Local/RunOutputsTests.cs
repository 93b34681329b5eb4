using ImagePattern.Tool.Local;

namespace ImagePattern.Tool.Tests.Local;

/// <summary>Where a local run writes: REPORT= is the report file only; the rest stays in .local/, cleared of earlier runs.</summary>
public sealed class RunOutputsTests : IDisposable
{
    private readonly DirectoryInfo checkout = Directory.CreateTempSubdirectory("imagepattern-outputs-");

    public void Dispose() => checkout.Delete(recursive: true);

    private string PathOf(string relative) => Path.Combine(checkout.FullName, relative);

    [Fact]
    public void Prepare_ReportElsewhere_KeepsTheRunsOtherFilesInDotLocal()
    {
        var outputs = RunOutputs.Prepare(checkout.FullName, PathOf("out/report.json"));

        Assert.Equal(PathOf("out/report.json"), outputs.ReportFile);
        Assert.Equal(PathOf(".local"), outputs.Directory);
        Assert.Equal(PathOf(".local/function.log"), outputs.FunctionLog);
        Assert.True(Directory.Exists(PathOf("out")));
    }

    [Fact]
    public void Prepare_ReportIsAnExistingFolder_IsRefusedNamingTheFileToGive()
    {
        Directory.CreateDirectory(PathOf("reports"));

        var error = Assert.Throws<UserErrorException>(() => RunOutputs.Prepare(checkout.FullName, PathOf("reports")));

        Assert.StartsWith($"REPORT is a folder: {PathOf("reports")}", error.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(PathOf(".local")), "nothing is written before the refusal");
    }

    [Fact]
    public void Prepare_AfterAnEarlierRun_ClearsTheThumbnailsAndFilesThisRunWrites()
    {
        Directory.CreateDirectory(PathOf(".local/thumbnails"));
        File.WriteAllText(PathOf(".local/thumbnails/stale.webp"), "old");
        File.WriteAllText(PathOf(".local/contact-sheet.html"), "old");
        File.WriteAllText(PathOf(".local/run.png"), "old");
        File.WriteAllText(PathOf(".local/report.json"), "old");
        Directory.CreateDirectory(PathOf(".local/state"));
        File.WriteAllText(PathOf(".local/state/keep"), "local-up's");

        RunOutputs.Prepare(checkout.FullName, PathOf("elsewhere.json"));

        Assert.False(Directory.Exists(PathOf(".local/thumbnails")));
        Assert.False(File.Exists(PathOf(".local/contact-sheet.html")));
        Assert.False(File.Exists(PathOf(".local/run.png")));
        Assert.False(File.Exists(PathOf(".local/report.json")), "an earlier run's default report is not left beside this run's files");
        Assert.True(File.Exists(PathOf(".local/state/keep")), "what the run does not own stays");
    }
}
