namespace ImagePattern.Imaging;

/// <summary>
/// A JPEG whose scans are all present but whose end-of-image marker is missing is shown by browsers; a
/// JPEG cut short inside a scan is not whole. libjpeg reports both as "premature end", so the engines put the
/// marker back and decode strictly: cut-short data then still fails (the decoder meets the marker inside a
/// scan), while a file missing only its marker decodes cleanly.
/// </summary>
internal static class JpegEnd
{
    /// <summary>Encoded bytes to decode, and whether the end marker was put back.</summary>
    internal sealed record Input(byte[] Bytes, bool Repaired);

    /// <summary>Appends FF D9 when a JPEG lacks it; otherwise returns the bytes as they are.</summary>
    public static Input Restore(byte[] jpeg)
    {
        if (!ContainerFacts.LacksJpegEndMarker(jpeg))
        {
            return new Input(jpeg, Repaired: false);
        }

        var repaired = new byte[jpeg.Length + 2];
        jpeg.CopyTo(repaired, 0);
        repaired[^2] = 0xFF;
        repaired[^1] = 0xD9;
        return new Input(repaired, Repaired: true);
    }
}
