namespace ImagePattern.Function.Observability;

/// <summary>What the Lambda runtime tells a function about itself through the environment.</summary>
internal static class LambdaEnvironment
{
    private static int invocations;

    public static string? FunctionName { get; } = Environment.GetEnvironmentVariable("AWS_LAMBDA_FUNCTION_NAME");

    /// <summary>The runtime sets this per invocation, so it is read each time.</summary>
    public static string? TraceId => Environment.GetEnvironmentVariable("_X_AMZN_TRACE_ID");

    /// <summary>True until the first invocation of this execution environment has finished.</summary>
    public static bool ColdStart => Volatile.Read(ref invocations) == 0;

    public static void InvocationFinished() => Interlocked.Increment(ref invocations);
}
