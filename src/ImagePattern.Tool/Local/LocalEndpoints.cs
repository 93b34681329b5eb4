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

    // The emulators check no signature: the key id only names the caller in their request log (LocalLayout.AccessKeyId).
    private static AWSCredentials CredentialsFor(string? accessKeyId) =>
        accessKeyId is null ? Credentials : new BasicAWSCredentials(accessKeyId, "local");

    /// <summary>An S3 client for the stack. 127.0.0.1 (not localhost) with path-style addressing.</summary>
    /// <param name="accessKeyId">The key id it signs with (<see cref="LocalLayout.AccessKeyId"/>); null: <c>local</c>.</param>
    public AmazonS3Client CreateS3Client(string? accessKeyId = null) => new(CredentialsFor(accessKeyId), new AmazonS3Config
    {
        ServiceURL = S3.ToString(),
        ForcePathStyle = true,
        AuthenticationRegion = Region,
    });

    /// <summary>A DynamoDB client for the stack.</summary>
    /// <param name="accessKeyId">The key id it signs with (<see cref="LocalLayout.AccessKeyId"/>); null: <c>local</c>.</param>
    public AmazonDynamoDBClient CreateDynamoDbClient(string? accessKeyId = null) => new(CredentialsFor(accessKeyId), new AmazonDynamoDBConfig
    {
        ServiceURL = DynamoDb.ToString(),
        AuthenticationRegion = Region,
    });

    /// <summary>An SQS client for the stack (the SDK's JSON protocol, which fauxqs speaks).</summary>
    /// <param name="maxErrorRetry">Retries the SDK makes itself; null keeps its default.</param>
    /// <param name="accessKeyId">The key id it signs with (<see cref="LocalLayout.AccessKeyId"/>); null: <c>local</c>.</param>
    public AmazonSQSClient CreateSqsClient(int? maxErrorRetry = null, string? accessKeyId = null)
    {
        var config = new AmazonSQSConfig { ServiceURL = Sqs.ToString(), AuthenticationRegion = Region };
        if (maxErrorRetry is { } retries)
        {
            config.MaxErrorRetry = retries;
        }

        return new AmazonSQSClient(CredentialsFor(accessKeyId), config);
    }

    /// <summary>
    /// The variables that point unmodified AWS SDK clients at the stack (what a process hosting the function sets).
    /// </summary>
    public IReadOnlyDictionary<string, string> EnvironmentVariables => EnvironmentVariablesFor(null);

    /// <summary><see cref="EnvironmentVariables"/> signing with <paramref name="accessKeyId"/> (<see cref="LocalLayout.AccessKeyId"/>); null: <c>local</c>.</summary>
    public IReadOnlyDictionary<string, string> EnvironmentVariablesFor(string? accessKeyId) => new Dictionary<string, string>
    {
        ["AWS_ACCESS_KEY_ID"] = accessKeyId ?? "local",
        ["AWS_SECRET_ACCESS_KEY"] = "local",
        ["AWS_REGION"] = Region,
        ["AWS_ENDPOINT_URL_S3"] = S3.ToString().TrimEnd('/'),
        ["AWS_ENDPOINT_URL_SQS"] = Sqs.ToString().TrimEnd('/'),
        ["AWS_ENDPOINT_URL_DYNAMODB"] = DynamoDb.ToString().TrimEnd('/'),
    };
}
