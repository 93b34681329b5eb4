using System.Text.RegularExpressions;

namespace ImagePattern.Packaging.Tests.Support;

/// <summary>The handler string as Terraform sets it: <c>Assembly::Namespace.Type::Method</c>.</summary>
internal sealed partial record HandlerString(string Assembly, string Type, string Method)
{
    public static HandlerString FromTerraform()
    {
        var main = File.ReadAllText(Path.Combine(RepositoryRoot.Path, "terraform", "modules", "function", "main.tf"));
        var match = HandlerAssignment().Match(main);
        Assert.True(match.Success, "terraform/modules/function/main.tf sets no handler = \"...\"");
        var parts = match.Groups["value"].Value.Split("::");
        Assert.Equal(3, parts.Length);
        return new HandlerString(parts[0], parts[1], parts[2]);
    }

    [GeneratedRegex("""^\s*handler\s*=\s*"(?<value>[^"]+)"\s*$""", RegexOptions.Multiline)]
    private static partial Regex HandlerAssignment();
}
