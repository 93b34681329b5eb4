using System.Net;
using Amazon.S3;
using Amazon.S3.Model;

namespace ImagePattern.Function.Storage;

/// <summary>
/// S3 GetObject answers that the same request will always get, so retrying them only walks the message into the
/// DLQ (and a redrive repeats the loop). Each becomes a permanent outcome with a reason that says what to do.
/// </summary>
/// <remarks>
/// Decided from the S3 error reference, for the request this function sends (GET of one key, optionally one version
/// or an ETag condition; no Range, no SSE-C headers):
/// <list type="bullet">
/// <item><c>403 InvalidObjectState</c>: the object is in an archive storage class (<c>GLACIER</c>,
/// <c>DEEP_ARCHIVE</c>, or an Intelligent-Tiering archive tier) — permanent until someone restores it.</item>
/// <item><c>405 MethodNotAllowed</c>: the named version is a delete marker — the object was deleted.</item>
/// <item><c>400 InvalidArgument</c> (e.g. a version id S3 cannot parse) and <c>400 InvalidRequest</c> (e.g. an object
/// encrypted with a customer-provided key, which this function has no key for) — the request itself is refused.</item>
/// </list>
/// Left transient on purpose: <c>403 AccessDenied</c> (a policy or KMS key grant fixes it, then a redrive recovers the
/// messages), <c>400 RequestTimeout</c>, <c>400 ExpiredToken</c>, <c>403 RequestTimeTooSkewed</c>, throttling and 5xx.
/// </remarks>
internal static class PermanentReadError
{
    /// <summary>The permanent reason for <paramref name="error"/>, or null when a retry may succeed.</summary>
    public static string? Reason(AmazonS3Exception error) => error switch
    {
        InvalidObjectStateException archived => Archived(archived.StorageClass?.Value, archived.AccessTier?.Value),
        { ErrorCode: "InvalidObjectState" } => Archived(null, null),
        { StatusCode: HttpStatusCode.MethodNotAllowed } or { ErrorCode: "MethodNotAllowed" } =>
            "the version named by the notification is a delete marker: the object was deleted (MethodNotAllowed)",
        { StatusCode: HttpStatusCode.BadRequest, ErrorCode: "InvalidArgument" or "InvalidRequest" } =>
            $"S3 refuses this read as invalid ({error.ErrorCode}: {error.Message}); an object encrypted with a customer-provided key (SSE-C) cannot be read by the function",
        _ => null,
    };

    private static string Archived(string? storageClass, string? accessTier)
    {
        var where = (storageClass, accessTier) switch
        {
            (null or "", _) => "an archive storage class",
            (_, null or "") => $"the {storageClass} storage class",
            _ => $"the {storageClass} storage class, {accessTier} tier",
        };
        return $"object is archived in {where} and cannot be read (InvalidObjectState): restore it (S3 RestoreObject), "
            + "then delete this task record and run `make backfill` for it";
    }
}
