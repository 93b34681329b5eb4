namespace ImagePattern.Function.Pipeline;

/// <summary>How one task ended for this delivery.</summary>
public enum TaskOutcome
{
    /// <summary>Thumbnails written and the task recorded COMPLETED.</summary>
    Completed,
    /// <summary>The task had already ended (or another worker finished it): acknowledge.</summary>
    Duplicate,
    /// <summary>Recorded FAILED (not an image, corrupt, too large, gone): acknowledge, never retry.</summary>
    PermanentlyFailed,
    /// <summary>Transient failure, another worker's live lease, or no time left: report the message for retry.</summary>
    Retry,
}
