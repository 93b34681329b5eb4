namespace ImagePattern.Function.Ledger;

/// <summary>
/// What a COMPLETED record carries: the objects a consumer wrote (<c>outputs</c>) and the facts it found
/// (<c>result</c>, a map whose shape is the consumer's own). Both are attributes of the one fenced update that
/// completes the task, so a record is never COMPLETED without them.
/// </summary>
/// <param name="Outputs">Objects written (thumbnails); empty for consumers that write none.</param>
/// <param name="Result">
/// The consumer's result, stored as the map attribute <c>result</c>: snake-case names to values of type
/// <see cref="string"/> (S), <see cref="bool"/> (BOOL), <see cref="int"/>, <see cref="long"/> or <see cref="double"/>
/// (N); null values are left out. Null or empty for consumers that record nothing. Read back, whole numbers are
/// <see cref="long"/>. Keep it small: the record is one DynamoDB item (400 KB).
/// </param>
public sealed record TaskCompletion(IReadOnlyList<TaskOutput> Outputs, IReadOnlyDictionary<string, object?>? Result = null)
{
    /// <summary>A completion that wrote <paramref name="outputs"/> and records nothing else.</summary>
    public static TaskCompletion Of(IReadOnlyList<TaskOutput> outputs) => new(outputs);

    /// <summary>A completion that wrote nothing and records <paramref name="result"/>.</summary>
    public static TaskCompletion Recording(IReadOnlyDictionary<string, object?> result) => new([], result);
}
