using System.Text.Json.Serialization;
using ImagePattern.Bench.Pipeline;

namespace ImagePattern.Bench;

/// <summary>
/// What an in-process peer reports, in ms: the warm-up pass, then each timed pass over the batch as
/// wall time and as CPU time of the whole process (user + system, all threads).
/// </summary>
internal sealed record PassTimings(double WarmupMs, IReadOnlyList<double> RoundsMs, IReadOnlyList<double> RoundsCpuMs);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(PassTimings))]
[JsonSerializable(typeof(MetadataTimings))]
[JsonSerializable(typeof(ColdStartChildResult))]
[JsonSerializable(typeof(ColdStartReport))]
[JsonSerializable(typeof(HandlerOverheadReport))]
[JsonSerializable(typeof(EndToEndReport))]
[JsonSerializable(typeof(PollerOverheadReport))]
internal sealed partial class BenchJsonContext : JsonSerializerContext;
