using System.Text.RegularExpressions;
using ImagePattern.Function.Configuration;
using ImagePattern.Tool.Local;

namespace ImagePattern.Function.Tests.Configuration;

public sealed partial class EnvironmentVariablesTests
{
    [Fact]
    public void TerraformFunctionModule_SetsExactlyTheVariablesTheCodeReads()
    {
        var main = File.ReadAllText(Path.Combine(RepositoryRoot.Find(), "terraform", "modules", "function", "main.tf"));
        var block = EnvironmentBlock().Match(main);
        Assert.True(block.Success, "terraform/modules/function/main.tf has no environment { variables = { ... } } block");

        var names = AssignedName().Matches(block.Groups["body"].Value).Select(m => m.Groups["name"].Value).ToHashSet();

        Assert.Equal(EnvironmentVariables.All.Order(), names.Order());
    }

    [Fact]
    public void SettingsReader_ReadsOnlyDocumentedVariables()
    {
        var asked = new HashSet<string>();
        try
        {
            SettingsReader.Read(name =>
            {
                asked.Add(name);
                return null;
            });
        }
        catch (SettingsException)
        {
            // Expected: nothing is set. Only which names were asked for matters here.
        }

        asked.Remove(EnvironmentVariables.LambdaMemorySize);
        Assert.Equal(EnvironmentVariables.All.Order(), asked.Order());
    }

    [GeneratedRegex(@"environment\s*\{\s*variables\s*=\s*\{(?<body>.*?)\n\s*\}\s*\n\s*\}", RegexOptions.Singleline)]
    private static partial Regex EnvironmentBlock();

    [GeneratedRegex(@"^\s*(?<name>[A-Z][A-Z0-9_]*)\s*=", RegexOptions.Multiline)]
    private static partial Regex AssignedName();
}
