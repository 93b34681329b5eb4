using System.Runtime.InteropServices;

namespace ImagePattern.Imaging.LibVips;

/// <summary>
/// Reads libvips' error buffer. The buffer is one per process and shared by all threads; libvips
/// copies and clears it atomically, but with images processed in parallel a message can still land
/// in another thread's read. The engine decides the failure kind from where a call failed, never
/// from the text, so the text is best-effort detail.
/// </summary>
internal static class VipsErrors
{
    // Successful loads can leave harmless lines behind (e.g. a seek probe); the failure's own lines come last.
    private const int KeptLines = 3;

    /// <summary>Takes (copies and clears) the error buffer, falling back to <paramref name="fallback"/> when empty.</summary>
    public static string Take(string fallback)
    {
        var copy = LibVipsNative.vips_error_buffer_copy();
        string text;
        try
        {
            text = copy == IntPtr.Zero ? string.Empty : Marshal.PtrToStringUTF8(copy) ?? string.Empty;
        }
        finally
        {
            LibVipsNative.g_free(copy);
        }

        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Distinct(StringComparer.Ordinal)
            .ToArray();
        return lines.Length == 0 ? fallback : string.Join("; ", lines[Math.Max(0, lines.Length - KeptLines)..]);
    }
}
