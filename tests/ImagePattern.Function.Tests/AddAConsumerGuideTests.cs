using System.Collections.Immutable;
using System.Reflection;
using System.Text.RegularExpressions;
using ImagePattern.Function.Pipeline;
using ImagePattern.Imaging;
using ImagePattern.Tool.Local;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace ImagePattern.Function.Tests;

/// <summary>
/// docs/add-a-consumer.md's example is pasted by people adding a consumer: its C# must build as the function project
/// builds it (nullable, XML docs, the SDK's analyzers at the repository's analysis level, .editorconfig, warnings as
/// errors), and do what the guide says.
/// </summary>
public sealed partial class AddAConsumerGuideTests
{
    private static readonly string Root = RepositoryRoot.Find();

    [Fact]
    public void Snippets_CompileUnderTheFunctionProjectsRules()
    {
        var (_, diagnostics) = CompileGuide();

        Assert.True(diagnostics.IsEmpty, string.Join("\n", diagnostics.Select(d => d.ToString())));
    }

    [Fact]
    public void ChecksumWork_CompletesBytesThatAreNotAnImage_AsItsRegistrationDeclares()
    {
        var (assembly, diagnostics) = CompileGuide();
        Assert.True(diagnostics.IsEmpty, string.Join("\n", diagnostics.Select(d => d.ToString())));

        var consumers = (IReadOnlyList<Consumer>)assembly!.GetType("GuideRegistration")!.GetProperty("All")!.GetValue(null)!;
        var checksum = Assert.Single(consumers);
        var work = (ITaskWork)Activator.CreateInstance(assembly.GetType("ImagePattern.Function.Checksum.ChecksumWork")!, new ImageLimits(1_000, 1_000, 1_000))!;
        var made = work.Make(new("source", "not-an-image.png", 29, "etag", null, null, "ObjectCreated:Put"), "this is plain text, not a PNG"u8.ToArray());

        Assert.Equal("checksum", checksum.Handler);
        Assert.False(checksum.DecodesImages);
        Assert.IsAssignableFrom<WorkResult.Made>(made);
    }

    /// <summary>
    /// The guide's file blocks (a first line <c>// src/…</c>) as files at that path, and its registration block (usings,
    /// then entries of <see cref="Consumers.All"/>) inside a list of the same type.
    /// </summary>
    private static (Assembly? Assembly, ImmutableArray<Diagnostic> Diagnostics) CompileGuide()
    {
        var guide = File.ReadAllText(Path.Combine(Root, "docs", "add-a-consumer.md"));
        var blocks = CSharpBlock().Matches(guide).Select(m => m.Groups["code"].Value).ToList();
        var files = blocks.Where(b => b.StartsWith("// src/", StringComparison.Ordinal)).ToList();
        var registration = Assert.Single(blocks, b => b.Contains("Consumer.Of(\"checksum\"", StringComparison.Ordinal));
        Assert.Single(files);

        var lines = registration.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var usings = lines.Where(l => l.StartsWith("using ", StringComparison.Ordinal));
        var entries = lines.Where(l => !l.StartsWith("using ", StringComparison.Ordinal) && !l.StartsWith("//", StringComparison.Ordinal));
        var registrationFile = string.Join("\n", usings.Prepend("using ImagePattern.Function.Pipeline;"))
            + "\n\n/// <summary>The guide's registration.</summary>\ninternal static class GuideRegistration\n{\n"
            + "    /// <summary>Its entries.</summary>\n    public static IReadOnlyList<Consumer> All { get; } =\n    [\n        "
            + string.Join("\n        ", entries) + "\n    ];\n}\n";

        var sources = files
            .Select(f => (Path: Path.Combine(Root, f[3..f.IndexOf('\n', StringComparison.Ordinal)].Trim()), Text: f))
            .Append((Path: Path.Combine(Root, "src", "ImagePattern.Function", "GuideRegistration.cs"), Text: registrationFile))
            .Append((Path: Path.Combine(Root, "src", "ImagePattern.Function", "obj", "GlobalUsings.g.cs"), Text: ImplicitUsings));
        var parse = new CSharpParseOptions(LanguageVersion.Latest, DocumentationMode.Diagnose);
        var trees = sources.Select(s => CSharpSyntaxTree.ParseText(SourceText.From(s.Text), parse, s.Path)).ToList();

        var (analyzers, configs) = BuildInputs();
        var options = new Options(configs, trees);
        var compilation = CSharpCompilation.Create(
            "GuideSnippets",
            trees,
            References(),
            new CSharpCompilationOptions(
                OutputKind.DynamicallyLinkedLibrary,
                nullableContextOptions: NullableContextOptions.Enable,
                specificDiagnosticOptions: options.Severities,
                generalDiagnosticOption: ReportDiagnostic.Default));
        var all = compilation.WithAnalyzers(analyzers, new AnalyzerOptions([], options))
            .GetAllDiagnosticsAsync(TestContext.Current.CancellationToken).GetAwaiter().GetResult();
        // TreatWarningsAsErrors: every warning fails the build; the generated usings file is not the guide's. The
        // configured severity is applied here too: analyzer diagnostics come back at their descriptor's default.
        var failing = all.Where(d => !d.IsSuppressed
            && (options.Severities.TryGetValue(d.Id, out var configured) && configured != ReportDiagnostic.Default
                ? configured is ReportDiagnostic.Error or ReportDiagnostic.Warn
                : d.Severity >= DiagnosticSeverity.Warning)
            && d.Location.SourceTree?.FilePath.EndsWith("GlobalUsings.g.cs", StringComparison.Ordinal) != true).ToImmutableArray();
        if (!failing.IsEmpty)
        {
            return (null, failing);
        }

        using var image = new MemoryStream();
        var emitted = compilation.Emit(image, cancellationToken: TestContext.Current.CancellationToken);
        return emitted.Success ? (Assembly.Load(image.ToArray()), []) : (null, emitted.Diagnostics);
    }

