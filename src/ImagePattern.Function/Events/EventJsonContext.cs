using System.Text.Json.Serialization;

namespace ImagePattern.Function.Events;

/// <summary>Source-generated (reflection-free) serialization for the event contract.</summary>
[JsonSourceGenerationOptions(
    PropertyNameCaseInsensitive = false,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    AllowTrailingCommas = false)]
[JsonSerializable(typeof(SqsEvent))]
[JsonSerializable(typeof(SqsBatchResponse))]
[JsonSerializable(typeof(S3EventNotification))]
[JsonSerializable(typeof(SnsEnvelope))]
[JsonSerializable(typeof(S3EventBridgeEvent))]
public sealed partial class EventJsonContext : JsonSerializerContext;
