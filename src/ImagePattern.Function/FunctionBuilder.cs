using Amazon.DynamoDBv2;
using Amazon.S3;
using ImagePattern.Function.Configuration;
using ImagePattern.Function.Ledger;
using ImagePattern.Function.Observability;
using ImagePattern.Function.Storage;
using ImagePattern.Imaging;
using Microsoft.Extensions.Logging;

namespace ImagePattern.Function;

/// <summary>
/// The one place the function is composed: settings plus, optionally, the ports to use instead of the defaults.
/// The Lambda entry, the in-process host of the tests and tools, and the bench all build through it, so what runs on
/// Lambda and what the tests exercise differ only in the ports they override.
/// </summary>
/// <remarks>
/// Defaults, as on Lambda: the task ledger on DynamoDB and the object store on S3 through default AWS SDK clients
/// (which honour <c>AWS_ENDPOINT_URL*</c>, so the same code reaches local emulators), the engine that
/// <c>IMAGE_ENGINE</c> names (SkiaSharp unless set), <see cref="TimeProvider.System"/>, JSON log lines and EMF metric
/// lines on stdout.
/// </remarks>
public sealed class FunctionBuilder
{
    private ITaskLedger? ledger;
    private IObjectStore? store;
    private IThumbnailer? thumbnailer;
    private TimeProvider time = TimeProvider.System;
    private ILoggerFactory? logging;
    private TextWriter? metricsOutput;

    /// <summary>A builder for the function configured by <paramref name="settings"/>.</summary>
    public FunctionBuilder(FunctionSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        Settings = settings;
    }

    /// <summary>The settings the function is built with.</summary>
    public FunctionSettings Settings { get; }

    /// <summary>A builder configured from the process environment (<see cref="EnvironmentVariables"/>).</summary>
    /// <exception cref="SettingsException">The configuration is invalid; the message names every problem.</exception>
    public static FunctionBuilder FromEnvironment() => new(SettingsReader.FromEnvironment());

    /// <summary>Uses <paramref name="value"/> as the task ledger instead of the DynamoDB table.</summary>
    public FunctionBuilder WithLedger(ITaskLedger value)
    {
        ledger = value;
        return this;
    }

    /// <summary>Uses <paramref name="value"/> as the object store instead of S3.</summary>
    public FunctionBuilder WithObjectStore(IObjectStore value)
    {
        store = value;
        return this;
    }

    /// <summary>Uses <paramref name="value"/> as the thumbnail engine.</summary>
    public FunctionBuilder WithThumbnailer(IThumbnailer value)
    {
        thumbnailer = value;
        return this;
    }

    /// <summary>Uses <paramref name="value"/> for every clock reading (leases, deadlines, metric timestamps).</summary>
    public FunctionBuilder WithTime(TimeProvider value)
    {
        time = value;
        return this;
    }

    /// <summary>Logs through <paramref name="value"/> (owned by the caller) instead of JSON lines on stdout.</summary>
    public FunctionBuilder WithLogging(ILoggerFactory value)
    {
        logging = value;
        return this;
    }

    /// <summary>Writes the EMF metric lines to <paramref name="value"/> instead of stdout.</summary>
    public FunctionBuilder WithMetricsOutput(TextWriter value)
    {
        metricsOutput = value;
        return this;
    }

    /// <summary>Composes the function. Disposing the host disposes what the builder created (clients, logging).</summary>
    public FunctionHost Build()
    {
        var owned = new List<IDisposable>();
        var loggers = logging;
        if (loggers is null)
        {
            loggers = FunctionLogging.CreateFactory(Settings.ServiceName, Settings.LogLevel);
            owned.Add(loggers);
        }

        var taskLedger = ledger;
        if (taskLedger is null)
        {
            // The SDK's defaults can keep retrying an unreachable table past the invocation's deadline; a bounded
            // client fails fast, so the pipeline hands the message back instead of the whole invocation timing out.
            var dynamo = new AmazonDynamoDBClient(new AmazonDynamoDBConfig { Timeout = TimeSpan.FromSeconds(5), MaxErrorRetry = 3 });
            owned.Add(dynamo);
            taskLedger = new DynamoDbTaskLedger(dynamo, Settings.TasksTable, Settings.TaskRetention, time);
        }

        var objectStore = store;
        if (objectStore is null)
        {
            var s3 = new AmazonS3Client();
            owned.Add(s3);
            objectStore = new S3ObjectStore(s3);
        }

        var engine = thumbnailer;
        if (engine is null)
        {
            // Only the configured engine is created, and it loads its native library now: the cost belongs to the
            // cold start, not to the first invocation's budget.
            engine = Thumbnailers.Create(Settings.Engine);
        }

        return new FunctionHost(Settings, taskLedger, objectStore, engine, loggers, time, metricsOutput ?? Console.Out, owned);
    }
}
