using ImagePattern.Function.Configuration;
using ImagePattern.Function.Metadata;
using ImagePattern.Function.Pipeline;

namespace ImagePattern.Function;

/// <summary>
/// The handler table: every consumer this <c>bootstrap</c> carries, selected by <c>_HANDLER</c> (the function's
/// <c>handler</c> setting, the key of the consumer in Terraform's <c>consumers</c> map). To add a consumer, write its
/// <see cref="ITaskWork"/> and add one line here (docs/add-a-consumer.md); the local tool, <c>make status</c> and the
/// report read this list too.
/// </summary>
public static class Consumers
{
    /// <summary>Accepted as the thumbnailer: the handler string custom runtimes are often given.</summary>
    public const string BootstrapAlias = "bootstrap";

    /// <summary>Every consumer, the thumbnailer first (the default when <c>_HANDLER</c> is unset).</summary>
    public static IReadOnlyList<Consumer> All { get; } =
    [
        new("thumbnails", EnvironmentVariables.All, ThumbnailWork.Compose),
        Consumer.Of("metadata", (settings, ports) => new MetadataWork(ports.Inspector, settings.Limits)),
    ];

    /// <summary>The thumbnailer: SQS batches of S3 notifications in, thumbnails and task records out.</summary>
    public static Consumer Thumbnails => All[0];

    /// <summary>The consumer named <paramref name="handler"/>; the thumbnailer when it is null, blank or <c>bootstrap</c>.</summary>
    /// <exception cref="ArgumentException">No consumer has that name (an init error).</exception>
    public static Consumer Find(string? handler)
    {
        var name = handler?.Trim();
        if (string.IsNullOrEmpty(name) || name == BootstrapAlias)
        {
            return Thumbnails;
        }

        return All.FirstOrDefault(c => c.Handler == name)
            ?? throw new ArgumentException(
                $"_HANDLER is '{handler}'; this bootstrap has the handlers {string.Join(", ", All.Select(c => c.Handler).Append(BootstrapAlias))}",
                nameof(handler));
    }
}
