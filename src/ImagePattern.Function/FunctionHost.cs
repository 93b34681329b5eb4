using ImagePattern.Function.Configuration;
using ImagePattern.Function.Events;
using ImagePattern.Function.Ledger;
using ImagePattern.Function.Pipeline;
using ImagePattern.Function.Storage;
using ImagePattern.Imaging;
using Microsoft.Extensions.Logging;

namespace ImagePattern.Function;

/// <summary>
/// The function composed once per execution environment (by <see cref="FunctionBuilder"/>): a typed SQS batch in,
/// the partial-batch response out. The bytes-to-types step is the Lambda entry's (<see cref="LambdaEntryPoint"/>).
/// </summary>
public sealed class FunctionHost : ISqsBatchHandler, IDisposable
{
    private readonly BatchInvocation invocations;
    private readonly SemaphoreSlim imageSlots;
    private readonly IReadOnlyList<IDisposable> owned;

    internal FunctionHost(
        FunctionSettings settings,
        ITaskLedger ledger,
        IObjectStore store,
        IThumbnailer thumbnailer,
        ILoggerFactory loggerFactory,
        TimeProvider time,
        TextWriter metricsOutput,
        IReadOnlyList<IDisposable> owned)
    {
        Settings = settings;
        this.owned = owned;
        imageSlots = new SemaphoreSlim(settings.ImageParallelism, settings.ImageParallelism);
        var processor = new TaskProcessor(settings, ledger, store, thumbnailer, imageSlots, time, loggerFactory.CreateLogger<TaskProcessor>());
        // Twice the image slots: while some images decode, others are downloading or uploading.
        var batches = new BatchProcessor(new NotificationParser(settings.SourceBucket), new ImageKeyFilter(settings.ImageSuffixes), processor, settings.Recipe, settings.ImageParallelism * 2, loggerFactory.CreateLogger<BatchProcessor>());
        invocations = new BatchInvocation(batches, settings.MinimumTimeToStart, time, metricsOutput, settings.MetricsNamespace, settings.ServiceName);
    }

    /// <summary>The settings in force.</summary>
    public FunctionSettings Settings { get; }

    /// <summary>
    /// Handles one batch; the leases last until <paramref name="deadline"/> (the invocation's
    /// <c>Lambda-Runtime-Deadline-Ms</c>), and work on an object is not started too close to it
    /// (<see cref="InvocationDeadline"/>).
    /// </summary>
    public Task<SqsBatchResponse> HandleAsync(SqsEvent batch, DateTimeOffset deadline, CancellationToken cancellationToken) =>
        invocations.RunAsync(batch, deadline, cancellationToken);

    /// <inheritdoc />
    public void Dispose()
    {
        imageSlots.Dispose();
        foreach (var disposable in owned.Reverse())
        {
            disposable.Dispose();
        }
    }
}
