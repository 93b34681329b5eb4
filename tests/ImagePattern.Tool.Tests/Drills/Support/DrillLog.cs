using System.Text.Json;
using ImagePattern.Tool.Local;

namespace ImagePattern.Tool.Tests.Drills.Support;

/// <summary>The drills, in the order the report lists them.</summary>
public static class DrillCatalog
{
    public static readonly IReadOnlyList<(string Id, string Title)> All =
    [
        ("baseline", "Baseline: 12 MP photos at the default settings"),
        ("worker-killed", "Function process killed mid-batch"),
        ("dynamodb-unreachable", "DynamoDB unreachable for a while"),
        ("output-denied", "Output bucket denies writes, then redrive"),
        ("duplicate-burst", "5,000 duplicate notifications for 500 objects"),
        ("hostile-inputs", "Malformed and hostile inputs"),
        ("poison-messages", "Unreadable messages end in the DLQ"),
        ("memory-budget", "Budget-sized images at the smallest accepted memory"),
    ];

    public static string TitleOf(string id) => All.Single(d => d.Id == id).Title;
}

/// <summary>
/// Collects the drills' results. Each result is written to <c>artifacts/drills/&lt;id&gt;.json</c>; when the whole
/// set passed in this run and <c>IMAGEPATTERN_WRITE_DOCS=1</c> (what <c>make drills</c> sets), the documents are
/// rendered from them: <c>docs/reliability.md</c> and the cost section of <c>docs/operations.md</c>.
/// </summary>
public sealed class DrillLog : IAsyncLifetime
{
    public const string WriteDocsVariable = "IMAGEPATTERN_WRITE_DOCS";

    // Readable JSON: keep ×, ², quotes and non-ASCII keys as they are.
    private static readonly JsonSerializerOptions Json = new(DrillJsonContext.Default.Options) { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly Dictionary<string, DrillResult> results = new(StringComparer.Ordinal);
    private readonly string root = RepositoryRoot.Find();
    private readonly DateTimeOffset started = TimeProvider.System.GetUtcNow();
    private CostInputs? cost;

    public string ResultsDirectory => Path.Combine(root, "artifacts", "drills");

    public async Task RecordAsync(DrillResult result)
    {
        Directory.CreateDirectory(ResultsDirectory);
        await File.WriteAllTextAsync(Path.Combine(ResultsDirectory, result.Id + ".json"), JsonSerializer.Serialize(result, Json.GetTypeInfo(typeof(DrillResult))));
        lock (results)
        {
            results[result.Id] = result;
        }
    }

    public async Task RecordCostAsync(CostInputs inputs)
    {
        Directory.CreateDirectory(ResultsDirectory);
        await File.WriteAllTextAsync(Path.Combine(ResultsDirectory, "cost-inputs.json"), JsonSerializer.Serialize(inputs, Json.GetTypeInfo(typeof(CostInputs))));
        cost = inputs;
    }

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        if (Environment.GetEnvironmentVariable(WriteDocsVariable) != "1")
        {
            return;
        }

        List<DrillResult> ordered;
        lock (results)
        {
            ordered = DrillCatalog.All.Where(d => results.ContainsKey(d.Id)).Select(d => results[d.Id]).ToList();
        }

        // A partial or failed run leaves the committed documents as they were.
        if (ordered.Count != DrillCatalog.All.Count || cost is null)
        {
            return;
        }

        var run = RunInfo.Describe(started);
        var docs = Path.Combine(root, "docs");
        Directory.CreateDirectory(docs);
        await File.WriteAllTextAsync(Path.Combine(docs, "reliability.md"), ReliabilityReport.Render(ordered, run));
        var operations = Path.Combine(docs, "operations.md");
        if (File.Exists(operations))
        {
            var bench = BenchCase.TryLoad(Path.Combine(root, "bench", "latest.json"));
            await File.WriteAllTextAsync(operations, CostReport.Splice(await File.ReadAllTextAsync(operations), CostReport.Render(cost, bench, run)));
        }
    }
}

/// <summary>Where and when the drills ran, for the report's header.</summary>
public sealed record RunInfo(string Date, string Machine, string Runtime)
{
    public static RunInfo Describe(DateTimeOffset started) => new(
        started.ToString("yyyy-MM-dd HH:mm 'UTC'", System.Globalization.CultureInfo.InvariantCulture),
        $"{System.Runtime.InteropServices.RuntimeInformation.OSDescription.Trim()}, {Environment.ProcessorCount} cores",
        System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription);
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class DrillsDefinition : ICollectionFixture<DrillLog>
{
    public const string Name = "Drills";
}
