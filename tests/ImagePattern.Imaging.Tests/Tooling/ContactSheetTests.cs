using ImagePattern.Imaging.Tooling;
using NetVips;
using SkiaSharp;

namespace ImagePattern.Imaging.Tests.Tooling;

public sealed class ContactSheetTests
{
    [Fact]
    public void Compose_LaysCellsOutInTheGivenColumnsWithSpacing()
    {
        var tile = SampleImages.Create(200, 50, SampleFormat.Jpeg);
        ContactSheetEntry[] entries = [new("a.jpg", "COMPLETED", tile), new("b.jpg", "COMPLETED", tile), new("c.jpg", "COMPLETED", tile)];

        using var sheet = TestInputs.DecodeRaw(ContactSheet.Compose(entries, columns: 2, spacing: 8));

        // Two columns of 200 px cells; two rows, each the picture plus a caption under it.
        Assert.Equal(8 + 200 + 8 + 200 + 8, sheet.Width);
        Assert.True(sheet.Height > 8 + 50 + 8 + 50 + 8, "captions add height under each row");
    }

    [Fact]
    public void Compose_CaptionsEachCellWithText()
    {
        var tile = SampleImages.Create(200, 50, SampleFormat.Png);
        var blank = Strip(ContactSheet.Compose([new(" ", " ", tile)], columns: 1, spacing: 0));
        var named = Strip(ContactSheet.Compose([new("photo.jpg", "COMPLETED", tile)], columns: 1, spacing: 0));

        // The caption area under the picture: white when the caption is blank, inked when it names the file.
        Assert.True(blank.Min() > 250, "control: a blank caption leaves the area white");
        Assert.True(named.Min() < 100, "the file name and outcome are drawn");
    }

    [Fact]
    public void Compose_FailedAndSkippedFiles_GetACellWithTheReasonInRed()
    {
        var tile = SampleImages.Create(120, 80, SampleFormat.Jpeg);
        ContactSheetEntry[] entries =
        [
            new("ok.jpg", "COMPLETED", tile),
            new("broken.jpg", "FAILED", null, "Corrupt: image data ends early"),
            new("notes.txt", "SKIPPED", null, "suffix not in IMAGE_SUFFIXES"),
        ];

        using var sheet = TestInputs.DecodeRaw(ContactSheet.Compose(entries, columns: 3, spacing: 8));

        Assert.True(sheet.Width >= 8 + (3 * (180 + 8)), "every entry has a cell, with or without a thumbnail");
        using var failedCell = sheet.ExtractArea(8 + 188, 0, 180, sheet.Height);
        using var reddish = failedCell[0].Subtract(failedCell[1]);
        Assert.True(reddish.Max() > 100, "the failed file's placeholder and reason are red");
    }

    [Fact]
    public void Compose_Background_FillsTheMargins()
    {
        var tile = SampleImages.Create(200, 40, SampleFormat.Jpeg);

        using var sheet = TestInputs.DecodeRaw(ContactSheet.Compose([new("x", "COMPLETED", tile)], columns: 1, background: new SKColor(200, 100, 50), spacing: 10));

        using var margin = sheet.ExtractArea(0, 0, sheet.Width, 10);
        Assert.Equal(200.0, margin[0].Avg());
    }

    [Fact]
    public void Compose_NoEntries_Throws()
    {
        Assert.Throws<ArgumentException>(() => ContactSheet.Compose([], columns: 2));
    }

    private static Image Strip(byte[] png)
    {
        using var sheet = TestInputs.DecodeRaw(png);
        using var caption = sheet.ExtractArea(0, 54, sheet.Width, sheet.Height - 54);
        return caption.Colourspace(Enums.Interpretation.Bw).CopyMemory();
    }
}
