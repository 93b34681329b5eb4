using System.IO.Compression;
using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Security.Cryptography;
using ImagePattern.Packaging.Tests.Support;

namespace ImagePattern.Packaging.Tests;

public sealed class X86PackageTests(X86PackageFixture packages) : IClassFixture<X86PackageFixture>
{
    private static readonly DateTime ZipEpoch = new(1980, 1, 1, 0, 0, 0, DateTimeKind.Unspecified);

    [Fact]
    public void Package_BuiltTwiceInDifferentFolders_HasTheSameSha256()
    {
        var hashes = packages.Zips.Select(zip => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(zip)))).ToList();

        Assert.Equal(2, hashes.Count);
        Assert.Equal(hashes[0], hashes[1]);
    }

    [Fact]
    public void Package_ForX86_64_CarriesAnX86_64Libvips()
    {
        using var zip = ZipFile.OpenRead(packages.Zips[0]);

        var header = PackageZip.ReadEntry(PackageZip.SingleLibvips(zip));

        Assert.Equal(ElfHeader.X86_64, ElfHeader.Machine(header));
    }

    [Fact]
    public void Package_Entries_AreSortedWithFixedTimestampsAndPermissions()
    {
        using var zip = ZipFile.OpenRead(packages.Zips[0]);
        var names = zip.Entries.Select(e => e.FullName).ToList();

        Assert.Equal(names.Order(StringComparer.Ordinal), names);
        Assert.All(zip.Entries, e =>
        {
            Assert.Equal(ZipEpoch, e.LastWriteTime.DateTime);
            Assert.Equal("100644", Convert.ToString((e.ExternalAttributes >> 16) & 0xFFFF, 8));
        });
    }

    [Fact]
    public void Package_Root_HoldsTheAssemblyWithItsDepsAndRuntimeConfigButNoXmlDocs()
    {
        using var zip = ZipFile.OpenRead(packages.Zips[0]);
        var names = zip.Entries.Select(e => e.FullName).ToHashSet();
        var assembly = HandlerString.FromTerraform().Assembly;

        Assert.Contains($"{assembly}.dll", names);
        Assert.Contains($"{assembly}.deps.json", names);
        Assert.Contains($"{assembly}.runtimeconfig.json", names);
        Assert.DoesNotContain(names, n => n.EndsWith(".xml", StringComparison.Ordinal));
    }

    [Fact]
    public void Package_DebugInfo_NamesNoPathOfThisMachine()
    {
        using var zip = ZipFile.OpenRead(packages.Zips[0]);
        var pdbs = zip.Entries.Where(e => e.FullName.StartsWith("ImagePattern.", StringComparison.Ordinal) && e.FullName.EndsWith(".pdb", StringComparison.Ordinal)).ToList();

        Assert.NotEmpty(pdbs);
        foreach (var pdb in pdbs)
        {
            using var provider = MetadataReaderProvider.FromPortablePdbStream(new MemoryStream(PackageZip.ReadEntry(pdb)));
            var reader = provider.GetMetadataReader();
            var documents = reader.Documents.Select(d => reader.GetString(reader.GetDocument(d).Name)).ToList();

            Assert.NotEmpty(documents);
            // Sources map to /_/, generated files in the build folder to /_package/ (scripts/package.py sets the PathMap).
            Assert.All(documents, path => Assert.True(
                path.StartsWith("/_/", StringComparison.Ordinal) || path.StartsWith("/_package/", StringComparison.Ordinal),
                $"{pdb.FullName} names the machine path {path}"));
        }
    }

    [Fact]
    public void Package_HandlerStringInTerraform_NamesAPublicMethodOfThePackagedAssembly()
    {
        var handler = HandlerString.FromTerraform();
        using var zip = ZipFile.OpenRead(packages.Zips[0]);
        var dll = PackageZip.ReadEntry(Assert.Single(zip.Entries, e => e.FullName == $"{handler.Assembly}.dll"));

        using var pe = new PEReader(new MemoryStream(dll));
        var metadata = pe.GetMetadataReader();
        var type = Assert.Single(metadata.TypeDefinitions.Select(metadata.GetTypeDefinition), t =>
            $"{metadata.GetString(t.Namespace)}.{metadata.GetString(t.Name)}" == handler.Type);
        var methods = type.GetMethods().Select(metadata.GetMethodDefinition)
            .Where(m => metadata.GetString(m.Name) == handler.Method)
            .ToList();

        Assert.Equal(handler.Assembly, metadata.GetString(metadata.GetAssemblyDefinition().Name));
        Assert.Contains(methods, m => (m.Attributes & MethodAttributes.MemberAccessMask) == MethodAttributes.Public);
    }
}
