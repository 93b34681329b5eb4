using ImagePattern.Tool.Local;
using ImagePattern.Tool.Tests.Drills.Support;

namespace ImagePattern.Tool.Tests.Drills;

/// <summary>
/// Where <c>make drills</c> writes into the committed documents: the cost block's markers in the runbook and one
/// section per drill in the reliability report. Whether their figures are a drill run's output is not checked here;
/// only a run of <c>make drills</c> reproduces them (and on a shared machine timings differ from run to run).
/// </summary>
public sealed class GeneratedDocsLayoutTests
{
    private static readonly string Docs = Path.Combine(RepositoryRoot.Find(), "docs");

    [Fact]
    public void CostSplice_ReplacesOnlyTheMarkedBlock()
    {
        var document = $"# Runbook\n\nbefore\n{CostReport.Begin}\nold figures\n{CostReport.End}\nafter\n";

        var spliced = CostReport.Splice(document, $"{CostReport.Begin}\nnew figures\n{CostReport.End}");

        Assert.Equal($"# Runbook\n\nbefore\n{CostReport.Begin}\nnew figures\n{CostReport.End}\nafter\n", spliced);
        Assert.Throws<InvalidOperationException>(() => CostReport.Splice("# no markers", "x"));
    }

    [Fact]
    public void OperationsRunbook_HasTheMarkersTheCostSectionIsGeneratedInto()
    {
        var runbook = File.ReadAllText(Path.Combine(Docs, "operations.md"));

        Assert.Equal(1, Occurrences(runbook, CostReport.Begin));
        Assert.Equal(1, Occurrences(runbook, CostReport.End));
        Assert.True(runbook.IndexOf(CostReport.Begin, StringComparison.Ordinal) < runbook.IndexOf(CostReport.End, StringComparison.Ordinal));
    }

    [Fact]
    public void ReliabilityReport_HasASectionForEveryDrill()
    {
        var report = File.ReadAllText(Path.Combine(Docs, "reliability.md"));

        Assert.All(DrillCatalog.All, d => Assert.Contains($"## {d.Title}\n", report, StringComparison.Ordinal));
    }

    private static int Occurrences(string text, string value) => text.Split(value).Length - 1;
}
