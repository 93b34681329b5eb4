using System.IO.Compression;

namespace ImagePattern.Packaging.Tests.Support;

internal static class PackageZip
{
    public static byte[] ReadEntry(ZipArchiveEntry entry)
    {
        using var stream = entry.Open();
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    public static ZipArchiveEntry SingleLibvips(ZipArchive zip) =>
        Assert.Single(zip.Entries, e => e.FullName.StartsWith("libvips-cpp.so.", StringComparison.Ordinal));
}
