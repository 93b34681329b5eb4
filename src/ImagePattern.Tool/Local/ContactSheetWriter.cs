using System.Net;
using System.Text;
using Amazon.S3.Model;

namespace ImagePattern.Tool.Local;

/// <summary>The contact sheet of a local run: an HTML page of the thumbnails (headed by the run picture, <c>run.png</c>, when it was written first), and one PNG (SkiaSharp) captioning every upload with its name and outcome.</summary>
public static class ContactSheetWriter
{
    /// <summary>The folder of downloaded thumbnails the HTML sheet shows, beside it.</summary>
    public const string ThumbnailFolder = "thumbnails";

    /// <summary>The HTML sheet's file name.</summary>
    public const string HtmlName = "contact-sheet.html";

    /// <summary>The PNG sheet's file name.</summary>
    public const string PngName = "contact-sheet.png";

    /// <summary>Downloads the largest thumbnail of every completed upload and writes <c>contact-sheet.html</c> and <c>.png</c>.</summary>
    public static async Task<(string Html, string Png)> WriteAsync(LocalPipeline pipeline, RunReport report, string directory, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(pipeline);
        ArgumentNullException.ThrowIfNull(report);
        var thumbnails = Path.Combine(directory, ThumbnailFolder);
        Directory.CreateDirectory(thumbnails);

        var html = new StringBuilder()
            .AppendLine("<!doctype html><meta charset=\"utf-8\"><title>ImagePattern contact sheet</title>")
            .AppendLine("<style>body{font-family:sans-serif;background:#fafafa}figure{display:inline-block;margin:8px;padding:8px;background:#fff;border:1px solid #ddd;vertical-align:top;max-width:540px}figcaption{font-size:12px;word-break:break-all}.FAILED{color:#b00}</style>")
            .AppendLine(System.Globalization.CultureInfo.InvariantCulture, $"<h1>ImagePattern contact sheet</h1><p>{report.Entries.Count} uploads in {report.WallSeconds} s</p>");
        if (File.Exists(Path.Combine(directory, RunPicture.RunPictureWriter.FileName)))
        {
            html.AppendLine(System.Globalization.CultureInfo.InvariantCulture, $"<p><img src=\"{RunPicture.RunPictureWriter.FileName}\" style=\"max-width:100%\" alt=\"The run: uploads and ended tasks over time, and the notification latency with p50 and p95, per consumer\"></p>");
        }

        var cells = new List<Imaging.Tooling.ContactSheetEntry>();
        var index = 0;
        foreach (var entry in report.Entries)
        {
            var largest = entry.Outputs.OrderByDescending(o => (long)o.Width * o.Height).FirstOrDefault();
            html.Append(System.Globalization.CultureInfo.InvariantCulture, $"<figure class=\"{entry.Status}\">");
            byte[]? picture = null;
            if (largest is not null)
            {
                using var response = await pipeline.S3.GetObjectAsync(
                    new GetObjectRequest { BucketName = pipeline.Layout.OutputBucket, Key = largest.Key }, cancellationToken);
                using var buffer = new MemoryStream();
                await response.ResponseStream.CopyToAsync(buffer, cancellationToken);
                var bytes = buffer.ToArray();
                picture = bytes;
                // Flat, numbered names: output keys may hold characters a browser path would trip over.
                var file = $"{index++:D3}.{largest.Format}";
                await File.WriteAllBytesAsync(Path.Combine(thumbnails, file), bytes, cancellationToken);
                html.Append(System.Globalization.CultureInfo.InvariantCulture, $"<img src=\"thumbnails/{file}\" width=\"{largest.Width}\" height=\"{largest.Height}\" alt=\"\">");
            }

            // Every upload gets a cell in the PNG too, FAILED and SKIPPED ones with their reason.
            cells.Add(new Imaging.Tooling.ContactSheetEntry(entry.Key, entry.Status.ToString(), picture, entry.Error));
            html.Append(System.Globalization.CultureInfo.InvariantCulture, $"<figcaption>{WebUtility.HtmlEncode(entry.Key)}<br>{entry.Status}")
                .Append((entry.Error ?? entry.Reason) is { } why ? "<br>" + WebUtility.HtmlEncode(why) : "")
                .AppendLine("</figcaption></figure>");
        }

        var htmlPath = Path.Combine(directory, HtmlName);
        await File.WriteAllTextAsync(htmlPath, html.ToString(), cancellationToken);
        var pngPath = Path.Combine(directory, PngName);
        if (cells.Count > 0)
        {
            await File.WriteAllBytesAsync(pngPath, Imaging.Tooling.ContactSheet.Compose(cells, columns: 4), cancellationToken);
        }

        return (htmlPath, pngPath);
    }
}
