using Amazon.Runtime;
using Amazon.S3;
using ImagePattern.Tool.Local;
using ImagePattern.Tool.Sqs;

namespace ImagePattern.Tool.Operations;

/// <summary>
/// Where backfill and redrive act: the running local stack (its <c>.local/session.json</c> names endpoints, bucket
/// and queues), or AWS as the standard environment describes it — credentials and region from the default chain,
/// endpoints overridable with <c>AWS_ENDPOINT_URL_S3</c> / <c>AWS_ENDPOINT_URL_SQS</c>.
/// </summary>
internal sealed class OperationsTarget : IDisposable
{
    private OperationsTarget(IAmazonS3 s3, SqsClient sqs, string region, LocalSession? session)
    {
        S3 = s3;
        Sqs = sqs;
        Region = region;
        Session = session;
    }

    public IAmazonS3 S3 { get; }

    public SqsClient Sqs { get; }

    public string Region { get; }

    /// <summary>The local session, when acting on the local stack; it supplies defaults for bucket and queues.</summary>
    public LocalSession? Session { get; }

    public string Describe => Session is null ? $"AWS ({Region})" : $"the local stack ({Session.Sqs})";

    public static async Task<OperationsTarget> LocalAsync()
    {
        var session = await LocalSession.LoadAsync(LocalSession.PathIn(RepositoryRoot.Find()));
        return new OperationsTarget(
            session.Endpoints.CreateS3Client(),
            new SqsClient(session.Endpoints.Sqs, session.Region, LocalEndpoints.Credentials),
            session.Region,
            session);
    }

    public static OperationsTarget FromEnvironment()
    {
        var sqs = SqsClient.FromEnvironment();
        var region = Environment.GetEnvironmentVariable("AWS_REGION")
            ?? Environment.GetEnvironmentVariable("AWS_DEFAULT_REGION")
            ?? FallbackRegionFactory.GetRegionEndpoint()?.SystemName
            ?? throw new InvalidOperationException("No AWS region: set AWS_REGION.");
        // The default client, exactly as the function builds it: it honours AWS_ENDPOINT_URL_S3 and the credential chain.
        var s3 = new AmazonS3Client();
        return new OperationsTarget(s3, sqs, region, null);
    }

    public void Dispose()
    {
        S3.Dispose();
        Sqs.Dispose();
    }
}
