using NetVips;
using SkiaSharp;

namespace ImagePattern.Imaging.Tooling;

/// <summary>One cell of a contact sheet: a file, how it ended, and its thumbnail when there is one.</summary>
/// <param name="Name">The source's name (e.g. its object key), printed under the cell.</param>
/// <param name="Outcome">How it ended, e.g. <c>COMPLETED</c>, <c>FAILED</c>, <c>SKIPPED</c>; anything but COMPLETED or DUPLICATE is printed in red.</param>
/// <param name="Image">The encoded thumbnail, or null when there is none (a placeholder is drawn).</param>
/// <param name="Reason">Why it failed or was skipped, printed under the outcome; null for none.</param>
public sealed record ContactSheetEntry(string Name, string Outcome, byte[]? Image, string? Reason = null);

/// <summary>Lays thumbnails out on a grid, each captioned with its file name and outcome, and encodes the sheet as one PNG.</summary>
/// <remarks>
/// Text is drawn with DejaVu Sans Mono, embedded in this assembly (licence in <c>Fonts/LICENSE</c>): SkiaSharp's
/// NoDependencies build has no fontconfig, so its default typeface has no glyphs to draw with. The font covers Latin,
/// Greek and Cyrillic; other scripts (CJK) show as empty boxes in the PNG, and correctly in the HTML sheet.
/// </remarks>
public static class ContactSheet
{
    private const float TextSize = 12;
    private const int LineHeight = 15;
    private const int MinimumCellWidth = 180;
    private const int PlaceholderSize = 96;
    private const int MaxReasonLines = 3;

    private static readonly Lazy<SKTypeface> Typeface = new(LoadTypeface);

    /// <summary>The embedded DejaVu Sans Mono, for other tooling pictures that print text (see the remarks on this class).</summary>
    public static SKTypeface TextTypeface => Typeface.Value;

