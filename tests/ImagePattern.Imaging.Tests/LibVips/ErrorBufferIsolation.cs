namespace ImagePattern.Imaging.Tests.LibVips;

/// <summary>
/// Tests that read libvips' process-wide error buffer run alone: a failure in a test running in
/// parallel would otherwise add to (or take) the message under test.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ErrorBufferIsolation
{
    public const string Name = "libvips error buffer";
}
