using System.Drawing;
using ImagePattern.Imaging.LibVips;

namespace ImagePattern.Imaging.Tooling;

/// <summary>Lays encoded images out on a grid and encodes the sheet as one PNG.</summary>
public static class ContactSheet
{
    /// <summary>
    /// Places <paramref name="images"/> left to right, top to bottom, <paramref name="columns"/> per row,
    /// each centred in a cell as large as the largest image, with <paramref name="spacing"/> pixels between
    /// cells and around the edge. Transparent areas show <paramref name="background"/> (white by default).
    /// </summary>
    /// <exception cref="ArgumentException">No images, or one is not a decodable image.</exception>
    public static byte[] Compose(IReadOnlyList<byte[]> images, int columns, Color? background = null, int spacing = 8)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentOutOfRangeException.ThrowIfLessThan(columns, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(spacing);
        if (images.Count == 0)
        {
            throw new ArgumentException("a contact sheet needs at least one image", nameof(images));
        }

        var colour = background ?? Color.White;
        double[] fill = [colour.R, colour.G, colour.B];
        var decoded = new List<VipsImage>(images.Count);
        try
        {
            foreach (var image in images)
            {
                decoded.Add(DisplayDecoder.Decode(image, fill, nameof(images)));
            }

            using var grid = VipsOperation.Run("arrayjoin", op => op
                .Set("in", decoded)
                .Set("across", Math.Min(columns, decoded.Count))
                .Set("shim", spacing)
                .Set("background", fill)
                .SetEnum("halign", "centre")
                .SetEnum("valign", "centre"));
            using var framed = VipsOperation.Run("embed", op => op
                .Set("in", grid)
                .Set("x", spacing)
                .Set("y", spacing)
                .Set("width", grid.Width + (2 * spacing))
                .Set("height", grid.Height + (2 * spacing))
                .SetEnum("extend", "background")
                .Set("background", fill));
            using var save = VipsOperation.Create("pngsave_buffer").Set("in", framed).SetEnum("keep", "none").Build();
            return save.GetBytes("buffer");
        }
        finally
        {
            foreach (var image in decoded)
            {
                image.Dispose();
            }
        }
    }
}
