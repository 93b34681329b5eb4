using Amazon.Runtime;
using Amazon.S3;
using ImagePattern.Function.Events;
using ImagePattern.Function.Storage;
using ImagePattern.Function.Tests.Support;

namespace ImagePattern.Function.Tests.Storage;

/// <summary>
/// The read path at the store boundary. The local S3 emulator has no versioning (it ignores <c>versionId</c>), so the
/// request for a version is checked against a recording HTTP listener instead: the real SDK, a real socket.
/// </summary>
public sealed class S3ObjectStoreTests
{
    private static readonly byte[] Data = [0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3, 4];

    // The SDK checks a single-part object's body against its ETag (an MD5), so the fake must tell the truth.
#pragma warning disable CA5351 // S3 defines this ETag as the body's MD5: an integrity check, not security.
    private static readonly string ETag = Convert.ToHexStringLower(System.Security.Cryptography.MD5.HashData(Data));
#pragma warning restore CA5351

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static S3ObjectStore StoreFor(RecordingS3Endpoint endpoint) =>
        new(new AmazonS3Client(new BasicAWSCredentials("test", "test"), new AmazonS3Config
        {
            ServiceURL = endpoint.Url.ToString(),
            ForcePathStyle = true,
            AuthenticationRegion = "us-east-1",
            MaxErrorRetry = 0,
        }));

    private static SourceObject Source(string? versionId) =>
        new("photos-in", "evt/good.Jpg", Data.Length, ETag, versionId, null, "ObjectCreated:Put");

    [Fact]
    public async Task Read_RecordWithVersionId_AsksForThatVersion()
    {
        using var endpoint = RecordingS3Endpoint.Object(Data, ETag);

        var read = await StoreFor(endpoint).ReadAsync(Source("3HL4kqtJvjVBH40Nrjfkd"), 1_000_000, Ct);

        Assert.Equal(Data, Assert.IsType<SourceRead.Found>(read).Data.ToArray());
        var request = Assert.Single(endpoint.Requests);
        Assert.Equal("GET", request.Method);
        Assert.Equal("/photos-in/evt/good.Jpg", request.Path);
        Assert.Contains("versionId=3HL4kqtJvjVBH40Nrjfkd", request.Query, StringComparison.Ordinal);
        // The version pins the revision; an ETag condition would be redundant.
        Assert.False(request.Headers.ContainsKey("If-Match"));
    }

    [Fact]
    public async Task Read_RecordWithoutVersionId_PinsTheRevisionByETag()
    {
        using var endpoint = RecordingS3Endpoint.Object(Data, ETag);

        await StoreFor(endpoint).ReadAsync(Source(null), 1_000_000, Ct);

        var request = Assert.Single(endpoint.Requests);
        Assert.DoesNotContain("versionId", request.Query, StringComparison.Ordinal);
        Assert.Equal($"\"{ETag}\"", request.Headers["If-Match"]);
    }

    [Fact]
    public async Task Read_VersionGone_IsAPermanentOutcome()
    {
        using var endpoint = RecordingS3Endpoint.Error(404, "NoSuchVersion");

        var read = await StoreFor(endpoint).ReadAsync(Source("3HL4kqtJvjVBH40Nrjfkd"), 1_000_000, Ct);

        Assert.Contains("NoSuchVersion", Assert.IsType<SourceRead.Unavailable>(read).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Read_VersionReadDenied_IsThrownSoThePipelineRetries()
    {
        // What a role without s3:GetObjectVersion gets: transient to the pipeline, so it ends in the DLQ, not FAILED.
        using var endpoint = RecordingS3Endpoint.Error(403, "AccessDenied");

        var ex = await Assert.ThrowsAsync<AmazonS3Exception>(() => StoreFor(endpoint).ReadAsync(Source("3HL4kqtJvjVBH40Nrjfkd"), 1_000_000, Ct));

        Assert.Equal("AccessDenied", ex.ErrorCode);
    }

    [Theory]
    [InlineData("GLACIER")]
    [InlineData("DEEP_ARCHIVE")]
    public async Task Read_ArchivedObject_IsAPermanentOutcomeThatNamesTheStorageClassAndTheWayOut(string storageClass)
    {
        // As S3 answers GetObject on an object that was PUT straight into an archive class (or moved there by a 0-day rule).
        using var endpoint = RecordingS3Endpoint.Error(
            403, "InvalidObjectState", "The operation is not valid for the object's storage class", $"<StorageClass>{storageClass}</StorageClass>");

        var read = await StoreFor(endpoint).ReadAsync(Source(null), 1_000_000, Ct);

        var reason = Assert.IsType<SourceRead.Unavailable>(read).Reason;
        Assert.Contains($"the {storageClass} storage class", reason, StringComparison.Ordinal);
        Assert.Contains("restore", reason, StringComparison.Ordinal);
        Assert.Contains("make backfill", reason, StringComparison.Ordinal);
        Assert.Single(endpoint.Requests);
    }

    [Fact]
    public async Task Read_IntelligentTieringArchiveTier_NamesTheTier()
    {
        using var endpoint = RecordingS3Endpoint.Error(
            403, "InvalidObjectState", "The operation is not valid for the object's access tier",
            "<StorageClass>INTELLIGENT_TIERING</StorageClass><AccessTier>DEEP_ARCHIVE_ACCESS</AccessTier>");

        var read = await StoreFor(endpoint).ReadAsync(Source(null), 1_000_000, Ct);

        Assert.Contains("INTELLIGENT_TIERING storage class, DEEP_ARCHIVE_ACCESS tier", Assert.IsType<SourceRead.Unavailable>(read).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Read_VersionIsADeleteMarker_IsAPermanentOutcome()
    {
        using var endpoint = RecordingS3Endpoint.Error(
            405, "MethodNotAllowed", "The specified method is not allowed against this resource.", headers: new Dictionary<string, string> { ["x-amz-delete-marker"] = "true" });

        var read = await StoreFor(endpoint).ReadAsync(Source("3HL4kqtJvjVBH40Nrjfkd"), 1_000_000, Ct);

        Assert.Contains("delete marker", Assert.IsType<SourceRead.Unavailable>(read).Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("InvalidRequest", "The object was stored using a form of Server Side Encryption. The correct parameters must be provided to retrieve the object.")]
    [InlineData("InvalidArgument", "Invalid version id specified")]
    public async Task Read_RequestS3AlwaysRefuses_IsAPermanentOutcome(string code, string message)
    {
        using var endpoint = RecordingS3Endpoint.Error(400, code, message);

        var read = await StoreFor(endpoint).ReadAsync(Source("3HL4kqtJvjVBH40Nrjfkd"), 1_000_000, Ct);

        Assert.Contains(code, Assert.IsType<SourceRead.Unavailable>(read).Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(400, "RequestTimeout")]
    [InlineData(403, "RequestTimeTooSkewed")]
    [InlineData(503, "SlowDown")]
    public async Task Read_AnswerThatMayChange_IsThrownSoThePipelineRetries(int status, string code)
    {
        using var endpoint = RecordingS3Endpoint.Error(status, code);

        var ex = await Assert.ThrowsAnyAsync<AmazonServiceException>(() => StoreFor(endpoint).ReadAsync(Source(null), 1_000_000, Ct));

        Assert.Equal(code, ex.ErrorCode);
    }
}
