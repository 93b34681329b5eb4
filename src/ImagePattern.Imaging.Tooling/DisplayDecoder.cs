using NetVips;

namespace ImagePattern.Imaging.Tooling;

/// <summary>Decodes encoded bytes into what a viewer would show: upright, 8-bit sRGB, alpha flattened.</summary>
internal static class DisplayDecoder
{
    /// <summary>Decodes fully into memory (the source may be released afterwards).</summary>
    /// <exception cref="ArgumentException">The bytes are not an image of a known format, or are damaged.</exception>
    public static Image Decode(byte[] encoded, double[] background, string name)
    {
        if (encoded.Length == 0 || Image.FindLoadBuffer(encoded) is null)
        {
            throw new ArgumentException("buffer is not in a known format", name);
        }

        try
        {
            using var image = Image.NewFromBuffer(encoded, failOn: Enums.FailOn.Error);
            using var upright = image.Autorot();
            using var srgb = upright.Colourspace(Enums.Interpretation.Srgb);
            using var opaque = srgb.HasAlpha() ? srgb.Flatten(background: background) : srgb.Copy();
            using var bytes = opaque.Cast(Enums.BandFormat.Uchar);
            return bytes.CopyMemory();
        }
        catch (VipsException e)
        {
            throw new ArgumentException(e.Message, name, e);
        }
    }
}
