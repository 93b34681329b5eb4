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
        Assert.Equal(new ImageLimits(52_428_800, 100_000_000, 30_000_000), settings.Pipeline.Limits);
        Assert.Equal(TimeSpan.FromDays(30), settings.Pipeline.TaskRetention);
        Assert.Equal(TimeSpan.FromSeconds(2), settings.Pipeline.MinimumTimeToStart);
        Assert.Equal(LogLevel.Information, settings.Pipeline.LogLevel);
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
    [InlineData("1024", 1)]
    public void ImageParallelism_FollowsVcpusBoughtByMemory(string memory, int expected) =>
        Assert.Equal(expected, Read(With("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", memory)).ImageParallelism);

    [Theory]
    [InlineData("skia", "512")]
    [InlineData("skia", "800")]
    [InlineData("libvips", "256")]
    [InlineData("libvips", "456")]
    public void Read_MemoryThatCannotHoldAnImageAtThePixelBudget_FailsTheColdStart(string engine, string memory)
    {
        var values = new Dictionary<string, string>(Minimal) { ["IMAGE_ENGINE"] = engine, ["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"] = memory };

        var error = Assert.Throws<SettingsException>(() => Read(values));

        Assert.Contains($"AWS_LAMBDA_FUNCTION_MEMORY_SIZE={memory} cannot hold 1 image slot(s)", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("skia", "801", null)]
    [InlineData("skia", "512", "25000000")]
    [InlineData("libvips", "457", null)]
    public void Read_MemoryThatHoldsItsImageSlots_IsAccepted(string engine, string memory, string? maxPixels)
    {
        var values = new Dictionary<string, string>(Minimal) { ["IMAGE_ENGINE"] = engine, ["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"] = memory };
        if (maxPixels is not null)
        {
            values["MAX_SOURCE_PIXELS"] = maxPixels;
            values["MAX_INTERLACED_PIXELS"] = maxPixels;
        }

        Assert.Equal(int.Parse(memory, System.Globalization.CultureInfo.InvariantCulture), Read(values).Pipeline.MemoryMegabytes);
    }

    [Fact]
    public void RequiredMegabytes_AtTheDefaults_IsTheFigureTheTerraformModuleUses()
    {
        var limits = new ImageLimits(52_428_800, 100_000_000, 30_000_000);

        // The function module's plan-time rule gives the same figures (terraform/modules/function/tests).
        Assert.Equal(801, MemoryBudget.RequiredMegabytes(1, MemoryBudget.ThumbnailBytes(ImageEngine.Skia, limits)));
        Assert.Equal(457, MemoryBudget.RequiredMegabytes(1, MemoryBudget.ThumbnailBytes(ImageEngine.Libvips, limits)));
        Assert.Equal(4162, MemoryBudget.RequiredMegabytes(6, MemoryBudget.ThumbnailBytes(ImageEngine.Skia, limits)));
    }

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

    [Fact]
    public void Read_ImageSuffixesUnset_DefaultsToTheCommonWebFormats() =>
        Assert.Equal([".jpg", ".jpeg", ".png", ".webp", ".gif"], Read(Minimal).Pipeline.ImageSuffixes);

    [Fact]
    public void Read_ImageSuffixes_AreTrimmedLowercasedAndDeduplicated() =>
        Assert.Equal([".jpg", ".png"], Read(With("IMAGE_SUFFIXES", " .JPG, .jpg ,.Png")).Pipeline.ImageSuffixes);

    [Theory]
    [InlineData("jpg")]
    [InlineData(".jpg,png")]
    [InlineData(".")]
    [InlineData(".tar.gz")]
    [InlineData(",")]
    public void Read_ImageSuffixWithoutLeadingDot_FailsNamingTheVariable(string raw)
    {
        var error = Assert.Throws<SettingsException>(() => Read(With("IMAGE_SUFFIXES", raw)));

        Assert.Contains("IMAGE_SUFFIXES", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Recipe_DiffersFromTheOldKeySchemes_SoABackfillRemakesThumbnailsUnderTheNewKeys()
    {
        // The recipe of the default settings under the stem-only key scheme (v1).
        var v1 = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData("v1;128x128,512x512;webp;80"u8).AsSpan(0, 4));

        Assert.NotEqual(v1, Read(Minimal).Recipe);
    }
}

public sealed class SettingsReaderEngineTests
{
    private static readonly Dictionary<string, string> Minimal = new()
    {
        ["SOURCE_BUCKET"] = "in",
        ["OUTPUT_BUCKET"] = "out",
        ["TASKS_TABLE"] = "tasks",
    };

    private static FunctionSettings Read(params (string Name, string Value)[] overrides)
    {
        var values = new Dictionary<string, string>(Minimal);
        foreach (var (name, value) in overrides)
        {
            values[name] = value;
        }

        return SettingsReader.Read(name => values.GetValueOrDefault(name));
    }

    [Fact]
    public void Read_NoEngine_IsSkiaWithItsSuffixes()
    {
        var settings = Read();

        Assert.Equal(ImageEngine.Skia, settings.Engine);
        Assert.Equal([".jpg", ".jpeg", ".png", ".webp", ".gif"], settings.Pipeline.ImageSuffixes);
    }

    [Fact]
    public void Read_Libvips_DefaultsToItsWiderSuffixes()
    {
        var settings = Read(("IMAGE_ENGINE", "LibVips"));

        Assert.Equal(ImageEngine.Libvips, settings.Engine);
        Assert.Equal([".jpg", ".jpeg", ".png", ".webp", ".gif", ".tif", ".tiff", ".avif", ".heif"], settings.Pipeline.ImageSuffixes);
    }

    [Fact]
    public void Read_Suffixes_AreTrimmedLowerCasedAndDeduplicated()
    {
        var settings = Read(("IMAGE_SUFFIXES", " .JPG, .png ,.jpg"));

        Assert.Equal([".jpg", ".png"], settings.Pipeline.ImageSuffixes);
    }

    [Theory]
    [InlineData("IMAGE_ENGINE", "imagemagick", "IMAGE_ENGINE must be skia or libvips")]
    [InlineData("IMAGE_SUFFIXES", "jpg", "must be a dot and a name")]
    [InlineData("IMAGE_SUFFIXES", ".tiff", "IMAGE_ENGINE=skia cannot decode")]
    [InlineData("OUTPUT_FORMAT", "avif", "OUTPUT_FORMAT=avif is impossible with IMAGE_ENGINE=skia")]
    public void Read_ImpossibleForTheEngine_FailsNamingIt(string name, string value, string rule)
    {
        var error = Assert.Throws<SettingsException>(() => Read((name, value)));

        Assert.Contains(rule, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_AvifAndTiffWithLibvips_AreAccepted()
    {
        var settings = Read(("IMAGE_ENGINE", "libvips"), ("OUTPUT_FORMAT", "avif"), ("IMAGE_SUFFIXES", ".tif,.avif"));

        Assert.Equal((OutputFormat.Avif, 2), (settings.Encode.Format, settings.Pipeline.ImageSuffixes.Count));
    }
}
