using System.IO.Compression;
using ImagePattern.Packaging.Tests.Support;

namespace ImagePattern.Packaging.Tests;

public sealed class Arm64PackageTests(Arm64PackageFixture package) : IClassFixture<Arm64PackageFixture>
{
    [Fact]
    public void Package_ForArm64_CarriesAnAArch64Libvips()
    {
        using var zip = ZipFile.OpenRead(package.Zips[0]);

        var header = PackageZip.ReadEntry(PackageZip.SingleLibvips(zip));

        Assert.Equal(ElfHeader.AArch64, ElfHeader.Machine(header));
    }
}