    // What the SDK generates for a Microsoft.NET.Sdk project: the implicit usings (ImplicitUsings in
    // Directory.Build.props) and the assembly's version.
    private const string ImplicitUsings = """
        global using System;
        global using System.Collections.Generic;
        global using System.IO;
        global using System.Linq;
        global using System.Net.Http;
        global using System.Threading;
        global using System.Threading.Tasks;
        [assembly: System.Reflection.AssemblyVersion("1.0.0.0")]
        """;

    /// <summary>Every assembly this test process runs with: the runtime, the function and its packages.</summary>
    private static List<MetadataReference> References() =>
        ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(path => (MetadataReference)MetadataReference.CreateFromFile(path))
            .ToList();

    /// <summary>The SDK's .NET and code-style analyzers and the analyzer configs, as the test project's build listed them.</summary>
    private static (ImmutableArray<DiagnosticAnalyzer> Analyzers, AnalyzerConfigSet Configs) BuildInputs()
    {
        var inputs = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "guide-compile-inputs.txt"))
            .Select(line => line.Split('|', 2))
            .ToList();
        var loader = new Loader();
        var analyzers = inputs
            .Where(i => i[0] == "analyzer" && Path.GetFileName(i[1]) is var name
                && name.StartsWith("Microsoft.CodeAnalysis.", StringComparison.Ordinal)
                && (name.Contains("NetAnalyzers", StringComparison.Ordinal) || name.Contains("CodeStyle", StringComparison.Ordinal))
                && !name.Contains("VisualBasic", StringComparison.Ordinal))
            .SelectMany(i => new AnalyzerFileReference(i[1], loader).GetAnalyzers(LanguageNames.CSharp))
            .ToImmutableArray();
        Assert.Contains(analyzers, a => a.SupportedDiagnostics.Any(d => d.Id == "CA1725"));
        Assert.Contains(analyzers, a => a.SupportedDiagnostics.Any(d => d.Id == "IDE0005"));
        var configs = inputs
            .Where(i => i[0] == "config" && File.Exists(i[1]) && !i[1].EndsWith(".GeneratedMSBuildEditorConfig.editorconfig", StringComparison.Ordinal))
            .Select(i => AnalyzerConfig.Parse(File.ReadAllText(i[1]), i[1]))
            .ToList();
        return (analyzers, AnalyzerConfigSet.Create(configs));
    }

    [GeneratedRegex(@"^```csharp\n(?<code>.*?)^```", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex CSharpBlock();

    private sealed class Loader : IAnalyzerAssemblyLoader
    {
        public void AddDependencyLocation(string fullPath)
        {
        }

        public Assembly LoadFromPath(string fullPath) => Assembly.LoadFrom(fullPath);
    }

    /// <summary>The configs' options and severities per file, as the compiler applies them to the project's files.</summary>
    private sealed class Options(AnalyzerConfigSet configs, IEnumerable<SyntaxTree> trees) : AnalyzerConfigOptionsProvider
    {
        private readonly Dictionary<string, AnalyzerConfigOptionsResult> perFile =
            trees.ToDictionary(t => t.FilePath, t => configs.GetOptionsForSourcePath(t.FilePath), StringComparer.Ordinal);

        public ImmutableDictionary<string, ReportDiagnostic> Severities =>
            perFile.Values.Aggregate(
                configs.GlobalConfigOptions.TreeOptions,
                (all, file) => all.SetItems(file.TreeOptions));

        public override AnalyzerConfigOptions GlobalOptions => new Values(configs.GlobalConfigOptions.AnalyzerOptions);

        public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => new Values(perFile[tree.FilePath].AnalyzerOptions);

        public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) => GlobalOptions;
    }

    private sealed class Values(ImmutableDictionary<string, string> values) : AnalyzerConfigOptions
    {
        public override bool TryGetValue(string key, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out string? value) =>
            values.TryGetValue(key, out value);

        public override IEnumerable<string> Keys => values.Keys;
    }
}
