using System.Text.Json.Serialization;

namespace ImagePattern.Bench;

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(PassTimings))]
internal sealed partial class ThumbnailsJsonContext : JsonSerializerContext;
