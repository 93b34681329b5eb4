using System.Buffers;
using System.Net;
using Amazon.S3;
using Amazon.S3.Model;
using ImagePattern.Function.Events;

namespace ImagePattern.Function.Storage;

/// <summary><see cref="IObjectStore"/> on Amazon S3 (or anything speaking its API).</summary>
public sealed class S3ObjectStore(IAmazonS3 s3) : IObjectStore
{
    // Released source buffers are kept for reuse, at most two: what one image slot has in flight (one decoding, the
    // next one read). Every buffer is rented at the byte limit (up to the pool's largest; a larger object gets an array
    // of its own), so all of them share one size class: renting at each object's size kept two per power-of-two class,
    // and a batch of mixed sizes held several classes' buffers at once (measured: 550 MB where the largest image alone
    // peaked at 406). Only the pages a read writes become resident, so a buffer costs what the largest object read
    // into it holds. Not ArrayPool.Shared, which also keeps one per thread, so every thread-pool thread that ever
    // released a source could hold one.
    private const int LargestPooled = 1 << 30;
    private readonly ArrayPool<byte> buffers = ArrayPool<byte>.Create(LargestPooled, 2);

    /// <inheritdoc />
    public async Task<SourceRead> ReadAsync(SourceObject source, long maxBytes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (source.Size > maxBytes)
        {
            return new SourceRead.Unavailable($"object is {source.Size} bytes, over the limit of {maxBytes}");
        }

        var request = new GetObjectRequest
        {
            BucketName = source.Bucket,
            Key = source.Key,
            VersionId = string.IsNullOrEmpty(source.VersionId) ? null : source.VersionId,
            // Without a version id, the ETag pins the revision the task id names: a later overwrite has its own event.
            EtagToMatch = string.IsNullOrEmpty(source.VersionId) ? $"\"{source.ETag}\"" : null,
        };

        GetObjectResponse response;
        try
        {
            response = await s3.GetObjectAsync(request, cancellationToken);
        }
        catch (AmazonS3Exception ex) when (ex.StatusCode == HttpStatusCode.NotFound || ex.ErrorCode is "NoSuchKey" or "NoSuchVersion")
        {
            return new SourceRead.Unavailable($"object no longer exists ({ex.ErrorCode})");
        }
        catch (AmazonS3Exception ex) when (ex.StatusCode == HttpStatusCode.PreconditionFailed)
        {
            return new SourceRead.Unavailable("object was replaced after the notification; the newer upload has its own task");
        }
        catch (AmazonS3Exception ex) when (PermanentReadError.Reason(ex) is { } reason)
        {
            return new SourceRead.Unavailable(reason);
        }

        using (response)
        {
            var length = response.ContentLength;
            if (length > maxBytes)
            {
                return new SourceRead.Unavailable($"object is {length} bytes, over the limit of {maxBytes}");
            }

            // A pooled buffer: a fresh multi-megabyte array per image costs more in page faults than the decode's
            // shrink-on-load saves (measured ~10 ms per 24 MP JPEG).
            var buffer = buffers.Rent((int)Math.Max(length, Math.Min(maxBytes, LargestPooled)));
            try
            {
                await using var body = response.ResponseStream;
                await body.ReadExactlyAsync(buffer.AsMemory(0, (int)length), cancellationToken);
            }
            catch
            {
                buffers.Return(buffer);
                throw;
            }

            return new SourceRead.Found(buffer.AsMemory(0, (int)length), () => buffers.Return(buffer));
        }
    }

    /// <inheritdoc />
    public async Task WriteAsync(StoredObject item, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(item);
        using var content = new MemoryStream(item.Data, writable: false);
        var request = new PutObjectRequest
        {
            BucketName = item.Bucket,
            Key = item.Key,
            InputStream = content,
            ContentType = item.ContentType,
            AutoCloseStream = false,
        };
        foreach (var (name, value) in item.Metadata)
        {
            request.Metadata[name] = value;
        }

        await s3.PutObjectAsync(request, cancellationToken);
    }
}
