using System.Text.Json;
using System.Text.Json.Serialization;

namespace ImagePattern.Tool.Local;

/// <summary>
/// What a running <c>local-up</c> publishes in <c>.local/session.json</c> so other commands (<c>invoke</c>,
/// <c>status</c>, <c>backfill</c>, <c>redrive</c>) can find the stack and its resources: the thumbnailer's queue pair,
/// and in <see cref="Consumers"/> every running consumer's queue, DLQ and table.
/// </summary>
public sealed record LocalSession(
    string S3,
    string Sqs,
    string DynamoDb,
    string Region,
    string Name,
    string QueueUrl,
    string QueueArn,
    string DeadLetterQueueUrl,
    string DeadLetterQueueArn,
    int ProcessId,
    IReadOnlyList<SessionConsumer>? Consumers = null)
{
    /// <summary>Where the session file lives.</summary>
    public static string PathIn(string repositoryRoot) => System.IO.Path.Combine(repositoryRoot, ".local", "session.json");

    /// <summary>The endpoints as a record.</summary>
    public LocalEndpoints Endpoints => new(new Uri(S3), new Uri(Sqs), new Uri(DynamoDb), Region);

    /// <summary>The layout the session was provisioned with.</summary>
    public LocalLayout Layout => new() { Name = Name };

    /// <summary>Describes a running pipeline.</summary>
    public static LocalSession Of(LocalPipeline pipeline) => new(
        pipeline.Endpoints.S3.ToString(),
        pipeline.Endpoints.Sqs.ToString(),
        pipeline.Endpoints.DynamoDb.ToString(),
        pipeline.Endpoints.Region,
        pipeline.Layout.Name,
        pipeline.Queues.QueueUrl,
        pipeline.Queues.QueueArn,
        pipeline.Queues.DeadLetterQueueUrl,
        pipeline.Queues.DeadLetterQueueArn,
        Environment.ProcessId,
        pipeline.Consumers.Select(c => new SessionConsumer(c.Name, c.Queues.QueueUrl, c.Queues.DeadLetterQueueUrl, c.TableName)).ToList());

    /// <summary>Every consumer of the session; the thumbnailer alone for a session file that lists none.</summary>
    public IReadOnlyList<SessionConsumer> ConsumersOrThumbnails =>
        Consumers is { Count: > 0 } all ? all : [new SessionConsumer(LocalLayout.Thumbnails, QueueUrl, DeadLetterQueueUrl, Layout.TableName)];

    /// <summary>Writes the session file.</summary>
    public async Task SaveAsync(string path)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        await File.WriteAllTextAsync(path, JsonSerializer.Serialize(this, LocalSessionJsonContext.Default.LocalSession));
    }

    /// <summary>Reads the session of a running <c>local-up</c>, or explains how to start one.</summary>
    public static async Task<LocalSession> LoadAsync(string path)
    {
        if (!File.Exists(path))
        {
            throw new UserErrorException("No local stack is running: start one with 'make local-up' in another terminal.");
        }

        var session = JsonSerializer.Deserialize(await File.ReadAllTextAsync(path), LocalSessionJsonContext.Default.LocalSession)
            ?? throw new UserErrorException($"{path} is empty: start the local stack again with 'make local-up'.");
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(session.ProcessId);
        }
        catch (ArgumentException)
        {
            throw new UserErrorException($"The local stack that wrote {path} (pid {session.ProcessId}) is gone: start one with 'make local-up'.");
        }

        return session;
    }
}

/// <summary>One consumer of a running local stack.</summary>
/// <param name="Name">Its handler name.</param>
/// <param name="QueueUrl">Its queue.</param>
/// <param name="DeadLetterQueueUrl">Its DLQ.</param>
/// <param name="TableName">Its task table.</param>
public sealed record SessionConsumer(string Name, string QueueUrl, string DeadLetterQueueUrl, string TableName);

[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(LocalSession))]
internal sealed partial class LocalSessionJsonContext : JsonSerializerContext;
