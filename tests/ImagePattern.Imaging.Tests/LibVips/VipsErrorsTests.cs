using ImagePattern.Imaging.LibVips;

namespace ImagePattern.Imaging.Tests.LibVips;

[Collection(ErrorBufferIsolation.Name)]
public sealed class VipsErrorsTests
{
    [Fact]
    public void Take_AfterAFailure_ReturnsTheMessageAndClearsTheBuffer()
    {
        VipsErrors.Take("start clean");
        Assert.Equal(IntPtr.Zero, LibVipsNative.vips_operation_new("no_such_operation"));

        var first = VipsErrors.Take("fallback");
        var second = VipsErrors.Take("fallback");

        Assert.Contains("no_such_operation", first, StringComparison.Ordinal);
        Assert.Equal("fallback", second);
    }

    [Fact]
    public void Take_ManyLines_KeepsTheLastFew()
    {
        VipsErrors.Take("start clean");
        foreach (var name in (string[])["first_missing", "second_missing", "third_missing", "fourth_missing"])
        {
            LibVipsNative.vips_operation_new(name);
        }

        var message = VipsErrors.Take("fallback");

        Assert.DoesNotContain("first_missing", message, StringComparison.Ordinal);
        Assert.Contains("fourth_missing", message, StringComparison.Ordinal);
    }
}
