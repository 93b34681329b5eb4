using System.Reflection;
using System.Text.RegularExpressions;
using ImagePattern.Function.Observability;
using ImagePattern.Tool.Local;

namespace ImagePattern.Function.Tests.Observability;

/// <summary>
/// The dashboard (terraform/modules/dashboard) and the alarms (terraform/modules/alarms) name the function's EMF metrics
/// by string; these tests fail when those strings and <see cref="InvocationMetrics.Names"/> drift apart, on either side.
/// </summary>
public sealed partial class DashboardMetricsTests
{
    private static readonly string Terraform = Path.Combine(RepositoryRoot.Find(), "terraform", "modules");

    [Fact]
    public void Dashboard_NamesOnlyMetricsTheFunctionEmits()
    {
        var unknown = DashboardNames().Except(EmittedNames()).Order().ToList();

        Assert.True(unknown.Count == 0, $"terraform/modules/dashboard draws metrics the function does not emit: {string.Join(", ", unknown)}");
    }

    [Fact]
    public void Alarms_NameOnlyMetricsTheFunctionEmits()
    {
        var unknown = AlarmNames().Except(EmittedNames()).Order().ToList();

        Assert.True(unknown.Count == 0, $"terraform/modules/alarms watches metrics the function does not emit: {string.Join(", ", unknown)}");
    }

    [Fact]
    public void EveryMetricTheFunctionEmits_IsOnTheDashboardOrWatchedByAnAlarm()
    {
        var unseen = EmittedNames().Except(DashboardNames()).Except(AlarmNames()).Order().ToList();

        Assert.True(unseen.Count == 0, $"the function emits metrics that neither the dashboard nor an alarm shows: {string.Join(", ", unseen)}");
    }

    [Fact]
    public void Dashboard_DrawsTheOutcomeCountsTheFunctionAlwaysWrites()
    {
        // The six counts are written on every flush (zeros included); a dashboard without one of them hides an outcome.
        string[] counts =
        [
            InvocationMetrics.Names.Processed, InvocationMetrics.Names.Duplicates, InvocationMetrics.Names.PermanentFailures,
            InvocationMetrics.Names.Retries, InvocationMetrics.Names.Ignored, InvocationMetrics.Names.Unreadable,
        ];

        Assert.Empty(counts.Except(DashboardNames()));
    }

    /// <summary>Every value of the <see cref="InvocationMetrics.Names"/> constants: the names the EMF lines carry.</summary>
    private static HashSet<string> EmittedNames() =>
        typeof(InvocationMetrics.Names).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f is { IsLiteral: true } && f.FieldType == typeof(string))
            .Select(f => (string)f.GetRawConstantValue()!)
            .ToHashSet(StringComparer.Ordinal);

    /// <summary>The names in the dashboard's <c>function_metrics</c> list and every literal in a metric row of the function's namespace.</summary>
    private static HashSet<string> DashboardNames()
    {
        var main = File.ReadAllText(Path.Combine(Terraform, "dashboard", "main.tf"));
        var list = FunctionMetricsLocal().Match(main);
        Assert.True(list.Success, "terraform/modules/dashboard/main.tf has no function_metrics = { ... } local");

        var names = Quoted().Matches(list.Groups["body"].Value).Select(m => m.Groups["name"].Value).ToHashSet(StringComparer.Ordinal);
        names.UnionWith(NamespaceRow().Matches(main).Select(m => m.Groups["name"].Value));
        return names;
    }

    /// <summary>The metric_name of every alarm in the function's namespace (<c>namespace = var.metrics_namespace</c>).</summary>
    private static HashSet<string> AlarmNames()
    {
        var main = File.ReadAllText(Path.Combine(Terraform, "alarms", "main.tf"));
        var names = AlarmInNamespace().Matches(main).Select(m => m.Groups["name"].Value).ToHashSet(StringComparer.Ordinal);
        Assert.NotEmpty(names);
        return names;
    }

    [GeneratedRegex(@"function_metrics\s*=\s*\{(?<body>.*?)\n\s*\}", RegexOptions.Singleline)]
    private static partial Regex FunctionMetricsLocal();

    [GeneratedRegex("\"(?<name>[A-Za-z][A-Za-z0-9]*)\"")]
    private static partial Regex Quoted();

    [GeneratedRegex(@"\[c\.metrics_namespace,\s*""(?<name>[A-Za-z][A-Za-z0-9]*)""")]
    private static partial Regex NamespaceRow();

    [GeneratedRegex(@"namespace\s*=\s*var\.metrics_namespace\s*\n\s*metric_name\s*=\s*""(?<name>[A-Za-z][A-Za-z0-9]*)""")]
    private static partial Regex AlarmInNamespace();
}
