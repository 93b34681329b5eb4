namespace ImagePattern.Bench.Pipeline;

// Raw measurements the pipeline suites print as their last stdout line; bench/pipeline.py turns them into cases
// (medians, percentiles, verdicts), so the statistics live in one place.

/// <summary>The function settings a suite ran with.</summary>
internal sealed record SettingsSummary(string ThumbnailSizes, string OutputFormat, int OutputQuality, int BatchSize, int MaximumConcurrency, int ImageParallelism)
{
    public static SettingsSummary Of(ImagePattern.Tool.Local.LocalPipeline pipeline) => new(
        pipeline.Layout.ThumbnailSizes,
        pipeline.Layout.OutputFormat,
        pipeline.Layout.OutputQuality,
        pipeline.Layout.BatchSize,
        pipeline.Layout.MaximumConcurrency,
        pipeline.Settings.ImageParallelism);
}

/// <summary>What one run measured: process start → ready for the first invocation, two invocations, peak RSS.</summary>
internal sealed record ColdStartChildResult(
    double ReadyMs,
    double FirstInvocationMs,
    double SecondInvocationMs,
    double? PeakRssMb,
    int BatchItemFailures)
{
    /// <summary>JIT runs: when the child's <c>Main</c> began (Unix ms), to add the runtime's start to <see cref="ReadyMs"/>.</summary>
    public double MainAtUnixMs { get; init; }
}

/// <summary>One fresh process, <c>bootstrap</c> (the packaged Native AOT function) or <c>jit</c>.</summary>
internal sealed record ColdStartRun(string Mode, double SpawnAtUnixMs, int ExitCode, ColdStartChildResult? Child, string? Error);

/// <summary>Output of <c>cold-start</c>.</summary>
internal sealed record ColdStartReport(string Image, SettingsSummary Settings, long PackageBytes, IReadOnlyList<ColdStartRun> Runs);

/// <summary>The handler and the engine alone on the same records.</summary>
internal sealed record OverheadSample(int Records, double HandlerMs, double EngineMs, double HandlerCpuMs, double EngineCpuMs, double? EmulatorCpuMs);

/// <summary>One single-record invocation of an instrumented host, split by the ports it called.</summary>
internal sealed record StageSample(double TotalMs, double ClaimMs, double ReadMs, double ThumbnailsMs, double WriteMs, double CompleteMs);

/// <summary>Output of <c>handler-overhead</c>.</summary>
internal sealed record HandlerOverheadReport(
    string Image,
    long ImageBytes,
    SettingsSummary Settings,
    IReadOnlyList<OverheadSample> Serial,
    IReadOnlyList<OverheadSample> Batches,
    IReadOnlyList<StageSample> Stages,
    int BatchItemFailures,
    IReadOnlyDictionary<string, int> Statuses);

/// <summary>One batch of uploads through the whole local pipeline.</summary>
internal sealed record EndToEndPhase(
    string Name,
    int Images,
    int Width,
    int Height,
    long MeanBytes,
    int UploadConcurrency,
    double UploadSeconds,
    double FirstUploadAtUnixMs,
    double? LastCompletedAtUnixMs,
    IReadOnlyList<double> LatenciesMs,
    IReadOnlyDictionary<string, int> Statuses,
    long DeadLettered,
    long Invocations,
    long Received,
    double ProcessCpuMs,
    double? EmulatorCpuMs,
    bool TimedOut);

/// <summary>Output of <c>end-to-end</c>.</summary>
internal sealed record EndToEndReport(SettingsSummary Settings, IReadOnlyList<EndToEndPhase> Phases);

/// <summary>The poller with a handler that does nothing, over a pre-filled queue.</summary>
internal sealed record PollerSample(int BatchSize, int Concurrency, int Messages, double WallMs, double CpuMs, double? EmulatorCpuMs, long Invocations, long Deleted);

/// <summary>Output of <c>poller-overhead</c>.</summary>
internal sealed record PollerOverheadReport(int BodyBytes, IReadOnlyList<PollerSample> Configs);
