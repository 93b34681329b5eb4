using System.Net;
using System.Runtime.CompilerServices;
using Amazon.S3;
using Amazon.S3.Model;

namespace ImagePattern.Tool.Operations;

/// <summary>What to list: a prefix, an optional lower bound on LastModified, and the key suffixes that notify.</summary>
/// <param name="Bucket">Source bucket.</param>
/// <param name="Prefix">Only keys under this prefix (empty: all).</param>
/// <param name="Since">Only objects written at or after this time; null for all.</param>
/// <param name="Suffixes">Only keys ending with one of these (case-sensitive, as S3 filters are); empty for all.</param>
internal sealed record ListingFilter(string Bucket, string Prefix, DateTimeOffset? Since, IReadOnlyList<string> Suffixes)
{
    public bool Matches(string key, DateTimeOffset lastModified) =>
        key.StartsWith(Prefix, StringComparison.Ordinal)
        && (Since is null || lastModified >= Since)
        && (Suffixes.Count == 0 || Suffixes.Any(s => key.EndsWith(s, StringComparison.Ordinal)));
}

/// <summary>
/// Lists the current objects of a bucket page by page. In a versioned bucket S3's notifications carry the version
/// id, which is part of the task id, so the current versions are listed with theirs; otherwise ListObjectsV2.
/// </summary>
internal sealed class ObjectLister(IAmazonS3 s3)
{
    /// <summary>How many objects were listed before filtering, for the summary.</summary>
    public long Scanned { get; private set; }

    /// <summary>Whether the bucket turned out to be versioned.</summary>
    public bool Versioned { get; private set; }

    public async IAsyncEnumerable<IReadOnlyList<ListedObject>> ListAsync(ListingFilter filter, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        Versioned = await IsVersionedAsync(filter.Bucket, cancellationToken);
        var pages = Versioned ? ListVersionsAsync(filter, cancellationToken) : ListCurrentAsync(filter, cancellationToken);
        await foreach (var page in pages)
        {
            Scanned += page.Count;
            var matching = page.Where(o => filter.Matches(o.Key, o.LastModified)).ToList();
            if (matching.Count > 0)
            {
                yield return matching;
            }
        }
    }

    private async Task<bool> IsVersionedAsync(string bucket, CancellationToken cancellationToken)
    {
        try
        {
            var versioning = await s3.GetBucketVersioningAsync(new GetBucketVersioningRequest { BucketName = bucket }, cancellationToken);
            var status = versioning.VersioningConfig?.Status;
            return status == VersionStatus.Enabled || status == VersionStatus.Suspended;
        }
        catch (AmazonS3Exception ex) when (ex.StatusCode == HttpStatusCode.NotImplemented || ex.ErrorCode == "NotImplemented")
        {
            // The local emulator has no versioning.
            return false;
        }
        catch (AmazonS3Exception ex) when (ex.StatusCode == HttpStatusCode.Forbidden)
        {
            // Guessing would be worse than stopping: in a versioned bucket, records without version ids name other tasks
            // than S3's own notifications did, and every object would be processed again.
            throw new UserErrorException(
                $"Cannot tell whether s3://{bucket} is versioned ({ex.ErrorCode}): backfill needs s3:GetBucketVersioning on the bucket.");
        }
    }

    private async IAsyncEnumerable<IReadOnlyList<ListedObject>> ListCurrentAsync(ListingFilter filter, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string? token = null;
        do
        {
            var page = await s3.ListObjectsV2Async(
                new ListObjectsV2Request { BucketName = filter.Bucket, Prefix = filter.Prefix, ContinuationToken = token },
                cancellationToken);
            yield return (page.S3Objects ?? [])
                .Select(o => new ListedObject(o.Key, o.Size ?? 0, o.ETag ?? "", null, ToOffset(o.LastModified)))
                .ToList();
            token = page.IsTruncated == true ? page.NextContinuationToken : null;
        }
        while (token is not null);
    }

    private async IAsyncEnumerable<IReadOnlyList<ListedObject>> ListVersionsAsync(ListingFilter filter, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string? keyMarker = null;
        string? versionMarker = null;
        do
        {
            var page = await s3.ListVersionsAsync(
                new ListVersionsRequest { BucketName = filter.Bucket, Prefix = filter.Prefix, KeyMarker = keyMarker, VersionIdMarker = versionMarker },
                cancellationToken);
            yield return (page.Versions ?? [])
                .Where(v => v.IsLatest == true && v.IsDeleteMarker != true)
                .Select(v => new ListedObject(v.Key, v.Size ?? 0, v.ETag ?? "", v.VersionId, ToOffset(v.LastModified)))
                .ToList();
            var more = page.IsTruncated == true;
            keyMarker = more ? page.NextKeyMarker : null;
            versionMarker = more ? page.NextVersionIdMarker : null;
        }
        while (keyMarker is not null);
    }

    private static DateTimeOffset ToOffset(DateTime? time) =>
        time is { } t ? new DateTimeOffset(t.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(t, DateTimeKind.Utc) : t.ToUniversalTime()) : DateTimeOffset.MinValue;
}
