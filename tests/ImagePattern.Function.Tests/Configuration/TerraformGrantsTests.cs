using System.Text.RegularExpressions;
using ImagePattern.Tool.Local;

namespace ImagePattern.Function.Tests.Configuration;

/// <summary>
/// The function's role grants exactly the S3 and DynamoDB actions its code calls. The calls are read from the
/// source (every <c>client.XxxAsync(</c> on an <c>IAmazonS3</c> / <c>IAmazonDynamoDB</c>), the grants from the
/// policy document in <c>terraform/modules/function/main.tf</c>. Reading the source rather than recording calls
/// at run time catches a call on a path no test happens to take (the transient-failure release, say); a
/// <c>.tftest.hcl</c> could not see the C# at all.
/// </summary>
public sealed partial class TerraformGrantsTests
{
    /// <summary>Actions an SDK call needs beyond its own name.</summary>
    private static readonly Dictionary<string, string[]> AlsoNeeded = new(StringComparer.Ordinal)
    {
        // A read that names a versionId (records from a versioned bucket do) is authorised as GetObjectVersion.
        ["s3:GetObject"] = ["s3:GetObjectVersion"],
    };

    /// <summary>Actions granted although no code calls them, each with its reason.</summary>
    private static readonly Dictionary<string, string> GrantedWithoutCall = new(StringComparer.Ordinal)
    {
        // S3 answers a read of a deleted key with 404 NoSuchKey (a permanent FAILED task) only to a caller that
        // may list the bucket; to others with 403 AccessDenied, which is retried into the DLQ.
        ["s3:ListBucket"] = "deleted keys must answer 404, not 403",
    };

    [Fact]
    public void FunctionRole_GrantsExactlyTheS3AndDynamoDbActionsTheCodeCalls()
    {
        var called = CalledActions();
        var needed = called
            .SelectMany(action => AlsoNeeded.TryGetValue(action, out var more) ? [action, .. more] : new[] { action })
            .Concat(GrantedWithoutCall.Keys)
            .ToHashSet(StringComparer.Ordinal);

        var granted = GrantedActions();

        Assert.Contains("dynamodb:UpdateItem", called);
        Assert.Equal(needed.Order(StringComparer.Ordinal), granted.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void CallScanner_FindsCallsOnTheDeclaredClientOnly()
    {
        const string Source = """
            public sealed class Store(IAmazonS3 objects, IAmazonDynamoDB table) {
                async Task A() { await objects.GetObjectAsync(r, ct); await table.UpdateItemAsync(r, ct); }
                async Task B() { await other.DeleteItemAsync(r, ct); await objects.PutObjectAsync(r); }
            }
            """;

        Assert.Equal(["dynamodb:UpdateItem", "s3:GetObject", "s3:PutObject"], ActionsIn(Source).Order(StringComparer.Ordinal));
    }

    private static HashSet<string> CalledActions()
    {
        var source = Path.Combine(RepositoryRoot.Find(), "src", "ImagePattern.Function");
        return Directory.EnumerateFiles(source, "*.cs", SearchOption.AllDirectories)
            .Where(path => !path.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !path.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .SelectMany(path => ActionsIn(File.ReadAllText(path)))
            .ToHashSet(StringComparer.Ordinal);
    }

    private static IEnumerable<string> ActionsIn(string code)
    {
        foreach (Match client in ClientDeclaration().Matches(code))
        {
            var service = client.Groups["service"].Value == "S3" ? "s3" : "dynamodb";
            var name = Regex.Escape(client.Groups["name"].Value);
            foreach (Match call in Regex.Matches(code, $@"\b{name}\.(?<operation>[A-Z][A-Za-z]+)Async\s*\(", RegexOptions.None, TimeSpan.FromSeconds(1)))
            {
                yield return $"{service}:{call.Groups["operation"].Value}";
            }
        }
    }

    private static HashSet<string> GrantedActions()
    {
        var main = File.ReadAllText(Path.Combine(RepositoryRoot.Find(), "terraform", "modules", "function", "main.tf"));
        var document = PermissionsDocument().Match(main);
        Assert.True(document.Success, "terraform/modules/function/main.tf has no data \"aws_iam_policy_document\" \"permissions\"");

        return ActionList().Matches(document.Groups["body"].Value)
            .SelectMany(list => Quoted().Matches(list.Groups["list"].Value).Select(m => m.Groups[1].Value))
            .Where(action => action.StartsWith("s3:", StringComparison.Ordinal) || action.StartsWith("dynamodb:", StringComparison.Ordinal))
            .ToHashSet(StringComparer.Ordinal);
    }

    [GeneratedRegex(@"\b(?:IAmazon|Amazon)(?<service>S3|DynamoDB)(?:Client)?\??\s+(?<name>[a-z_][A-Za-z0-9_]*)\b")]
    private static partial Regex ClientDeclaration();

    // The document ends at the first line that is exactly "}" (HCL blocks at the top level close in column 0).
    [GeneratedRegex(@"data ""aws_iam_policy_document"" ""permissions"" \{(?<body>.*?)\n\}", RegexOptions.Singleline)]
    private static partial Regex PermissionsDocument();

    [GeneratedRegex(@"\bactions\s*=\s*\[(?<list>[^\]]*)\]", RegexOptions.Singleline)]
    private static partial Regex ActionList();

    [GeneratedRegex("\"([^\"]+)\"")]
    private static partial Regex Quoted();
}
