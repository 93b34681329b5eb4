using System.IO.Compression;
using System.Security.Cryptography;
using ImagePattern.Packaging.Tests.Support;

namespace ImagePattern.Packaging.Tests;

/// <summary>What Lambda's <c>provided.al2023</c> needs of the zip, for both architectures.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class PackageContentsTests(X86PackageFixture x86, Arm64PackageFixture arm64)
{
    private const long LambdaZipLimit = 50L * 1024 * 1024;
    private static readonly DateTime ZipEpoch = new(1980, 1, 1, 0, 0, 0, DateTimeKind.Unspecified);

    // Amazon Linux 2023 ships glibc 2.34: a binary needing a newer symbol version fails to load there.
    private static readonly Version Al2023Glibc = new(2, 34);

    public static TheoryData<string> Architectures => ["x86_64", "arm64"];

    private PackageFixture Fixture(string architecture) => architecture == "arm64" ? arm64 : x86;

    [Fact]
    public void Package_BuiltTwiceInDifferentFolders_HasTheSameSha256()
    {
        var hashes = x86.Zips.Select(zip => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(zip)))).ToList();

        Assert.Equal(2, hashes.Count);
        Assert.Equal(hashes[0], hashes[1]);
    }

    [Theory]
    [MemberData(nameof(Architectures))]
    public void Package_Bootstrap_IsAtTheRootAndExecutable(string architecture)
    {
        using var zip = ZipFile.OpenRead(Fixture(architecture).Zips[0]);

        var bootstrap = Assert.Single(zip.Entries, e => e.FullName == "bootstrap");

        Assert.Equal("100755", PackageZip.Mode(bootstrap));
        Assert.True(File.GetUnixFileMode(Path.Combine(Fixture(architecture).TaskRoot, "bootstrap")).HasFlag(UnixFileMode.UserExecute), "bootstrap lost its execute bit when unpacked");
    }

    [Theory]
    [MemberData(nameof(Architectures))]
    public void Package_EveryElfFile_IsOfTheTargetArchitecture(string architecture)
    {
        var expected = architecture == "arm64" ? ElfFile.AArch64 : ElfFile.X86_64;

        var elves = PackageZip.ElfFiles(Fixture(architecture).Zips[0]);

        Assert.Contains(elves, e => e.Name == "bootstrap");
        Assert.Contains(elves, e => e.Name.Contains(".so", StringComparison.Ordinal));
        Assert.All(elves, e => Assert.True(e.Elf.Machine == expected, $"{e.Name} is ELF machine {e.Elf.Machine}, not {expected}"));
    }

    // Address-space randomisation of the executable image: the bootstrap hands untrusted uploads to native decoders.
    // A fixed-address link starts faster (bench/README.md) but gives that up; the csproj says how to choose it.
    [Theory]
    [MemberData(nameof(Architectures))]
    public void Package_Bootstrap_IsPositionIndependent(string architecture)
    {
        var bootstrap = Assert.Single(PackageZip.ElfFiles(Fixture(architecture).Zips[0]), e => e.Name == "bootstrap");

        Assert.Equal(ElfFile.PositionIndependent, bootstrap.Elf.Type);
    }

    [Theory]
    [MemberData(nameof(Architectures))]
    public void Package_EveryElfFile_NeedsAtMostGlibc234(string architecture)
    {
        var elves = PackageZip.ElfFiles(Fixture(architecture).Zips[0]);
        var needs = elves.Select(e => (e.Name, Glibc: e.Elf.HighestGlibc())).ToList();

        // The bootstrap links glibc dynamically, so it must name versions; none may be newer than AL2023's.
        Assert.NotNull(Assert.Single(needs, n => n.Name == "bootstrap").Glibc);
        Assert.All(needs, n => Assert.True(n.Glibc is null || n.Glibc <= Al2023Glibc, $"{n.Name} needs GLIBC_{n.Glibc}"));
    }

    [Theory]
    [MemberData(nameof(Architectures))]
    public void Package_Zip_FitsLambdasDirectUploadLimit(string architecture)
    {
        var size = new FileInfo(Fixture(architecture).Zips[0]).Length;

        Assert.InRange(size, 1, LambdaZipLimit);
    }

    [Fact]
    public void Package_Entries_AreSortedWithFixedTimestampsAndModes()
    {
        using var zip = ZipFile.OpenRead(x86.Zips[0]);
        var names = zip.Entries.Select(e => e.FullName).ToList();

        Assert.Equal(names.Order(StringComparer.Ordinal), names);
        Assert.All(zip.Entries, e =>
        {
            Assert.Equal(ZipEpoch, e.LastWriteTime.DateTime);
            Assert.Equal(e.FullName == "bootstrap" ? "100755" : "100644", PackageZip.Mode(e));
        });
    }

    [Fact]
    public void Package_HoldsNoDebugSymbolsDocsOrManagedAssemblies()
    {
        using var zip = ZipFile.OpenRead(x86.Zips[0]);

        Assert.DoesNotContain(zip.Entries, e => Path.GetExtension(e.FullName) is ".dbg" or ".pdb" or ".xml" or ".dll" or ".json");
    }
}
