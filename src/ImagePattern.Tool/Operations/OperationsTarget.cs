using Amazon.Runtime;
using Amazon.S3;
using Amazon.SQS;
using ImagePattern.Tool.Local;

namespace ImagePattern.Tool.Operations;

/// <summary>
/// Where backfill and redrive act: the running local stack (its <c>.local/session.json</c> names endpoints, bucket
/// and queues), or AWS as the standard environment describes it — credentials and region from the default chain,
/// endpoints overridable with <c>AWS_ENDPOINT_URL_S3</c> / <c>AWS_ENDPOINT_URL_SQS</c>. The SQS client makes no
/// retries of its own: <see cref="SqsRetry"/> owns them, for whole calls and single batch entries alike.
/// </summary>
internal sealed class OperationsTarget : IDisposable
{
    private OperationsTarget(IAmazonS3 s3, IAmazonSQS sqs, string region, LocalSession? session)
    {
        S3 = s3;
        Sqs = sqs;
        Region = region;
        Session = session;
    }

    public IAmazonS3 S3 { get; }

    public IAmazonSQS Sqs { get; }

    public string Region { get; }

    /// <summary>The local session, when acting on the local stack; it supplies defaults for bucket and queues.</summary>
    public LocalSession? Session { get; }

    public string Describe => Session is null ? $"AWS ({Region})" : $"the local stack ({Session.Sqs})";

    public static async Task<OperationsTarget> LocalAsync()
    {
        var session = await LocalSession.LoadAsync(LocalSession.PathIn(RepositoryRoot.Find()));
        return new OperationsTarget(session.Endpoints.CreateS3Client(), session.Endpoints.CreateSqsClient(maxErrorRetry: 0), session.Region, session);
    }

    public static OperationsTarget FromEnvironment()
    {
        var region = Environment.GetEnvironmentVariable("AWS_REGION")
            ?? Environment.GetEnvironmentVariable("AWS_DEFAULT_REGION")
            ?? FallbackRegionFactory.GetRegionEndpoint()?.SystemName
            ?? throw new UserErrorException("No AWS region: set AWS_REGION (or use the running local stack without QUEUE_URL/DLQ_URL).");
        // Default clients, exactly as the function builds them: they honour AWS_ENDPOINT_URL_* and the credential chain.
        return new OperationsTarget(new AmazonS3Client(), new AmazonSQSClient(new AmazonSQSConfig { MaxErrorRetry = 0 }), region, null);
    }

    public void Dispose()
    {
        S3.Dispose();
        Sqs.Dispose();
    }
}
