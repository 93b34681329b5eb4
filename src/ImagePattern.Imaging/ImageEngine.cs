namespace ImagePattern.Imaging;

/// <summary>The thumbnail engines behind <see cref="IThumbnailer"/>.</summary>
public enum ImageEngine
{
    /// <summary>SkiaSharp (the default): JPEG, PNG, WebP and GIF in; WebP, JPEG and PNG out.</summary>
    Skia,

    /// <summary>libvips through NetVips: adds TIFF, AVIF and HEIF input and AVIF output.</summary>
    Libvips,
}
