using System.Collections.Concurrent;
using System.Net;
using Amazon.S3;
using ImagePattern.Function.Events;
using ImagePattern.Function.Storage;

namespace ImagePattern.Function.Tests.Support;

/// <summary>
/// The real store with a count of writes and, on demand, S3's 503 SlowDown on writes: a fault the emulator cannot
/// produce by itself.
/// </summary>
internal sealed class FaultyStore(IObjectStore inner) : IObjectStore
{
    public ConcurrentQueue<StoredObject> Writes { get; } = new();

    public ConcurrentQueue<SourceObject> Reads { get; } = new();

    public int FailingWrites { get; set; }

    public Task<SourceRead> ReadAsync(SourceObject source, long maxBytes, CancellationToken cancellationToken)
    {
        Reads.Enqueue(source);
        return inner.ReadAsync(source, maxBytes, cancellationToken);
    }

    public async Task WriteAsync(StoredObject item, CancellationToken cancellationToken)
    {
        if (FailingWrites > 0)
        {
            FailingWrites--;
            throw new AmazonS3Exception("Please reduce your request rate.") { StatusCode = HttpStatusCode.ServiceUnavailable, ErrorCode = "SlowDown" };
        }

        await inner.WriteAsync(item, cancellationToken);
        Writes.Enqueue(item);
    }
}
