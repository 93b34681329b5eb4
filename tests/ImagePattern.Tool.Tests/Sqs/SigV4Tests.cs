using System.Net.Http.Headers;
using Amazon.Runtime;
using ImagePattern.Tool.Sqs;

namespace ImagePattern.Tool.Tests.Sqs;

/// <summary>The emulators do not check signatures, so the signer is held to AWS's published test vector instead.</summary>
public sealed class SigV4Tests
{
    [Fact]
    public void Sign_PostFormUrlEncodedVector_MatchesAwsTestSuite()
    {
        var body = "Param1=value1"u8.ToArray();
        using var request = new HttpRequestMessage(HttpMethod.Post, "https://example.amazonaws.com/");
        request.Content = new ByteArrayContent(body);
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-www-form-urlencoded");
        var credentials = new ImmutableCredentials("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", null);

        SigV4.Sign(request, body, credentials, "us-east-1", "service", new DateTime(2015, 8, 30, 12, 36, 0, DateTimeKind.Utc));

        Assert.Equal("20150830T123600Z", Assert.Single(request.Headers.GetValues("X-Amz-Date")));
        Assert.Equal(
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a",
            Assert.Single(request.Headers.GetValues("Authorization")));
    }

    [Fact]
    public void Sign_WithSessionToken_SignsAndSendsTheToken()
    {
        var body = "{}"u8.ToArray();
        using var request = new HttpRequestMessage(HttpMethod.Post, "http://127.0.0.1:4566/");
        request.Content = new ByteArrayContent(body);
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-amz-json-1.0");
        request.Headers.TryAddWithoutValidation("X-Amz-Target", "AmazonSQS.ListQueues");

        SigV4.Sign(request, body, new ImmutableCredentials("AKID", "secret", "token-123"), "eu-west-1", "sqs", DateTime.UtcNow);

        Assert.Equal("token-123", Assert.Single(request.Headers.GetValues("X-Amz-Security-Token")));
        Assert.Contains("SignedHeaders=content-type;host;x-amz-date;x-amz-security-token;x-amz-target,", Assert.Single(request.Headers.GetValues("Authorization")), StringComparison.Ordinal);
    }
}
