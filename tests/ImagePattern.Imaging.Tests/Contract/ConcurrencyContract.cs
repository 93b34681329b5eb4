using ImagePattern.Imaging.Tooling;

namespace ImagePattern.Imaging.Tests.Contract;

public abstract class ConcurrencyContract(ImageEngine engine) : EngineContract(engine)
{
    private static readonly ThumbnailBox[] Boxes = [new(64, 64, "64x64"), new(32, 32, "32x32")];

    [Fact]
    public void CreateThumbnails_FromSeveralThreads_GivesEveryCallerItsOwnCorrectResult()
    {
        // Good and bad inputs interleaved, so failures on one thread must not leak into another's result.
        (byte[] Source, ImageFailureKind? Failure)[] inputs =
        [
            (SampleImages.Create(200, 100, SampleFormat.Jpeg), null),
            (SampleImages.Create(100, 200, SampleFormat.Png, new SampleImageOptions { Alpha = true }), null),
            (SampleImages.Create(150, 150, SampleFormat.Webp), null),
            (SampleImages.Create(120, 90, SampleFormat.Gif), null),
            (TestInputs.Fixture("truncated.jpg"), ImageFailureKind.Corrupt),
            (TestInputs.Fixture("not-an-image.txt"), ImageFailureKind.UnsupportedFormat),
            (TestInputs.Fixture("pixel-bomb-50000x50000.png"), ImageFailureKind.TooManyPixels),
        ];
        var expected = inputs.Select(input => Describe(Thumbnailer.CreateThumbnails(input.Source, Boxes, new EncodeOptions(OutputFormat.Webp, 80), TestInputs.Generous))).ToArray();

        var outcomes = new string[8 * inputs.Length];
        Parallel.For(0, outcomes.Length, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
        {
            var (source, _) = inputs[i % inputs.Length];
            outcomes[i] = Describe(Thumbnailer.CreateThumbnails(source, Boxes, new EncodeOptions(OutputFormat.Webp, 80), TestInputs.Generous));
        });

        Assert.Equal(inputs.Select(input => input.Failure?.ToString() ?? "64x64"), expected.Select(outcome => outcome.Split(':')[0]));
        for (var i = 0; i < outcomes.Length; i++)
        {
            Assert.Equal(expected[i % inputs.Length], outcomes[i]);
        }
    }

    private static string Describe(ImageResult<IReadOnlyList<Thumbnail>> result) =>
        result.Succeeded
            ? string.Join(";", result.Value!.Select(t => $"{t.Box.Label}:{t.Width}x{t.Height}:{Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(t.Data))}"))
            : result.Failure!.Kind.ToString();
}

public sealed class SkiaConcurrency() : ConcurrencyContract(ImageEngine.Skia);

public sealed class LibvipsConcurrency() : ConcurrencyContract(ImageEngine.Libvips);
