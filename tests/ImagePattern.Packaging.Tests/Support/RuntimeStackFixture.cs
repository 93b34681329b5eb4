using ImagePattern.Testing;
using ImagePattern.Tool.Local;

namespace ImagePattern.Packaging.Tests.Support;

/// <summary>The local stack provisioned as the Terraform stack is (layout <c>runtime</c>), poller stopped: the bootstrap tests drive the function themselves.</summary>
public sealed class RuntimeStackFixture() : LocalStackFixture(new LocalStackOptions { Pipeline = new LocalLayout { Name = "runtime" } });
