using ImagePattern.Function.Storage;
using ImagePattern.Imaging;
using ImagePattern.Imaging.Inspection;

namespace ImagePattern.Function.Pipeline;

/// <summary>
/// One consumer of upload events, as data: the handler name that selects it (<c>_HANDLER</c>, the Terraform
/// consumer's <c>handler</c>), the environment variables it reads, and how its <see cref="ITaskWork"/> is made. Every
/// consumer runs on the same host and batch pipeline (<see cref="FunctionBuilder"/>); the list of them is
/// <see cref="Consumers.All"/>.
/// </summary>
/// <param name="Handler">The handler name, e.g. <c>thumbnails</c>: lower case, also the Terraform <c>consumers</c> key.</param>
/// <param name="Variables">The environment variables it reads (a subset of <see cref="Configuration.EnvironmentVariables.All"/>).</param>
/// <param name="Compose">Reads its settings through <see cref="ConsumerContext.Variables"/> and makes its work from the context's ports.</param>
public sealed record Consumer(string Handler, IReadOnlyList<string> Variables, Func<ConsumerContext, ComposedWork> Compose)
{
    /// <summary>
    /// Whether the consumer decodes the bytes as an image, so that a file that is not one (plain text, a truncated
    /// JPEG) ends <c>FAILED</c> for it as it does for the thumbnailer. True by default; false for a consumer that
    /// completes any bytes (a checksum). <c>make local</c> reads it for what each consumer must record of its samples.
    /// </summary>
    public bool DecodesImages { get; init; } = true;

    /// <summary>
    /// A consumer that needs only the settings every consumer has (<see cref="ConsumerSettings"/>, images as
    /// SkiaSharp decodes them): the usual way to add one.
    /// </summary>
    /// <param name="handler">The handler name.</param>
    /// <param name="work">Makes the work from the settings and the context's ports.</param>
    public static Consumer Of(string handler, Func<ConsumerSettings, ConsumerContext, ITaskWork> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        return new Consumer(handler, ConsumerSettings.Variables, context =>
        {
            var settings = ConsumerSettings.Read(context.Variables, EngineCapabilities.Skia, handler);
            return new ComposedWork(settings, work(settings, context));
        });
    }
}

/// <summary>A consumer's work and the pipeline settings it runs under.</summary>
/// <param name="Settings">Source bucket, suffixes, table, limits, logging, metrics, parallelism.</param>
/// <param name="Work">What it makes of each object.</param>
public sealed record ComposedWork(ConsumerSettings Settings, ITaskWork Work);

/// <summary>What a consumer is composed from: its variables and the ports the host created (and disposes).</summary>
public sealed class ConsumerContext
{
    private readonly Func<ImageEngine, IThumbnailer> thumbnailers;
    private readonly Lazy<IImageInspector> inspector;

    internal ConsumerContext(Func<string, string?> variables, IObjectStore store, Func<ImageEngine, IThumbnailer> thumbnailers, Func<IImageInspector> inspector)
    {
        Variables = variables;
        Store = store;
        this.thumbnailers = thumbnailers;
        this.inspector = new Lazy<IImageInspector>(inspector);
    }

    /// <summary>Looks up an environment variable (the process environment on Lambda); null when unset.</summary>
    public Func<string, string?> Variables { get; }

    /// <summary>The object store (S3 by default): source reads and idempotent writes.</summary>
    public IObjectStore Store { get; }

    /// <summary>The image inspector (SkiaSharp): header, EXIF, a small decode.</summary>
    public IImageInspector Inspector => inspector.Value;

    /// <summary>The thumbnail engine <paramref name="engine"/>, created now so its native library loads in the cold start.</summary>
    public IThumbnailer Thumbnailer(ImageEngine engine) => thumbnailers(engine);
}
