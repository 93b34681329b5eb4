using Amazon.S3;

namespace ImagePattern.Tool.Local;

/// <summary>
/// Which uploads the source bucket's notification configuration sends on, read back from the bucket as it is stored
/// (not from what the provisioner meant to write): its queue and topic configurations, whose prefix and suffix
/// filters S3 matches case-sensitively on the raw key. With EventBridge delivery on, the consumers' rules decide;
/// they match the pattern of <see cref="LocalLayout.EventPattern"/> (the bucket, and the extensions ignoring case or
/// the prefix), which is modelled here rather than read back.
/// </summary>
public sealed class NotificationRouting
{
    private readonly IReadOnlyList<(string Id, string Prefix, string Suffix)> rules;
    private readonly LocalLayout? eventBridge;

    private NotificationRouting(IReadOnlyList<(string Id, string Prefix, string Suffix)> rules, LocalLayout? eventBridge)
    {
        this.rules = rules;
        this.eventBridge = eventBridge;
    }

    /// <summary>True when EventBridge rules match extensions, so a key with another extension never reaches a consumer.</summary>
    public bool RulesFilterExtensions => eventBridge is { UploadPrefix.Length: 0 };

    /// <summary>Reads the notification configuration of <paramref name="layout"/>'s source bucket.</summary>
    public static async Task<NotificationRouting> ReadAsync(IAmazonS3 s3, LocalLayout layout, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(s3);
        ArgumentNullException.ThrowIfNull(layout);
        var stored = await s3.GetBucketNotificationAsync(layout.SourceBucket, cancellationToken);
        static (string, string, string) Rule(string? id, Amazon.S3.Model.Filter? filter)
        {
            var filters = filter?.S3KeyFilter?.FilterRules ?? [];
            string Value(string name) => filters.FirstOrDefault(f => string.Equals(f.Name, name, StringComparison.OrdinalIgnoreCase))?.Value ?? "";
            return (id ?? "", Value("prefix"), Value("suffix"));
        }

        return new NotificationRouting(
            (stored.QueueConfigurations ?? []).Select(q => Rule(q.Id, q.Filter))
                .Concat((stored.TopicConfigurations ?? []).Select(t => Rule(t.Id, t.Filter)))
                .ToList(),
            stored.EventBridgeConfiguration is null ? null : layout);
    }

    /// <summary>Why no rule sends an ObjectCreated event for <paramref name="key"/> on, or null when one does.</summary>
    public string? ReasonNotRouted(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (rules.Any(r => key.StartsWith(r.Prefix, StringComparison.Ordinal) && key.EndsWith(r.Suffix, StringComparison.Ordinal)))
        {
            return null;
        }

        if (eventBridge is { } layout)
        {
            if (layout.UploadPrefix.Length > 0)
            {
                return key.StartsWith(layout.UploadPrefix, StringComparison.Ordinal) ? null : $"the EventBridge rules match only keys under '{layout.UploadPrefix}'";
            }

            return layout.FunctionImageSuffixes.Any(s => key.EndsWith(s, StringComparison.OrdinalIgnoreCase))
                ? null
                : $"the EventBridge rules match only the extensions {string.Join(", ", layout.FunctionImageSuffixes)} (any case)";
        }

        return rules.Count == 0
            ? "the source bucket has no notification rule"
            : "no notification rule matches the key (S3 filters are case-sensitive; rules: "
                + string.Join("; ", rules.Select(r => $"{r.Id}: prefix '{r.Prefix}'" + (r.Suffix.Length > 0 ? $", suffix '{r.Suffix}'" : ""))) + ")";
    }
}
