using System.Text.Json.Serialization;

namespace ImagePattern.Tool.Tests.Drills.Support;

/// <summary>What one drill did and saw; every figure is measured during the run.</summary>
public sealed record DrillResult
{
    [JsonPropertyName("id")] public required string Id { get; init; }

    [JsonPropertyName("fault")] public required string Fault { get; init; }

    [JsonPropertyName("load")] public required string Load { get; init; }

    [JsonPropertyName("observed")] public required string Observed { get; init; }

    /// <summary>Messages that entered the notification queue (from uploads, backfill or direct sends).</summary>
    [JsonPropertyName("messages_in")] public required long MessagesIn { get; init; }

    /// <summary>Messages the poller handed to the function, redeliveries included.</summary>
    [JsonPropertyName("deliveries")] public required long Deliveries { get; init; }

    /// <summary>Distinct tasks the run was expected to create.</summary>
    [JsonPropertyName("tasks_expected")] public required long TasksExpected { get; init; }

    [JsonPropertyName("tasks_completed")] public required long TasksCompleted { get; init; }

    [JsonPropertyName("tasks_failed")] public required long TasksFailed { get; init; }

    /// <summary>The function's <c>Duplicates</c> metric: deliveries acknowledged without work because the task had ended.</summary>
    [JsonPropertyName("duplicates_suppressed")] public required long DuplicatesSuppressed { get; init; }

    /// <summary>The function's <c>Retries</c> metric: messages handed back for another delivery.</summary>
    [JsonPropertyName("retries")] public required long Retries { get; init; }

    [JsonPropertyName("dlq_peak")] public required long DeadLetteredPeak { get; init; }

    [JsonPropertyName("dlq_end")] public required long DeadLetteredAtEnd { get; init; }

    /// <summary>Expected tasks that did not reach their expected end state.</summary>
    [JsonPropertyName("lost")] public required long Lost { get; init; }

    [JsonPropertyName("seconds")] public required double Seconds { get; init; }

    [JsonPropertyName("details")] public IReadOnlyDictionary<string, string> Details { get; init; } = new Dictionary<string, string>();
}

/// <summary>The measurements the cost section of the runbook is computed from (taken by the baseline drill).</summary>
public sealed record CostInputs
{
    [JsonPropertyName("images")] public required int Images { get; init; }

    [JsonPropertyName("source")] public required string Source { get; init; }

    /// <summary>Wall time of the invocations divided by the images they held: what Lambda bills.</summary>
    [JsonPropertyName("wall_ms_per_image")] public required double WallMsPerImage { get; init; }

    [JsonPropertyName("cpu_ms_per_image")] public required double CpuMsPerImage { get; init; }

    /// <summary>
    /// What one vCPU would be billed: the test machine may spread the work over more than one core (CPU above wall
    /// time), which a 1769 MB function cannot, so the larger of the two.
    /// </summary>
    [JsonPropertyName("billed_ms_per_image")] public double BilledMsPerImage => Math.Max(WallMsPerImage, CpuMsPerImage);

    [JsonPropertyName("thumbnail_bytes_per_image")] public required double ThumbnailBytesPerImage { get; init; }

    [JsonPropertyName("task_item_bytes")] public required int TaskItemBytes { get; init; }

    [JsonPropertyName("log_bytes_per_image")] public required double LogBytesPerImage { get; init; }

    [JsonPropertyName("emf_bytes_per_invocation")] public required double EmfBytesPerInvocation { get; init; }
}

[JsonSourceGenerationOptions(WriteIndented = true)]
[JsonSerializable(typeof(DrillResult))]
[JsonSerializable(typeof(CostInputs))]
internal sealed partial class DrillJsonContext : JsonSerializerContext;
