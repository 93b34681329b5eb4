using ImagePattern.Packaging.Tests.Support;

// Built once per run and shared: the package tests and the runtime tests look at the same artifacts.
[assembly: AssemblyFixture(typeof(X86PackageFixture))]
[assembly: AssemblyFixture(typeof(Arm64PackageFixture))]
