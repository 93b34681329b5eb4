using ImagePattern.Function.Events;

namespace ImagePattern.Function.Storage;

/// <summary>What reading a source object gave: its bytes, or a permanent reason there are none.</summary>
public abstract record SourceRead
{
    private SourceRead()
    {
    }

    /// <summary>The object's bytes; <paramref name="Release"/>, when set, hands a pooled buffer back once the bytes are no longer needed.</summary>
    public sealed record Found(ReadOnlyMemory<byte> Data, Action? Release = null) : SourceRead;

    /// <summary>A permanent outcome: the object is gone, too large, replaced after the notification, archived, or a read S3 always refuses.</summary>
    public sealed record Unavailable(string Reason) : SourceRead;
}

/// <summary>
/// The object storage port. Permanent outcomes are return values; anything thrown (throttling, 5xx, timeouts,
/// access denied) is treated as transient by the pipeline: retried, and after <c>maxReceiveCount</c> sent to the DLQ.
/// </summary>
public interface IObjectStore
{
    /// <summary>Reads the exact revision the notification names, refusing more than <paramref name="maxBytes"/>.</summary>
    Task<SourceRead> ReadAsync(SourceObject source, long maxBytes, CancellationToken cancellationToken);

    /// <summary>Writes one object. Keys are deterministic, so a repeated write stores the same bytes.</summary>
    Task WriteAsync(StoredObject item, CancellationToken cancellationToken);
}

/// <summary>An object to write.</summary>
/// <param name="Bucket">Target bucket.</param>
/// <param name="Key">Target key.</param>
/// <param name="Data">Bytes.</param>
/// <param name="ContentType">MIME type.</param>
/// <param name="Metadata">User metadata (ASCII values).</param>
public sealed record StoredObject(string Bucket, string Key, byte[] Data, string ContentType, IReadOnlyDictionary<string, string> Metadata);
