namespace ImagePattern.Imaging.Tests.Contract;

/// <summary>
/// Base of the contract suites: every test in a subclass of this runs once per engine, through one concrete
/// subclass per engine at the bottom of each file.
/// </summary>
public abstract class EngineContract(ImageEngine engine)
{
    protected ImageEngine Engine { get; } = engine;

    protected IThumbnailer Thumbnailer { get; } = Thumbnailers.Create(engine);

    protected EngineCapabilities Capabilities => EngineCapabilities.For(Engine);

    protected Thumbnail OneThumbnail(byte[] source, int box, OutputFormat format = OutputFormat.Png, int quality = 90)
    {
        var result = Thumbnailer.CreateThumbnails(source, [new ThumbnailBox(box, box, $"{box}")], new EncodeOptions(format, quality), TestInputs.Generous);
        Assert.True(result.Succeeded, result.Failure?.Message);
        return Assert.Single(result.Value!);
    }
}