    /// <summary>
    /// Places <paramref name="entries"/> left to right, top to bottom, <paramref name="columns"/> per row. Each cell
    /// is as wide as the widest thumbnail (at least 180 px) and as tall as the tallest plus the caption; thumbnails
    /// are centred in their picture area, and <paramref name="spacing"/> pixels separate cells and frame the sheet.
    /// Transparent areas show <paramref name="background"/> (white by default).
    /// </summary>
    /// <exception cref="ArgumentException">No entries, or a thumbnail that cannot be decoded.</exception>
    public static byte[] Compose(IReadOnlyList<ContactSheetEntry> entries, int columns, SKColor? background = null, int spacing = 8)
    {
        ArgumentNullException.ThrowIfNull(entries);
        ArgumentOutOfRangeException.ThrowIfLessThan(columns, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(spacing);
        if (entries.Count == 0)
        {
            throw new ArgumentException("a contact sheet needs at least one entry", nameof(entries));
        }

        var fill = background ?? SKColors.White;
        var pictures = entries.Select(entry => entry.Image is null ? null : ToBitmap(entry.Image, fill)).ToList();
        try
        {
            var pictureWidth = Math.Max(MinimumCellWidth, pictures.Max(p => p?.Width ?? PlaceholderSize));
            var pictureHeight = pictures.Max(p => p?.Height ?? PlaceholderSize);
            using var font = new SKFont(Typeface.Value, TextSize);
            var captions = entries.Select(entry => Caption(entry, font, pictureWidth)).ToList();
            var captionHeight = captions.Max(lines => lines.Count) * LineHeight;
            var cellWidth = pictureWidth;
            var cellHeight = pictureHeight + 4 + captionHeight;
            var across = Math.Min(columns, entries.Count);
            var down = (entries.Count + across - 1) / across;
            var width = spacing + (across * (cellWidth + spacing));
            var height = spacing + (down * (cellHeight + spacing));

            using var sheet = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Opaque));
            using (var canvas = new SKCanvas(sheet))
            {
                canvas.Clear(fill);
                for (var i = 0; i < entries.Count; i++)
                {
                    var left = spacing + ((i % across) * (cellWidth + spacing));
                    var top = spacing + ((i / across) * (cellHeight + spacing));
                    DrawPicture(canvas, pictures[i], left, top, pictureWidth, pictureHeight);
                    DrawCaption(canvas, font, captions[i], left, top + pictureHeight + 4);
                }
            }

            using var pixmap = sheet.PeekPixels();
            using var png = pixmap.Encode(new SKPngEncoderOptions(SKPngEncoderFilterFlags.AllFilters, 6));
            return png?.ToArray() ?? throw new InvalidOperationException("the contact sheet could not be encoded");
        }
        finally
        {
            foreach (var picture in pictures)
            {
                picture?.Dispose();
            }
        }
    }

    private static void DrawPicture(SKCanvas canvas, SKBitmap? picture, int left, int top, int areaWidth, int areaHeight)
    {
        if (picture is null)
        {
            var x = left + ((areaWidth - PlaceholderSize) / 2);
            var y = top + ((areaHeight - PlaceholderSize) / 2);
            using var box = new SKPaint { Color = new SKColor(0xEE, 0xEE, 0xEE) };
            using var cross = new SKPaint { Color = new SKColor(0xBB, 0x00, 0x00), StrokeWidth = 3, IsStroke = true, IsAntialias = true };
            canvas.DrawRect(x, y, PlaceholderSize, PlaceholderSize, box);
            canvas.DrawLine(x + 24, y + 24, x + PlaceholderSize - 24, y + PlaceholderSize - 24, cross);
            canvas.DrawLine(x + PlaceholderSize - 24, y + 24, x + 24, y + PlaceholderSize - 24, cross);
            return;
        }

        using var image = SKImage.FromBitmap(picture);
        canvas.DrawImage(
            image,
            left + ((areaWidth - picture.Width) / 2),
            top + ((areaHeight - picture.Height) / 2),
            new SKSamplingOptions(SKFilterMode.Nearest));
    }

    private static void DrawCaption(SKCanvas canvas, SKFont font, List<(string Text, bool Alert)> lines, int left, int top)
    {
        using var dark = new SKPaint { Color = new SKColor(0x22, 0x22, 0x22), IsAntialias = true };
        using var red = new SKPaint { Color = new SKColor(0xBB, 0x00, 0x00), IsAntialias = true };
        for (var i = 0; i < lines.Count; i++)
        {
            canvas.DrawText(lines[i].Text, left, top + ((i + 1) * LineHeight) - 3, SKTextAlign.Left, font, lines[i].Alert ? red : dark);
        }
    }

    // Name wrapped over at most two lines, then the outcome, then the reason over at most three; the outcome and
    // reason are red unless the file completed (or was a harmless duplicate).
    private static List<(string Text, bool Alert)> Caption(ContactSheetEntry entry, SKFont font, int width)
    {
        var alert = !(string.Equals(entry.Outcome, "COMPLETED", StringComparison.OrdinalIgnoreCase)
            || string.Equals(entry.Outcome, "DUPLICATE", StringComparison.OrdinalIgnoreCase));
        var lines = Wrap(entry.Name, font, width, 2).Select(line => (line, false)).ToList();
        lines.Add((entry.Outcome, alert));
        if (!string.IsNullOrWhiteSpace(entry.Reason))
        {
            lines.AddRange(Wrap(entry.Reason, font, width, MaxReasonLines).Select(line => (line, alert)));
        }

        return lines;
    }

    private static List<string> Wrap(string text, SKFont font, int width, int maxLines)
    {
        var lines = new List<string>();
        var rest = text.Replace('\n', ' ');
        while (rest.Length > 0 && lines.Count < maxLines)
        {
            var fits = Math.Max(1, (int)font.BreakText(rest, width));
            if (lines.Count == maxLines - 1 && fits < rest.Length)
            {
                var cut = Math.Max(1, (int)font.BreakText(rest, width - font.MeasureText("…")));
                lines.Add(rest[..cut] + "…");
                return lines;
            }

            lines.Add(rest[..fits]);
            rest = rest[fits..];
        }

        return lines;
    }

    // Any format libvips reads (AVIF thumbnails included), shown as a viewer would: upright, sRGB, alpha on the background.
    private static SKBitmap ToBitmap(byte[] encoded, SKColor background)
    {
        using var display = DisplayDecoder.Decode(encoded, [background.Red, background.Green, background.Blue], nameof(encoded));
        using var rgb = display.Bands == 1 ? display.Colourspace(Enums.Interpretation.Srgb) : display.Copy();
        using var rgba = rgb.BandjoinConst([255]);
        var pixels = rgba.WriteToMemory<byte>();
        var bitmap = new SKBitmap(new SKImageInfo(rgba.Width, rgba.Height, SKColorType.Rgba8888, SKAlphaType.Opaque));
        System.Runtime.InteropServices.Marshal.Copy(pixels, 0, bitmap.GetPixels(), pixels.Length);
        return bitmap;
    }

    private static SKTypeface LoadTypeface()
    {
        using var stream = typeof(ContactSheet).Assembly.GetManifestResourceStream("ImagePattern.Imaging.Tooling.Fonts.DejaVuSansMono.ttf")
            ?? throw new InvalidOperationException("the embedded contact-sheet font is missing");
        return SKTypeface.FromStream(stream) ?? throw new InvalidOperationException("the embedded contact-sheet font cannot be read");
    }
}
