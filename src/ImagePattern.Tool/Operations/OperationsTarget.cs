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

    public static async Task<OperationsTarget> LocalAsync() =>
        Local(await LocalSession.LoadAsync(LocalSession.PathIn(RepositoryRoot.Find())));

    /// <summary>
    /// The running local stack with <paramref name="local"/>, or when one is running and a queue URL given names a
    /// queue on its SQS endpoint (a consumer's queue or DLQ copied from <c>make local-up</c>'s output); null for AWS
    /// (<see cref="FromEnvironment"/>).
    /// </summary>
    public static async Task<OperationsTarget?> LocalForAsync(bool local, params string?[] queueUrls)
    {
        if (local)
        {
            return await LocalAsync();
        }

        var path = LocalSession.PathIn(RepositoryRoot.Find());
        if (File.Exists(path) && queueUrls.Any(url => url is not null))
        {
            try
            {
                var session = await LocalSession.LoadAsync(path);
                if (queueUrls.Any(url => IsOn(session, url)))
                {
                    return Local(session);
                }
            }
            catch (UserErrorException)
            {
                // A session file left by a stopped stack: the URLs are AWS's.
            }
        }

        return null;
    }

    /// <summary>Whether <paramref name="queueUrl"/> is a queue on the SQS endpoint of <paramref name="session"/> (same host and port).</summary>
    public static bool IsOn(LocalSession session, string? queueUrl)
    {
        ArgumentNullException.ThrowIfNull(session);
        return Uri.TryCreate(queueUrl, UriKind.Absolute, out var url)
            && Uri.TryCreate(session.Sqs, UriKind.Absolute, out var sqs)
            && string.Equals(url.Host, sqs.Host, StringComparison.OrdinalIgnoreCase)
            && url.Port == sqs.Port;
    }

    /// <summary>
    /// The consumer of the local stack that <paramref name="name"/> names, or whose DLQ is <paramref name="deadLetterQueueUrl"/>;
    /// null when neither is given or the DLQ is no consumer's.
    /// </summary>
    /// <exception cref="UserErrorException">The stack runs no consumer of that name.</exception>
    public static SessionConsumer? Consumer(LocalSession session, string? name, string? deadLetterQueueUrl = null)
    {
        ArgumentNullException.ThrowIfNull(session);
        var consumers = session.ConsumersOrThumbnails;
        if (name is not null)
        {
            return consumers.FirstOrDefault(c => c.Name == name)
                ?? throw new UserErrorException(
                    $"The local stack runs no consumer '{name}'; it runs {string.Join(", ", consumers.Select(c => c.Name))} " +
                    "(other consumers run with TRIGGER=sns-fanout or TRIGGER=eventbridge).");
        }

        return consumers.FirstOrDefault(c => c.DeadLetterQueueUrl == deadLetterQueueUrl);
    }

    private static OperationsTarget Local(LocalSession session) =>
        new(session.Endpoints.CreateS3Client(), session.Endpoints.CreateSqsClient(maxErrorRetry: 0), session.Region, session);

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
