namespace ImagePattern.Function.Events;

/// <summary>An uploaded object a notification points at, key already decoded.</summary>
/// <param name="Bucket">Source bucket name.</param>
/// <param name="Key">Decoded object key.</param>
/// <param name="Size">Size in bytes as the event reports it.</param>
/// <param name="ETag">Entity tag without quotes.</param>
/// <param name="VersionId">Version id, when the bucket is versioned.</param>
/// <param name="EventTime">When S3 finished the upload.</param>
/// <param name="EventName">For example <c>ObjectCreated:Put</c>.</param>
public sealed record SourceObject(
    string Bucket,
    string Key,
    long Size,
    string ETag,
    string? VersionId,
    DateTimeOffset? EventTime,
    string EventName)
{
    /// <summary>The version part of the task identity: the version id when there is one, else the ETag.</summary>
    public string Revision => string.IsNullOrEmpty(VersionId) ? ETag : VersionId;
}
