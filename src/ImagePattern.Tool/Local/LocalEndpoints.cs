using Amazon.DynamoDBv2;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.SQS;

namespace ImagePattern.Tool.Local;

/// <summary>Where the local stack listens, and clients bound to it.</summary>
/// <param name="S3">S3 endpoint, e.g. <c>http://127.0.0.1:4566</c>.</param>
/// <param name="Sqs">SQS endpoint (same process as S3).</param>
/// <param name="DynamoDb">DynamoDB endpoint.</param>
/// <param name="Region">Region the emulators report.</param>
public sealed record LocalEndpoints(Uri S3, Uri Sqs, Uri DynamoDb, string Region)
{
    /// <summary>The emulators accept any credentials; these are never real.</summary>
    public static AWSCredentials Credentials { get; } = new BasicAWSCredentials("local", "local");

    /// <summary>An S3 client for the stack. 127.0.0.1 (not localhost) with path-style addressing.</summary>
    public AmazonS3Client CreateS3Client() => new(Credentials, new AmazonS3Config
    {
        ServiceURL = S3.ToString(),
        ForcePathStyle = true,
        AuthenticationRegion = Region,
    });

    /// <summary>A DynamoDB client for the stack.</summary>
    public AmazonDynamoDBClient CreateDynamoDbClient() => new(Credentials, new AmazonDynamoDBConfig
    {
        ServiceURL = DynamoDb.ToString(),
        AuthenticationRegion = Region,
    });

    /// <summary>An SQS client for the stack (the SDK's JSON protocol, which fauxqs speaks).</summary>
    /// <param name="maxErrorRetry">Retries the SDK makes itself; null keeps its default.</param>
    public AmazonSQSClient CreateSqsClient(int? maxErrorRetry = null)
    {
        var config = new AmazonSQSConfig { ServiceURL = Sqs.ToString(), AuthenticationRegion = Region };
        if (maxErrorRetry is { } retries)
        {
            config.MaxErrorRetry = retries;
        }

        return new AmazonSQSClient(Credentials, config);
    }

    /// <summary>
    /// The variables that point unmodified AWS SDK clients at the stack (what a process hosting the function sets).
    /// </summary>
    public IReadOnlyDictionary<string, string> EnvironmentVariables => new Dictionary<string, string>
    {
        ["AWS_ACCESS_KEY_ID"] = "local",
        ["AWS_SECRET_ACCESS_KEY"] = "local",
        ["AWS_REGION"] = Region,
        ["AWS_ENDPOINT_URL_S3"] = S3.ToString().TrimEnd('/'),
        ["AWS_ENDPOINT_URL_SQS"] = Sqs.ToString().TrimEnd('/'),
        ["AWS_ENDPOINT_URL_DYNAMODB"] = DynamoDb.ToString().TrimEnd('/'),
    };
}
