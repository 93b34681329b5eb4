using System.Buffers.Binary;
using System.Text;
using System.Text.RegularExpressions;

namespace ImagePattern.Packaging.Tests.Support;

/// <summary>
/// The parts of an ELF64 little-endian file (x86_64, AArch64) the package checks read: the file type, the machine, and the symbol
/// versions it needs from its libraries (the <c>SHT_GNU_verneed</c> section, what the dynamic loader checks).
/// </summary>
internal sealed partial class ElfFile
{
    public const ushort X86_64 = 62;
    public const ushort AArch64 = 183;
    public const ushort PositionIndependent = 3; // ET_DYN (shared objects and PIE executables); a fixed-address executable is ET_EXEC (2)
    private const uint VersionNeeded = 0x6ffffffe; // SHT_GNU_verneed

    private readonly byte[] data;

    private ElfFile(byte[] data) => this.data = data;

    public ushort Type => BinaryPrimitives.ReadUInt16LittleEndian(data.AsSpan(16));

    public ushort Machine => BinaryPrimitives.ReadUInt16LittleEndian(data.AsSpan(18));

    public static bool IsElf(ReadOnlySpan<byte> data) =>
        data.Length >= 64 && data[0] == 0x7F && data[1] == (byte)'E' && data[2] == (byte)'L' && data[3] == (byte)'F';

    public static ElfFile Read(byte[] data)
    {
        if (!IsElf(data))
        {
            throw new InvalidDataException("not an ELF file");
        }

        if (data[4] != 2 || data[5] != 1)
        {
            throw new InvalidDataException("not a 64-bit little-endian ELF file");
        }

        return new ElfFile(data);
    }

    /// <summary>Every <c>library: version</c> pair the file needs, e.g. <c>libc.so.6: GLIBC_2.34</c>.</summary>
    public IReadOnlyList<(string Library, string Version)> NeededVersions()
    {
        var needed = new List<(string, string)>();
        var sectionsAt = (int)BinaryPrimitives.ReadUInt64LittleEndian(data.AsSpan(0x28));
        var entrySize = BinaryPrimitives.ReadUInt16LittleEndian(data.AsSpan(0x3A));
        var count = BinaryPrimitives.ReadUInt16LittleEndian(data.AsSpan(0x3C));
        for (var i = 0; i < count; i++)
        {
            var section = data.AsSpan(sectionsAt + (i * entrySize), entrySize);
            if (BinaryPrimitives.ReadUInt32LittleEndian(section[4..]) != VersionNeeded)
            {
                continue;
            }

            var offset = (int)BinaryPrimitives.ReadUInt64LittleEndian(section[0x18..]);
            var entries = (int)BinaryPrimitives.ReadUInt32LittleEndian(section[0x2C..]);
            var link = (int)BinaryPrimitives.ReadUInt32LittleEndian(section[0x28..]);
            var strings = (int)BinaryPrimitives.ReadUInt64LittleEndian(data.AsSpan(sectionsAt + (link * entrySize) + 0x18));
            var at = offset;
            for (var n = 0; n < entries; n++)
            {
                // Elf64_Verneed: vn_version, vn_cnt, vn_file, vn_aux, vn_next
                var auxCount = BinaryPrimitives.ReadUInt16LittleEndian(data.AsSpan(at + 2));
                var file = String(strings + (int)BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan(at + 4)));
                var aux = at + (int)BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan(at + 8));
                for (var k = 0; k < auxCount; k++)
                {
                    // Elf64_Vernaux: vna_hash, vna_flags, vna_other, vna_name, vna_next
                    needed.Add((file, String(strings + (int)BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan(aux + 8)))));
                    aux += (int)BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan(aux + 12));
                }

                at += (int)BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan(at + 12));
            }
        }

        return needed;
    }

    /// <summary>The highest <c>GLIBC_x.y</c> the file needs, or null when it needs none.</summary>
    public Version? HighestGlibc() =>
        NeededVersions()
            .Select(v => GlibcVersion().Match(v.Version))
            .Where(m => m.Success)
            .Select(m => Version.Parse(m.Groups[1].Value))
            .DefaultIfEmpty()
            .Max();

    private string String(int at)
    {
        var end = Array.IndexOf(data, (byte)0, at);
        return Encoding.ASCII.GetString(data, at, end - at);
    }

    [GeneratedRegex(@"^GLIBC_(\d+\.\d+(?:\.\d+)?)$")]
    private static partial Regex GlibcVersion();
}
