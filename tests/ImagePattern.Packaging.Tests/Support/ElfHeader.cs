using System.Buffers.Binary;

namespace ImagePattern.Packaging.Tests.Support;

internal static class ElfHeader
{
    public const ushort X86_64 = 62;
    public const ushort AArch64 = 183;

    private static ReadOnlySpan<byte> Magic => [0x7F, (byte)'E', (byte)'L', (byte)'F'];

    /// <summary>e_machine: bytes 18-19 of the ELF header, in the byte order named by EI_DATA (byte 5).</summary>
    public static ushort Machine(ReadOnlySpan<byte> header)
    {
        if (header.Length < 20 || !header[..4].SequenceEqual(Magic))
        {
            throw new InvalidDataException("not an ELF file");
        }

        return header[5] == 1
            ? BinaryPrimitives.ReadUInt16LittleEndian(header[18..20])
            : BinaryPrimitives.ReadUInt16BigEndian(header[18..20]);
    }
}
