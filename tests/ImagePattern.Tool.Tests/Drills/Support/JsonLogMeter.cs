using System.Text;
using ImagePattern.Function.Observability;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ImagePattern.Tool.Tests.Drills.Support;

/// <summary>
/// Formats every log entry with the function's own Powertools JSON formatter and counts the bytes, which is what
/// CloudWatch Logs bills; the lines themselves are dropped.
/// </summary>
public sealed class JsonLogMeter : ILoggerProvider, ISupportExternalScope
{
    private readonly PowertoolsJsonFormatter formatter;
    private IExternalScopeProvider scopes = new LoggerExternalScopeProvider();
    private long bytes;
    private long lines;

    public JsonLogMeter(string service) =>
        formatter = new PowertoolsJsonFormatter(new FixedOptions(new PowertoolsJsonFormatterOptions { Service = service, IncludeScopes = true }));

    public long Bytes => Interlocked.Read(ref bytes);

    public long Lines => Interlocked.Read(ref lines);

    public ILoggerFactory CreateFactory(LogLevel minimum) =>
        LoggerFactory.Create(builder => builder.SetMinimumLevel(minimum).AddProvider(this));

    public ILogger CreateLogger(string categoryName) => new Meter(this, categoryName);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => scopes = scopeProvider;

    public void Dispose()
    {
    }

    private void Add<TState>(in LogEntry<TState> entry)
    {
        using var line = new StringWriter();
        formatter.Write(entry, scopes, line);
        Interlocked.Add(ref bytes, Encoding.UTF8.GetByteCount(line.ToString()));
        Interlocked.Increment(ref lines);
    }

    private sealed class Meter(JsonLogMeter owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => owner.scopes.Push(state);

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            owner.Add(new LogEntry<TState>(logLevel, category, eventId, state, exception, formatter));
    }

    private sealed class FixedOptions(PowertoolsJsonFormatterOptions value) : IOptionsMonitor<PowertoolsJsonFormatterOptions>
    {
        public PowertoolsJsonFormatterOptions CurrentValue => value;

        public PowertoolsJsonFormatterOptions Get(string? name) => value;

        public IDisposable? OnChange(Action<PowertoolsJsonFormatterOptions, string?> listener) => null;
    }
}
