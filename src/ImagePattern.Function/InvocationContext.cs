namespace ImagePattern.Function;

/// <summary>
/// What the Lambda runtime says about one invocation, handed from the Runtime API loop to the handler (as
/// <c>ILambdaContext</c> is in Amazon.Lambda.Core) and put on every log line of it as Powertools names the fields.
/// </summary>
/// <param name="RequestId">The <c>Lambda-Runtime-Aws-Request-Id</c> header (<c>function_request_id</c> in the logs).</param>
/// <param name="Deadline">The <c>Lambda-Runtime-Deadline-Ms</c> header: when Lambda stops the invocation; leases last until then.</param>
/// <param name="TraceId">The <c>Lambda-Runtime-Trace-Id</c> header (X-Ray trace header, <c>xray_trace_id</c>), or null.</param>
/// <param name="InvokedFunctionArn">The <c>Lambda-Runtime-Invoked-Function-Arn</c> header (<c>function_arn</c>), or null.</param>
/// <param name="ColdStart">True for the first invocation of this execution environment (<c>cold_start</c>).</param>
/// <param name="FunctionName"><c>AWS_LAMBDA_FUNCTION_NAME</c> (<c>function_name</c>), or null outside Lambda.</param>
public sealed record InvocationContext(
    string RequestId,
    DateTimeOffset Deadline,
    string? TraceId,
    string? InvokedFunctionArn,
    bool ColdStart,
    string? FunctionName)
{
    /// <summary>
    /// An invocation not given by a Runtime API (in-process hosts: the local poller, tests, the bench): a fresh
    /// request id, no trace, not a cold start.
    /// </summary>
    public static InvocationContext Local(DateTimeOffset deadline) =>
        new(Guid.NewGuid().ToString(), deadline, null, null, ColdStart: false, FunctionName: null);

    /// <summary>The log fields of this invocation, for a logging scope; absent values are left out.</summary>
    public IReadOnlyList<KeyValuePair<string, object?>> LogFields()
    {
        var fields = new List<KeyValuePair<string, object?>>(5) { new("cold_start", ColdStart) };
        Add(fields, "function_name", FunctionName);
        Add(fields, "function_arn", InvokedFunctionArn);
        Add(fields, "function_request_id", RequestId);
        Add(fields, "xray_trace_id", TraceId);
        return fields;
    }

    private static void Add(List<KeyValuePair<string, object?>> fields, string name, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            fields.Add(new(name, value));
        }
    }
}
