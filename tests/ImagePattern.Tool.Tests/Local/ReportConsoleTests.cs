using ImagePattern.Function.Pipeline;
using ImagePattern.Tool.Local;
using Spectre.Console;

namespace ImagePattern.Tool.Tests.Local;

public sealed class ReportConsoleTests
{
    private static RunReport Report() => new(
        [
            new ReportEntry("uploads/cat.jpg", Expected.Completed, Expected.Completed, "t1", [new ReportOutput("512x512/uploads/cat.jpg.webp", 512, 384, 9000, "webp")], null),
            new ReportEntry("uploads/notes.txt", Expected.Ignored, Expected.Ignored, "t2", [], null, "acknowledged without a task record"),
            new ReportEntry("uploads/broken.jpg", Expected.Failed, Expected.Completed, "t3", [], "Corrupt: [bad] data"),
        ],
        new Dictionary<string, int> { [Expected.Completed] = 1, [Expected.Ignored] = 1, [Expected.Failed] = 1 },
        1.5,
        0);

    [Theory]
    [InlineData(true, null, true)]
    [InlineData(false, "1", true)]
    [InlineData(false, "", false)]
    [InlineData(false, null, false)]
    public void IsPlain_WhenRedirectedOrNoColor(bool redirected, string? noColor, bool plain) =>
        Assert.Equal(plain, ReportConsole.IsPlain(redirected, noColor));

    [Fact]
    public void WriteSummary_OnAPlainConsole_HasNoEscapeSequencesAndEveryEntry()
    {
        using var output = new StringWriter();
        var console = ReportConsole.Create(output, plain: true);

        ReportConsole.WriteSummary(console, Report());
        console.MarkupLine("[red]FAILED[/]: some uploads did not reach their expected outcome");

        var text = output.ToString();
        Assert.DoesNotContain('\u001b', text);
        Assert.False(ReportConsole.CanRedraw(console));
        Assert.Contains("uploads/notes.txt", text, StringComparison.Ordinal);
        Assert.Contains("IGNORED", text, StringComparison.Ordinal);
        Assert.Contains("acknowledged without a task record", text, StringComparison.Ordinal);
        Assert.Contains("Corrupt: [bad] data", text, StringComparison.Ordinal);
        Assert.Contains("FAILED: some uploads", text, StringComparison.Ordinal);
    }

    [Fact]
    public void WriteSummary_WithOtherConsumers_ShowsEachOnesResultBesideTheThumbnails()
    {
        using var output = new StringWriter();
        var console = ReportConsole.Create(output, plain: true);
        var described = new ReportEntry(
            "uploads/cat.jpg", Expected.Completed, Expected.Completed, "t1", [new ReportOutput("512x512/uploads/cat.jpg.webp", 512, 384, 9000, "webp")], null,
            Consumers: new Dictionary<string, ReportConsumer>
            {
                ["metadata"] = new(Expected.Completed, new Dictionary<string, string> { ["format"] = "jpeg", ["width"] = "1024", ["sha256"] = new string('a', 64) }, null, Expected.Completed),
                ["labels"] = new(Expected.Completed, new Dictionary<string, string> { ["label"] = "cat" }, null, Expected.Completed),
            });
        var undescribed = new ReportEntry(
            "uploads/dog.jpg", Expected.Completed, Expected.Completed, "t2", [], null,
            Consumers: new Dictionary<string, ReportConsumer>
            {
                ["metadata"] = new(Expected.Missing, new Dictionary<string, string>(), null, Expected.Completed),
                ["labels"] = new(Expected.Completed, new Dictionary<string, string> { ["label"] = "dog" }, null, Expected.Completed),
            });

        ReportConsole.WriteSummary(console, new RunReport([described, undescribed], new Dictionary<string, int> { [Expected.Completed] = 2 }, 1, 0));

        var text = output.ToString();
        Assert.Contains("metadata", text, StringComparison.Ordinal);
        Assert.Contains("labels", text, StringComparison.Ordinal);
        // Long values (hashes) cut to their start, so the table stays readable.
        Assert.Contains("COMPLETED format=jpeg width=1024 sha256=aaaaaaaaaaaaaaa…", text, StringComparison.Ordinal);
        Assert.Contains("COMPLETED label=cat", text, StringComparison.Ordinal);
        Assert.True(described.AsExpected);
        // Thumbnails alone do not account for an upload one of the other consumers never recorded.
        Assert.False(undescribed.AsExpected);
    }

    [Fact]
    public void WriteSummary_KeyWithControlCharacters_KeepsItsRowOnOneLine()
    {
        using var output = new StringWriter();
        var console = ReportConsole.Create(output, plain: true);
        var entry = new ReportEntry("uploads/two\nlines\u0007.jpg", Expected.Ignored, Expected.Ended, "t1", [], null, "acknowledged without a task record: the key holds control characters");

        ReportConsole.WriteSummary(console, new RunReport([entry], new Dictionary<string, int> { [Expected.Ignored] = 1 }, 1, 0));

        var row = Assert.Single(output.ToString().Split('\n'), line => line.Contains("uploads/two", StringComparison.Ordinal));
        Assert.Contains(@"uploads/two\nlines\u0007.jpg", row, StringComparison.Ordinal);
        Assert.Contains("control characters", row, StringComparison.Ordinal);
    }

    [Fact]
    public void ExpectedOf_ConsumerThatDecodesImages_FailsWhatTheThumbnailerFails()
    {
        var metadata = ImagePattern.Function.Consumers.Find("metadata");

        Assert.Equal(Expected.Failed, ReportConsumer.ExpectedOf(metadata, Expected.Failed));
        Assert.Equal(Expected.Completed, ReportConsumer.ExpectedOf(metadata, Expected.Completed));
    }

    [Fact]
    public void ExpectedOf_ConsumerThatTakesAnyBytes_CompletesWhatTheThumbnailerFails()
    {
        var checksum = Consumer.Of("checksum", (settings, ports) => throw new InvalidOperationException("only its declaration is read")) with { DecodesImages = false };
        var notAnImage = new ReportEntry(
            "not-an-image.png", Expected.Failed, Expected.Failed, "t3", [], "NotAnImage: plain text",
            Consumers: new Dictionary<string, ReportConsumer>
            {
                ["checksum"] = new(Expected.Completed, new Dictionary<string, string> { ["bytes"] = "29" }, null, ReportConsumer.ExpectedOf(checksum, Expected.Failed)),
            });

        Assert.Equal(Expected.Completed, ReportConsumer.ExpectedOf(checksum, Expected.Failed));
        Assert.True(notAnImage.AsExpected);
    }

    [Fact]
    public void RunProgress_ReadsAsAccountedForByOutcome() =>
        Assert.Equal(
            "3/5 accounted for: COMPLETED 2, SKIPPED 1",
            new RunProgress(3, 5, new Dictionary<string, int> { [Expected.Completed] = 2, [Expected.Skipped] = 1 }).ToString());
}
