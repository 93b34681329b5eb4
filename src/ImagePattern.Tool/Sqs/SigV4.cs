using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Amazon.Runtime;
using Amazon.Runtime.Internal.Auth;

namespace ImagePattern.Tool.Sqs;

/// <summary>
/// Signs JSON-protocol requests with Signature Version 4. The canonical request is built here (a POST to <c>/</c>
/// is simple); the key derivation and signature come from AWSSDK.Core's signer, so nothing cryptographic is ours.
/// </summary>
internal static class SigV4
{
    public static void Sign(HttpRequestMessage request, byte[] body, ImmutableCredentials credentials, string region, string service, DateTime utcNow)
    {
        var host = request.RequestUri!.IsDefaultPort ? request.RequestUri.Host : $"{request.RequestUri.Host}:{request.RequestUri.Port}";
        var amzDate = utcNow.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        var payloadHash = Convert.ToHexStringLower(SHA256.HashData(body));

        var headers = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["content-type"] = request.Content!.Headers.ContentType!.ToString(),
            ["host"] = host,
            ["x-amz-date"] = amzDate,
        };
        foreach (var header in request.Headers.Where(h => h.Key.StartsWith("X-Amz-", StringComparison.OrdinalIgnoreCase)))
        {
            headers[header.Key.ToLowerInvariant()] = string.Join(',', header.Value).Trim();
        }

        if (credentials.UseToken)
        {
            headers["x-amz-security-token"] = credentials.Token;
            request.Headers.TryAddWithoutValidation("X-Amz-Security-Token", credentials.Token);
        }

        var signedHeaders = string.Join(';', headers.Keys);
        var canonical = new StringBuilder()
            .Append("POST\n")
            .Append(request.RequestUri.AbsolutePath).Append('\n')
            .Append('\n');
        foreach (var (name, value) in headers)
        {
            canonical.Append(name).Append(':').Append(value).Append('\n');
        }

        canonical.Append('\n').Append(signedHeaders).Append('\n').Append(payloadHash);

        var result = AWS4Signer.ComputeSignature(credentials, region, utcNow, service, signedHeaders, canonical.ToString());
        request.Headers.TryAddWithoutValidation("X-Amz-Date", amzDate);
        request.Headers.TryAddWithoutValidation("Authorization", result.ForAuthorizationHeader);
    }
}
