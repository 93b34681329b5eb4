using Amazon.S3;

namespace ImagePattern.Tool.Local;

/// <summary>
/// Which uploads the source bucket's notification configuration sends to the queue, read back from the bucket as
/// it is stored (not from what the provisioner meant to write). S3 matches prefix and suffix filters
/// case-sensitively, on the raw key.
/// </summary>
public sealed class NotificationRouting
{
    private readonly IReadOnlyList<(string Id, string Prefix, string Suffix)> rules;

    private NotificationRouting(IReadOnlyList<(string Id, string Prefix, string Suffix)> rules) => this.rules = rules;

    /// <summary>Reads the queue configurations of <paramref name="bucket"/>.</summary>
    public static async Task<NotificationRouting> ReadAsync(IAmazonS3 s3, string bucket, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(s3);
        var stored = await s3.GetBucketNotificationAsync(bucket, cancellationToken);
        return new NotificationRouting((stored.QueueConfigurations ?? [])
            .Select(q =>
            {
                var filters = q.Filter?.S3KeyFilter?.FilterRules ?? [];
                string Value(string name) => filters.FirstOrDefault(f => string.Equals(f.Name, name, StringComparison.OrdinalIgnoreCase))?.Value ?? "";
                return (q.Id ?? "", Value("prefix"), Value("suffix"));
            })
            .ToList());
    }

    /// <summary>Why no rule sends an ObjectCreated event for <paramref name="key"/> to a queue, or null when one does.</summary>
    public string? ReasonNotRouted(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (rules.Any(r => key.StartsWith(r.Prefix, StringComparison.Ordinal) && key.EndsWith(r.Suffix, StringComparison.Ordinal)))
        {
            return null;
        }

        return rules.Count == 0
            ? "the source bucket has no queue notification rule"
            : "no notification rule matches the key (S3 filters are case-sensitive; rules: "
                + string.Join("; ", rules.Select(r => $"{r.Id}: prefix '{r.Prefix}'" + (r.Suffix.Length > 0 ? $", suffix '{r.Suffix}'" : ""))) + ")";
    }
}
