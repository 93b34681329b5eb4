using System.Collections.Concurrent;
using System.Net;
using Amazon.S3;
using ImagePattern.Function.Events;
using ImagePattern.Function.Storage;

namespace ImagePattern.Tool.Tests.Drills.Support;

/// <summary>
/// The function's real S3 store, counting every successful thumbnail write and able to deny writes the way an
/// output bucket policy would (403 AccessDenied) — a switch the emulator does not have.
/// </summary>
public sealed class DrillStore(IObjectStore inner) : IObjectStore
{
    private long denied;

    public ConcurrentQueue<StoredObject> Writes { get; } = new();

    private volatile bool denyWrites;

    /// <summary>While true, every write fails as a bucket policy denial would.</summary>
    public bool DenyWrites
    {
        get => denyWrites;
        set => denyWrites = value;
    }

    public long Denied => Interlocked.Read(ref denied);

    public Task<SourceRead> ReadAsync(SourceObject source, long maxBytes, CancellationToken cancellationToken) =>
        inner.ReadAsync(source, maxBytes, cancellationToken);

    public async Task WriteAsync(StoredObject item, CancellationToken cancellationToken)
    {
        if (DenyWrites)
        {
            Interlocked.Increment(ref denied);
            throw new AmazonS3Exception("Access Denied") { StatusCode = HttpStatusCode.Forbidden, ErrorCode = "AccessDenied" };
        }

        await inner.WriteAsync(item, cancellationToken);
        Writes.Enqueue(item);
    }
}
