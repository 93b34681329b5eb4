namespace ImagePattern.Function.Runtime;

/// <summary>
/// The handlers one <c>bootstrap</c> carries, selected by <c>_HANDLER</c> (the function's <c>handler</c> setting), so
/// further consumers can share the package.
/// </summary>
public static class Handlers
{
    /// <summary>The thumbnailer: SQS batches of S3 notifications in, thumbnails and task records out.</summary>
    public const string Thumbnails = "thumbnails";

    /// <summary>The image-metadata consumer: SQS batches of S3 notifications in, metadata task records out.</summary>
    public const string Metadata = "metadata";

    /// <summary>Accepted as <see cref="Thumbnails"/>: the handler string custom runtimes are often given.</summary>
    public const string BootstrapAlias = "bootstrap";

    /// <summary>Every handler name accepted.</summary>
    public static IReadOnlyList<string> Names { get; } = [Thumbnails, Metadata, BootstrapAlias];

    /// <summary>The composition of the handler named <paramref name="name"/>.</summary>
    /// <exception cref="ArgumentException">No handler has that name (an init error).</exception>
    public static Func<IInvocationHandler> Resolve(string? name) => name?.Trim() switch
    {
        Thumbnails or BootstrapAlias => LambdaEntryPoint.FromEnvironment,
        Metadata => () => new LambdaEntryPoint(ImagePattern.Function.Metadata.MetadataHost.FromEnvironment()),
        _ => throw new ArgumentException($"_HANDLER is '{name}'; this bootstrap has the handlers {string.Join(", ", Names)}", nameof(name)),
    };
}
