using System.Net;
using System.Net.Sockets;
using Amazon.Runtime;

namespace ImagePattern.Tool;

/// <summary>
/// Tells an expected failure, which a user fixes by changing an input, a setting or what is running, from a bug:
/// the first gets one line naming the problem and what to do, the second keeps its stack trace.
/// </summary>
internal static class UserErrors
{
    /// <summary>The one line for an expected failure; null for anything that looks like a bug.</summary>
    public static string? Describe(Exception exception) => exception switch
    {
        UserErrorException user => user.Message,
        // The function's own settings check (IMAGE_ENGINE, THUMBNAIL_SIZES, ...): its message names the variable and the value.
        ImagePattern.Function.Configuration.SettingsException settings => settings.Message,
        // Nothing listens where the session or AWS_ENDPOINT_URL_* points: the stack stopped, or the URL is wrong.
        _ when Find<SocketException>(exception) is { SocketErrorCode: SocketError.ConnectionRefused } refused =>
            $"Cannot connect ({Find<HttpRequestException>(exception)?.Message ?? refused.Message}): is the local stack still running ('make local-up'), or is AWS_ENDPOINT_URL_* right?",
        // The service refused the request as the caller's fault: a wrong name, URL, credential or permission.
        AmazonServiceException { StatusCode: >= HttpStatusCode.BadRequest and < HttpStatusCode.InternalServerError } service =>
            $"AWS refused the request: {service.ErrorCode}: {service.Message}",
        AmazonClientException client when client.Message.Contains("credentials", StringComparison.OrdinalIgnoreCase) =>
            $"{client.Message} Set AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, or run against the local stack.",
        _ => null,
    };

    private static T? Find<T>(Exception? exception)
        where T : Exception
    {
        for (; exception is not null; exception = exception.InnerException)
        {
            if (exception is T found)
            {
                return found;
            }
        }

        return null;
    }
}
