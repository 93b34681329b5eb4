using Spectre.Console;

namespace ImagePattern.Tool.Local;

/// <summary>
/// The console <c>local</c> writes to. On a terminal: colour and a live progress display. When stdout is redirected
/// (logs, CI) or <c>NO_COLOR</c> is set (https://no-color.org): no ANSI escape sequences at all, and progress as plain
/// lines, one per change.
/// </summary>
public static class ReportConsole
{
    /// <summary>Whether colour and live redrawing are off for the process's stdout and environment.</summary>
    public static bool IsPlain(bool outputRedirected, string? noColor) => outputRedirected || !string.IsNullOrEmpty(noColor);

    /// <summary>The console for the current process.</summary>
    public static IAnsiConsole ForProcess() =>
        Create(Console.Out, IsPlain(Console.IsOutputRedirected, Environment.GetEnvironmentVariable("NO_COLOR")));

    /// <summary>A console on <paramref name="output"/>; <paramref name="plain"/> turns every escape sequence off.</summary>
    public static IAnsiConsole Create(TextWriter output, bool plain)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Ansi = plain ? AnsiSupport.No : AnsiSupport.Detect,
            ColorSystem = plain ? ColorSystemSupport.NoColors : ColorSystemSupport.Detect,
            Interactive = plain ? InteractionSupport.No : InteractionSupport.Detect,
        });
        if (plain)
        {
            // A log has no window: 80 columns would wrap keys and reasons over lines, where grep cannot find them.
            console.Profile.Width = PlainWidth;
        }

        return console;
    }

    /// <summary>Columns of a plain console's lines.</summary>
    public const int PlainWidth = 400;

    /// <summary>Whether <paramref name="console"/> can redraw a live progress display.</summary>
    public static bool CanRedraw(IAnsiConsole console)
    {
        ArgumentNullException.ThrowIfNull(console);
        return console.Profile.Capabilities.Ansi && console.Profile.Capabilities.Interactive;
    }

    /// <summary>Prints the report table (one column per other consumer that ran) and the totals line.</summary>
    public static void WriteSummary(IAnsiConsole console, RunReport result)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(result);
        var consumers = result.Entries.SelectMany(e => e.Consumers?.Keys ?? []).Distinct(StringComparer.Ordinal).ToList();
        var table = new Table().AddColumn("key").AddColumn("status").AddColumn("expected").AddColumn("thumbnails");
        foreach (var consumer in consumers)
        {
            table.AddColumn(consumer.EscapeMarkup());
        }

        table.AddColumn("error / reason");
        foreach (var entry in result.Entries)
        {
            var colour = entry.AsExpected ? "green" : "red";
            var cells = new List<string>
            {
                Printable(entry.Key).EscapeMarkup(),
                $"[{colour}]{entry.Status}[/]",
                entry.Expected,
                string.Join(", ", entry.Outputs.Select(o => $"{o.Width}x{o.Height} {o.Format} {o.Bytes} B")).EscapeMarkup(),
            };
            foreach (var consumer in consumers)
            {
                cells.Add(entry.Consumers?.GetValueOrDefault(consumer) switch
                {
                    null => "",
                    { Status: Expected.Completed } c => $"{c.Status} {Summary(c.Result)}".TrimEnd().EscapeMarkup(),
                    { } c => c.Status.EscapeMarkup(),
                });
            }

            var consumerError = entry.Consumers?.Values.Select(c => c.Error).FirstOrDefault(e => e is not null);
            cells.Add(Printable(entry.Error ?? entry.Reason ?? consumerError ?? "").EscapeMarkup());
            table.AddRow(cells.ToArray());
        }

        console.Write(table);
        console.MarkupLine((string.Join("  ", result.Totals.OrderBy(t => t.Key, StringComparer.Ordinal).Select(t => $"{t.Key}: {t.Value}")) + $"  dead-lettered: {result.DeadLettered}").EscapeMarkup());
    }

    /// <summary>
    /// <paramref name="text"/> with every control character written as an escape (<c>\n</c>, <c>\t</c>, <c>\r</c>,
    /// else <c>\u</c> and four hex digits), so a key with a newline keeps its table row on one line.
    /// </summary>
    public static string Printable(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!text.Any(char.IsControl))
        {
            return text;
        }

        var printable = new System.Text.StringBuilder(text.Length + 8);
        foreach (var c in text)
        {
            printable.Append(c switch
            {
                '\n' => "\\n",
                '\t' => "\\t",
                '\r' => "\\r",
                _ when char.IsControl(c) => $"\\u{(int)c:x4}",
                _ => c.ToString(),
            });
        }

        return printable.ToString();
    }

    /// <summary>A consumer's result in one cell: <c>name=value</c> pairs, long values (hashes) cut to their start.</summary>
    public static string Summary(IReadOnlyDictionary<string, string> result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return string.Join(' ', result.Select(field => $"{field.Key}={(field.Value.Length > MaxValueLength ? field.Value[..(MaxValueLength - 1)] + "…" : field.Value)}"));
    }

    private const int MaxValueLength = 16;
}
