using ImagePattern.Function.Configuration;
using ImagePattern.Imaging;
using Microsoft.Extensions.Logging;

namespace ImagePattern.Function.Tests.Configuration;

public sealed class SettingsReaderTests
{
    private static readonly Dictionary<string, string> Minimal = new()
    {
        ["SOURCE_BUCKET"] = "in",
        ["OUTPUT_BUCKET"] = "out",
        ["TASKS_TABLE"] = "tasks",
    };

    private static FunctionSettings Read(Dictionary<string, string> values) =>
        SettingsReader.Read(name => values.GetValueOrDefault(name));

    private static Dictionary<string, string> With(string name, string value) => new(Minimal) { [name] = value };

    [Fact]
    public void Read_MinimalEnvironment_AppliesDocumentedDefaults()
    {
        var settings = Read(Minimal);

        Assert.Equal(["128x128", "512x512"], settings.Sizes.Select(s => s.Label));
        Assert.Equal(new EncodeOptions(OutputFormat.Webp, 80), settings.Encode);
        Assert.Equal(new ImageLimits(52_428_800, 100_000_000, 30_000_000), settings.Limits);
        Assert.Equal(TimeSpan.FromDays(30), settings.TaskRetention);
        Assert.Equal(TimeSpan.FromSeconds(2), settings.MinimumTimeToStart);
        Assert.Equal(LogLevel.Information, settings.LogLevel);
        Assert.Equal("", settings.OutputPrefix);
        Assert.Equal(1, settings.ImageParallelism);
    }

    [Fact]
    public void Read_EveryRequiredMissing_ListsAllInOneMessage()
    {
        var error = Assert.Throws<SettingsException>(() => Read([]));

        foreach (var name in new[] { "SOURCE_BUCKET", "OUTPUT_BUCKET", "TASKS_TABLE" })
        {
            Assert.Contains(name, error.Message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("THUMBNAIL_SIZES", "128", "WIDTHxHEIGHT")]
    [InlineData("THUMBNAIL_SIZES", "0x10", "WIDTHxHEIGHT")]
    [InlineData("THUMBNAIL_SIZES", "64x64,64x64", "twice")]
    [InlineData("OUTPUT_FORMAT", "gif", "webp, jpeg, png, avif or source")]
    [InlineData("OUTPUT_QUALITY", "101", "1 to 100")]
    [InlineData("OUTPUT_QUALITY", "high", "1 to 100")]
    [InlineData("OUTPUT_PREFIX", "thumbs", "end with '/'")]
    [InlineData("POWERTOOLS_LOG_LEVEL", "LOUD", "DEBUG, INFO")]
    [InlineData("MAX_INTERLACED_PIXELS", "200000000", "must not exceed")]
    [InlineData("TASK_TTL_DAYS", "-1", "1 to 3650")]
    public void Read_InvalidValue_NamesVariableAndRule(string name, string value, string rule)
    {
        var error = Assert.Throws<SettingsException>(() => Read(With(name, value)));

        Assert.Contains(name, error.Message, StringComparison.Ordinal);
        Assert.Contains(rule, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_OutputIntoSourceBucketWithoutPrefix_IsRejectedAsLoop()
    {
        var values = With("OUTPUT_BUCKET", "in");

        var error = Assert.Throws<SettingsException>(() => Read(values));

        Assert.Contains("trigger themselves", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1769", 1)]
    [InlineData("1770", 2)]
    [InlineData("3538", 2)]
    [InlineData("10240", 6)]
    [InlineData("128", 1)]
    public void ImageParallelism_FollowsVcpusBoughtByMemory(string memory, int expected) =>
        Assert.Equal(expected, Read(With("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", memory)).ImageParallelism);

    [Fact]
    public void Recipe_ChangesWithOutputSettingsOnly()
    {
        var baseline = Read(Minimal).Recipe;

        Assert.Equal(8, baseline.Length);
        Assert.Equal(baseline, Read(With("TASK_TTL_DAYS", "7")).Recipe);
        Assert.NotEqual(baseline, Read(With("THUMBNAIL_SIZES", "256x256")).Recipe);
        Assert.NotEqual(baseline, Read(With("OUTPUT_FORMAT", "jpeg")).Recipe);
        Assert.NotEqual(baseline, Read(With("OUTPUT_QUALITY", "81")).Recipe);
    }
}
