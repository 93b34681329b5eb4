using ImagePattern.Function.Configuration;
using ImagePattern.Function.Pipeline;
using ImagePattern.Imaging;

namespace ImagePattern.Function.Tests.Configuration;

public sealed class MemoryBudgetTests
{
    private static readonly ImageLimits Defaults = new(52_428_800, 100_000_000, 30_000_000);

    [Fact]
    public void RequiredMegabytes_MetadataConsumerAtTheDefaults_Is600()
    {
        // The same figure as the function module's rule for handler = "metadata" (the stack's default memory for it is 640 MB).
        Assert.Equal(600, MemoryBudget.RequiredMegabytes(1, MemoryBudget.InspectionBytes(Defaults)));
    }

    [Fact]
    public void ConsumerSettings_MemoryBelowTheInspectionRule_FailsTheColdStart()
    {
        var error = Assert.Throws<SettingsException>(() => ConsumerSettings.Read(name => name switch
        {
            "SOURCE_BUCKET" or "TASKS_TABLE" => "x",
            "AWS_LAMBDA_FUNCTION_MEMORY_SIZE" => "599",
            _ => null,
        }, EngineCapabilities.Skia, "metadata"));

        Assert.Contains("needs at least 600 MB", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ConsumerSettings_AtTheMetadataConsumersDefaultMemory_IsAccepted()
    {
        var settings = ConsumerSettings.Read(name => name switch
        {
            "SOURCE_BUCKET" or "TASKS_TABLE" => "x",
            "AWS_LAMBDA_FUNCTION_MEMORY_SIZE" => "640",
            _ => null,
        }, EngineCapabilities.Skia, "metadata");

        Assert.Equal(640, settings.MemoryMegabytes);
    }

    [Theory]
    [InlineData(1769, 1)]
    [InlineData(1770, 2)]
    [InlineData(10240, 6)]
    public void Problem_EachSlotTheMemoryBuysMustFit(int memory, int slots)
    {
        var perImage = MemoryBudget.ThumbnailBytes(ImageEngine.Skia, Defaults);

        Assert.Equal(slots, FunctionSettings.SlotsFor(memory));
        Assert.Null(MemoryBudget.Problem(memory, slots, perImage, "skia thumbnails"));
        Assert.NotNull(MemoryBudget.Problem(MemoryBudget.RequiredMegabytes(slots, perImage) - 1, slots, perImage, "skia thumbnails"));
    }
}
