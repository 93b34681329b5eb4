using System.Text.Json.Serialization;
using ImagePattern.Bench.Pipeline;

namespace ImagePattern.Bench;

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(PassTimings))]
[JsonSerializable(typeof(MetadataTimings))]
[JsonSerializable(typeof(ColdStartChildResult))]
[JsonSerializable(typeof(ColdStartReport))]
[JsonSerializable(typeof(HandlerOverheadReport))]
[JsonSerializable(typeof(EndToEndReport))]
[JsonSerializable(typeof(PollerOverheadReport))]
internal sealed partial class BenchJsonContext : JsonSerializerContext;
