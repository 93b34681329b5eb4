using ImagePattern.Imaging.LibVips;

namespace ImagePattern.Imaging.Tests.LibVips;

[Collection(ErrorBufferIsolation.Name)]
public sealed class VipsOperationTests
{
    [Fact]
    public void Create_UnknownOperation_ThrowsWithLibVipsMessage()
    {
        var error = Assert.Throws<VipsException>(() => VipsOperation.Create("no_such_operation"));

        Assert.Contains("no_such_operation", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_InvalidArguments_ThrowsWithLibVipsMessage()
    {
        using var image = VipsOperation.Run("black", op => op.Set("width", 10).Set("height", 10));
        using var crop = VipsOperation.Create("extract_area")
            .Set("input", image).Set("left", 5).Set("top", 5).Set("width", 20).Set("height", 20);

        var error = Assert.Throws<VipsException>(() => crop.Build());

        Assert.Contains("extract_area", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_ChainedOperations_ProduceTheExpectedImage()
    {
        using var black = VipsOperation.Run("black", op => op.Set("width", 7).Set("height", 3).Set("bands", 3));
        using var grey = VipsOperation.Run("linear", op => op.Set("in", black).Set("a", [1.0]).Set("b", [100.0]));
        using var average = VipsOperation.Create("avg").Set("in", grey).Build();

        Assert.Equal((7, 3, 3), (grey.Width, grey.Height, grey.Bands));
        Assert.Equal(100.0, average.GetDouble("out"));
    }

    [Fact]
    public void SetEnum_UnknownNickname_Throws()
    {
        using var op = VipsOperation.Create("thumbnail_image");

        Assert.Throws<VipsException>(() => op.SetEnum("size", "sideways"));
    }

    [Fact]
    public void GetBytes_FromASaver_ReturnsTheEncodedFile()
    {
        using var image = VipsOperation.Run("black", op => op.Set("width", 4).Set("height", 4));
        using var save = VipsOperation.Create("pngsave_buffer").Set("in", image).Build();

        var png = save.GetBytes("buffer");

        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], png[..4]);
    }

    [Fact]
    public void SetImages_ArrayArgument_JoinsEveryImage()
    {
        using var a = VipsOperation.Run("black", op => op.Set("width", 3).Set("height", 2));
        using var b = VipsOperation.Run("black", op => op.Set("width", 3).Set("height", 2));
        using var c = VipsOperation.Run("black", op => op.Set("width", 3).Set("height", 2));

        using var joined = VipsOperation.Run("arrayjoin", op => op.Set("in", [a, b, c]).Set("across", 3));

        Assert.Equal((9, 2), (joined.Width, joined.Height));
    }
}
