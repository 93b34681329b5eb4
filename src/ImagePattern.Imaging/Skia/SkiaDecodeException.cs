namespace ImagePattern.Imaging.Skia;

/// <summary>A decode, scale or encode step that failed inside SkiaSharp; the image is reported as corrupt.</summary>
internal sealed class SkiaDecodeException(string message) : Exception(message);
