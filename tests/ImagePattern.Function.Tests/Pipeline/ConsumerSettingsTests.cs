using ImagePattern.Function.Configuration;
using ImagePattern.Function.Pipeline;
using ImagePattern.Imaging;

namespace ImagePattern.Function.Tests.Pipeline;

/// <summary>The settings every consumer reads, whatever its work.</summary>
public sealed class ConsumerSettingsTests
{
    [Fact]
    public void Settings_ReadExactlyTheListedVariables()
    {
        var asked = new HashSet<string>(StringComparer.Ordinal);
        ConsumerSettings.Read(
            name =>
        {
            asked.Add(name);
            return name is "SOURCE_BUCKET" or "TASKS_TABLE" ? "x" : null;
        }, EngineCapabilities.Skia, "metadata");

        asked.Remove(EnvironmentVariables.LambdaMemorySize);
        Assert.Equal(ConsumerSettings.Variables.Order(StringComparer.Ordinal), asked.Order(StringComparer.Ordinal));
        Assert.Subset(EnvironmentVariables.All.ToHashSet(StringComparer.Ordinal), ConsumerSettings.Variables.ToHashSet(StringComparer.Ordinal));
    }

    [Fact]
    public void Settings_InvalidNumbersAndLevel_NameEachVariable()
    {
        var error = Assert.Throws<SettingsException>(() => ConsumerSettings.Read(
            name => name switch
        {
            "SOURCE_BUCKET" or "TASKS_TABLE" => "x",
            "MAX_SOURCE_BYTES" => "-1",
            "TASK_TTL_DAYS" => "forever",
            "POWERTOOLS_LOG_LEVEL" => "LOUD",
            _ => null,
        }, EngineCapabilities.Skia, "metadata"));

        Assert.Contains("MAX_SOURCE_BYTES", error.Message, StringComparison.Ordinal);
        Assert.Contains("TASK_TTL_DAYS", error.Message, StringComparison.Ordinal);
        Assert.Contains("POWERTOOLS_LOG_LEVEL", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Settings_MissingSourceAndTable_NameBoth()
    {
        var error = Assert.Throws<SettingsException>(() => ConsumerSettings.Read(_ => null, EngineCapabilities.Skia, "metadata"));

        Assert.Contains("SOURCE_BUCKET", error.Message, StringComparison.Ordinal);
        Assert.Contains("TASKS_TABLE", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_WithoutServiceName_NamesTheServiceAfterTheHandler()
    {
        var settings = ConsumerSettings.Read(name => name is "SOURCE_BUCKET" or "TASKS_TABLE" ? "x" : null, EngineCapabilities.Skia, "dimensions");

        Assert.Equal("imagepattern-dimensions", settings.ServiceName);
    }

    [Fact]
    public void Read_TheLibvipsThumbnailersSuffixes_KeepsWhatItsDecoderReads()
    {
        // Terraform and the local tool give every consumer the thumbnailer's IMAGE_SUFFIXES; with IMAGE_ENGINE=libvips
        // that list names TIFF and HEIF, which a SkiaSharp-decoding consumer cannot read: it ignores those keys.
        var libvipsList = string.Join(',', EngineCapabilities.Libvips.InputSuffixes);

        var settings = ConsumerSettings.Read(
            name => name switch
            {
                "SOURCE_BUCKET" or "TASKS_TABLE" => "x",
                "IMAGE_SUFFIXES" => libvipsList,
                _ => null,
            }, EngineCapabilities.Skia, "metadata");

        Assert.Equal(EngineCapabilities.Skia.InputSuffixes, settings.ImageSuffixes);
    }

    [Fact]
    public void Read_SuffixesItsDecoderReadsNoneOf_FailsTheColdStart()
    {
        var error = Assert.Throws<SettingsException>(() => ConsumerSettings.Read(
            name => name switch
            {
                "SOURCE_BUCKET" or "TASKS_TABLE" => "x",
                "IMAGE_SUFFIXES" => ".tif,.heif",
                _ => null,
            }, EngineCapabilities.Skia, "metadata"));

        Assert.Contains("IMAGE_SUFFIXES must list at least one suffix skia decodes", error.Message, StringComparison.Ordinal);
    }
}
