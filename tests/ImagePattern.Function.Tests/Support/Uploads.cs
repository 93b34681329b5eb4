using Amazon.S3;
using Amazon.S3.Model;
using ImagePattern.Function.Events;

namespace ImagePattern.Function.Tests.Support;

/// <summary>Puts test objects into the local S3 and names them as a notification of the upload would.</summary>
internal static class Uploads
{
    /// <summary>
    /// Writes <paramref name="data"/> to <paramref name="bucket"/>/<paramref name="key"/>; returns the object with the
    /// ETag S3 answered (without its quotes) and the size in bytes, as an <c>ObjectCreated:Put</c> record carries them.
    /// </summary>
    public static async Task<SourceObject> PutAsync(IAmazonS3 s3, string bucket, string key, byte[] data, CancellationToken cancellationToken)
    {
        using var body = new MemoryStream(data);
        var put = await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = key, InputStream = body }, cancellationToken);
        return new SourceObject(bucket, key, data.Length, put.ETag.Trim('"'), null, null, "ObjectCreated:Put");
    }
}
