using System.Diagnostics.CodeAnalysis;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;

namespace ImagePattern.Function.Observability;

/// <summary>Options of <see cref="PowertoolsJsonFormatter"/>.</summary>
public sealed class PowertoolsJsonFormatterOptions : ConsoleFormatterOptions
{
    /// <summary>The <c>service</c> field.</summary>
    public string Service { get; set; } = "imagepattern";

    /// <summary>The clock of the <c>timestamp</c> field.</summary>
    public TimeProvider Clock { get; set; } = TimeProvider.System;
}

/// <summary>
/// One JSON object per line with the field names AWS Lambda Powertools uses (<c>level</c>, <c>message</c>,
/// <c>timestamp</c>, <c>service</c>, <c>cold_start</c>, <c>function_name</c>, <c>function_request_id</c>,
/// <c>xray_trace_id</c>), so log
/// queries written for Powertools functions work here. Scope values become fields: the invocation's
/// (<see cref="InvocationContext.LogFields"/>: <c>cold_start</c>, <c>function_name</c>, <c>function_arn</c>,
/// <c>function_request_id</c>, <c>xray_trace_id</c>) and the pipeline's (<c>message_id</c>, <c>task_id</c>).
/// </summary>
public sealed class PowertoolsJsonFormatter(IOptionsMonitor<PowertoolsJsonFormatterOptions> options)
    : ConsoleFormatter(Name)
{
    /// <summary>The formatter's registration name.</summary>
    public new const string Name = "powertools-json";

    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <inheritdoc />
    public override void Write<TState>(in LogEntry<TState> logEntry, IExternalScopeProvider? scopeProvider, TextWriter textWriter)
    {
        ArgumentNullException.ThrowIfNull(textWriter);
        var message = logEntry.Formatter(logEntry.State, logEntry.Exception);
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(buffer, WriterOptions))
        {
            json.WriteStartObject();
            json.WriteString("level", LevelName(logEntry.LogLevel));
            json.WriteString("message", message);
            json.WriteString("timestamp", options.CurrentValue.Clock.GetUtcNow().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture));
            json.WriteString("service", options.CurrentValue.Service);
            json.WriteString("logger", logEntry.Category);
            scopeProvider?.ForEachScope(static (scope, writer) => WriteFields(scope, writer), json);
            if (logEntry.State is IReadOnlyList<KeyValuePair<string, object?>> state)
            {
                WriteFields(state, json);
            }

            if (logEntry.Exception is { } exception)
            {
                json.WriteString("exception_name", exception.GetType().FullName);
                json.WriteString("exception", exception.ToString());
            }

            json.WriteEndObject();
        }

        textWriter.WriteLine(System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan));
    }

    private static void WriteFields(object? scope, Utf8JsonWriter json)
    {
        if (scope is not IEnumerable<KeyValuePair<string, object?>> pairs)
        {
            return;
        }

        foreach (var (key, value) in pairs)
        {
            // {OriginalFormat} is the message template, already rendered into "message".
            if (key == "{OriginalFormat}" || key is "level" or "message" or "timestamp" or "service")
            {
                continue;
            }

            switch (value)
            {
                case null: json.WriteNull(key); break;
                case bool b: json.WriteBoolean(key, b); break;
                case int i: json.WriteNumber(key, i); break;
                case long l: json.WriteNumber(key, l); break;
                case double d: json.WriteNumber(key, d); break;
                default: json.WriteString(key, Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture)); break;
            }
        }
    }

    private static string LevelName(LogLevel level) => level switch
    {
        LogLevel.Trace => "TRACE",
        LogLevel.Debug => "DEBUG",
        LogLevel.Information => "INFO",
        LogLevel.Warning => "WARN",
        LogLevel.Error => "ERROR",
        LogLevel.Critical => "CRITICAL",
        _ => "NONE",
    };
}

/// <summary>Logging set-up shared by the function and the tooling that hosts it.</summary>
public static class FunctionLogging
{
    /// <summary>A logger factory writing Powertools-style JSON lines to stdout (or stderr).</summary>
    /// <remarks>
    /// Composed from the logging library's own types without a service container: <c>LoggerFactory.Create</c> builds
    /// one and resolves the console provider's open generic services through it, which Native AOT can only do by
    /// constructing those generic types at run time, the largest single cost of the bootstrap's start.
    /// </remarks>
    public static ILoggerFactory CreateFactory(string service, LogLevel minimum, bool standardError = false)
    {
        var formatter = new PowertoolsJsonFormatter(Fixed<PowertoolsJsonFormatterOptions>(o =>
        {
            o.Service = service;
            o.IncludeScopes = true;
        }));
        var console = new ConsoleLoggerProvider(
            Fixed<ConsoleLoggerOptions>(o =>
            {
                o.FormatterName = PowertoolsJsonFormatter.Name;
                o.LogToStandardErrorThreshold = standardError ? LogLevel.Trace : LogLevel.None;
            }),
            [formatter]);
        var factory = new LoggerFactory([], new LoggerFilterOptions { MinLevel = minimum });
        // Added, not passed to the constructor: the factory then owns the provider, and disposing the factory
        // drains the console queue before the process ends.
        factory.AddProvider(console);
        return factory;
    }

    /// <summary>A factory that drops everything (tests and tools that print their own output).</summary>
    public static ILoggerFactory None => NullLoggerFactory.Instance;

    // Options configured once and never reloaded, through the options library's own monitor.
    private static OptionsMonitor<T> Fixed<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicParameterlessConstructor)] T>(Action<T> configure)
        where T : class =>
        new(new OptionsFactory<T>([new ConfigureOptions<T>(configure)], []), [], new OptionsCache<T>());
}
