namespace ImagePattern.Function.Observability;

/// <summary>What the Lambda runtime tells a function about itself: the environment, and the invocation under way.</summary>
internal static class LambdaEnvironment
{
    /// <summary>The variable X-Ray-aware clients (the AWS SDK among them) read the trace header from.</summary>
    private const string TraceIdVariable = "_X_AMZN_TRACE_ID";

    private static int invocations;
    private static string? requestId;

    public static string? FunctionName { get; } = Environment.GetEnvironmentVariable("AWS_LAMBDA_FUNCTION_NAME");

    /// <summary>The request id of the invocation under way (<c>function_request_id</c> in the logs), or null between invocations.</summary>
    public static string? RequestId => Volatile.Read(ref requestId);

    /// <summary>The X-Ray trace header of the invocation under way, set per invocation.</summary>
    public static string? TraceId => Environment.GetEnvironmentVariable(TraceIdVariable);

    /// <summary>True until the first invocation of this execution environment has finished.</summary>
    public static bool ColdStart => Volatile.Read(ref invocations) == 0;

    /// <summary>Called by the Runtime API loop before the handler runs: one invocation at a time per environment.</summary>
    public static void InvocationStarted(string id, string? traceId)
    {
        Volatile.Write(ref requestId, id);
        Environment.SetEnvironmentVariable(TraceIdVariable, traceId);
    }

    /// <summary>Called by the Runtime API loop once the invocation's answer is sent.</summary>
    public static void InvocationEnded() => Volatile.Write(ref requestId, null);

    public static void InvocationFinished() => Interlocked.Increment(ref invocations);
}
