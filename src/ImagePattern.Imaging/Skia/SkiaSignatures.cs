namespace ImagePattern.Imaging.Skia;

/// <summary>Recognises the allowed formats by their first bytes, to tell a damaged file from a foreign one.</summary>
internal static class SkiaSignatures
{
    /// <summary>True when <paramref name="encoded"/> starts like a JPEG, PNG, GIF or WebP file.</summary>
    public static bool IsKnown(ReadOnlySpan<byte> encoded) =>
        encoded.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF])
        || encoded.StartsWith((ReadOnlySpan<byte>)[0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A])
        || encoded.StartsWith("GIF8"u8)
        || (encoded.Length >= 12 && encoded.StartsWith("RIFF"u8) && encoded[8..].StartsWith("WEBP"u8));
}
