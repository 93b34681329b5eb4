using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace ImagePattern.Function.Tests.Support;

/// <summary>Logging that keeps each line's message and the fields of every scope around it, as the JSON formatter sees them.</summary>
public sealed class ScopeCapturingLogging : ILoggerProvider, ISupportExternalScope
{
    private IExternalScopeProvider scopes = new LoggerExternalScopeProvider();

    /// <summary>Every line logged: its message and its scope fields (innermost last wins).</summary>
    public ConcurrentQueue<(string Message, IReadOnlyDictionary<string, object?> Fields)> Lines { get; } = new();

    /// <summary>A factory logging through this provider.</summary>
    public ILoggerFactory CreateFactory() => LoggerFactory.Create(builder => builder.SetMinimumLevel(LogLevel.Trace).AddProvider(this));

    /// <inheritdoc />
    public ILogger CreateLogger(string categoryName) => new Logger(this);

    /// <inheritdoc />
    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => scopes = scopeProvider;

    /// <inheritdoc />
    public void Dispose()
    {
    }

    private sealed class Logger(ScopeCapturingLogging owner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => owner.scopes.Push(state);

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var fields = new Dictionary<string, object?>(StringComparer.Ordinal);
            owner.scopes.ForEachScope(
                static (scope, into) =>
                {
                    if (scope is IEnumerable<KeyValuePair<string, object?>> pairs)
                    {
                        foreach (var (key, value) in pairs)
                        {
                            into[key] = value;
                        }
                    }
                },
                fields);
            owner.Lines.Enqueue((formatter(state, exception), fields));
        }
    }
}
