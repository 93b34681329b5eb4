namespace ImagePattern.Imaging.LibVips;

/// <summary>A libvips call failed; <see cref="Exception.Message"/> is libvips' own text.</summary>
/// <remarks>Internal: the public engine turns these into typed <see cref="ImageFailure"/> results.</remarks>
internal sealed class VipsException : Exception
{
    public VipsException()
    {
    }

    public VipsException(string message)
        : base(message)
    {
    }

    public VipsException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
