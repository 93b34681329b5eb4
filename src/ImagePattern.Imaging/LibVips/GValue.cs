using System.Runtime.InteropServices;

namespace ImagePattern.Imaging.LibVips;

/// <summary>
/// Layout of GLib's <c>GValue</c>: a GType and two 64-bit data words. Zero it, <c>g_value_init</c> it,
/// and always <c>g_value_unset</c> it so boxed and object contents are released.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal struct GValue
{
    // Layout only: native code reads and writes these words.
#pragma warning disable CS0169, IDE0044, IDE0051
    private nuint type;
    private ulong data0;
    private ulong data1;
#pragma warning restore CS0169, IDE0044, IDE0051
}
