using System.Runtime.InteropServices;
using ImagePattern.Imaging.LibVips;

namespace ImagePattern.Imaging.Tests;

/// <summary>Fixture files and a raw decoder that shows what an encoded image really contains.</summary>
internal static class TestInputs
{
    public static readonly ImageLimits Generous = new(MaxBytes: 50_000_000, MaxPixels: 100_000_000, MaxInterlacedPixels: 30_000_000);

    public static byte[] Fixture(string name) => File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Fixtures", name));

    /// <summary>Decodes without any conversion (bit depth, bands and colour space as stored).</summary>
    public static unsafe VipsImage DecodeRaw(byte[] encoded)
    {
        LibVipsRuntime.EnsureInitialized();
        fixed (byte* data = encoded)
        {
            var loader = LibVipsNative.vips_foreign_find_load_buffer((IntPtr)data, (nuint)encoded.Length);
            Assert.NotEqual(IntPtr.Zero, loader);
            using var load = VipsOperation.Create(Marshal.PtrToStringUTF8(loader)!)
                .SetBuffer("buffer", (IntPtr)data, (nuint)encoded.Length)
                .Build();
            using var image = load.GetImage("out");
            return image.CopyMemory();
        }
    }
}
