using System.Text.Json.Serialization;

namespace ImagePattern.Function.Runtime;

/// <summary>
/// The error document the Runtime API takes on <c>/init/error</c> and <c>/invocation/{id}/error</c>; Lambda shows
/// <c>errorType</c> and <c>errorMessage</c> to the caller and in the function's error metrics.
/// </summary>
/// <param name="ErrorType">The exception's type name (e.g. <c>SettingsException</c>).</param>
/// <param name="ErrorMessage">The exception's message.</param>
/// <param name="StackTrace">The exception's stack, one frame a line; empty when there is none.</param>
public sealed record RuntimeError(
    [property: JsonPropertyName("errorType")] string ErrorType,
    [property: JsonPropertyName("errorMessage")] string ErrorMessage,
    [property: JsonPropertyName("stackTrace")] IReadOnlyList<string> StackTrace)
{
    /// <summary>The document for <paramref name="exception"/>.</summary>
    public static RuntimeError From(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var frames = (exception.StackTrace ?? "")
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return new RuntimeError(exception.GetType().Name, exception.Message, frames);
    }
}

/// <summary>Source-generated (reflection-free) serialization of the Runtime API's documents.</summary>
[JsonSerializable(typeof(RuntimeError))]
public sealed partial class RuntimeJsonContext : JsonSerializerContext;
