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

    /// <summary>Every ELF file of the zip (the bootstrap and the native libraries) with its bytes.</summary>
    public static List<(string Name, ElfFile Elf)> ElfFiles(string zip)
    {
        using var archive = ZipFile.OpenRead(zip);
        return archive.Entries
            .Select(e => (e.FullName, Bytes: ReadEntry(e)))
            .Where(e => ElfFile.IsElf(e.Bytes))
            .Select(e => (e.FullName, ElfFile.Read(e.Bytes)))
            .ToList();
    }

    /// <summary>The Unix permission bits of an entry, in octal (e.g. <c>100755</c>).</summary>
    public static string Mode(ZipArchiveEntry entry) => Convert.ToString((entry.ExternalAttributes >> 16) & 0xFFFF, 8);
}
