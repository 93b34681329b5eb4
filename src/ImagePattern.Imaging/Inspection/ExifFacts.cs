using System.Globalization;
using MetadataExtractor;
using MetadataExtractor.Formats.Exif;

namespace ImagePattern.Imaging.Inspection;

/// <summary>The EXIF facts the inspector reports, read with MetadataExtractor (Apache-2.0; works under Native AOT).</summary>
/// <param name="CapturedAt">DateTimeOriginal with OffsetTimeOriginal, or null.</param>
/// <param name="Make">IFD0 Make, or null.</param>
/// <param name="Model">IFD0 Model, or null.</param>
/// <param name="HasGps">A GPS IFD with more than its version tag.</param>
/// <remarks>The orientation is not read here: <see cref="ExifOrientation"/> is the one reader for it.</remarks>
internal sealed record ExifFacts(CaptureTime? CapturedAt, string? Make, string? Model, bool HasGps)
{
    public static readonly ExifFacts None = new(null, null, null, false);

    /// <summary>
    /// Reads the metadata blocks of <paramref name="source"/> (JPEG segments up to the scan, PNG/WebP/HEIF boxes).
    /// A broken or unknown block gives <see cref="None"/>: metadata is a description, and the pixels decide whether
    /// the file is an image.
    /// </summary>
    public static ExifFacts Read(ReadOnlyMemory<byte> source)
    {
        IReadOnlyList<MetadataExtractor.Directory> directories;
        try
        {
            using var stream = new ReadOnlyMemoryStream(source);
            directories = ImageMetadataReader.ReadMetadata(stream);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Whatever a crafted block makes the parser throw, the bytes stay the same: retrying cannot help, so the
            // facts are absent rather than the task being handed back until it lands in the DLQ.
            return None;
        }

        // The first IFD0 is the main image's; IFD1 (the embedded thumbnail) is a separate directory type and is not read.
        var ifd0 = directories.OfType<ExifIfd0Directory>().FirstOrDefault();
        var subIfd = directories.OfType<ExifSubIfdDirectory>().FirstOrDefault();
        var gps = directories.OfType<GpsDirectory>().FirstOrDefault();

        return new ExifFacts(
            subIfd is null ? null : CaptureTimeOf(subIfd),
            Text(ifd0, ExifDirectoryBase.TagMake),
            Text(ifd0, ExifDirectoryBase.TagModel),
            gps is not null && gps.Tags.Any(t => t.Type != GpsDirectory.TagVersionId));
    }

    private static CaptureTime? CaptureTimeOf(ExifSubIfdDirectory directory)
    {
        // EXIF writes "YYYY:MM:DD HH:MM:SS"; cameras without a clock write blanks or zeros, which parse as nothing.
        var raw = Text(directory, ExifDirectoryBase.TagDateTimeOriginal);
        if (raw is null || !DateTime.TryParseExact(raw, "yyyy:MM:dd HH:mm:ss", CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
        {
            return null;
        }

        // OffsetTimeOriginal (EXIF 2.31): "+HH:MM" or "-HH:MM".
        TimeSpan? offset = null;
        var rawOffset = Text(directory, ExifDirectoryBase.TagTimeZoneOriginal);
        if (rawOffset is { Length: 6 } && rawOffset[0] is '+' or '-'
            && TimeSpan.TryParseExact(rawOffset[1..], @"hh\:mm", CultureInfo.InvariantCulture, out var magnitude)
            && magnitude <= TimeSpan.FromHours(14))
        {
            offset = rawOffset[0] == '-' ? -magnitude : magnitude;
        }

        return new CaptureTime(DateTime.SpecifyKind(local, DateTimeKind.Unspecified), offset);
    }

    private static string? Text(MetadataExtractor.Directory? directory, int tag)
    {
        var value = directory?.GetString(tag)?.Trim().TrimEnd('\0').Trim();
        return string.IsNullOrEmpty(value) ? null : value;
    }
}

/// <summary>A read-only, seekable stream over memory, so the bytes are not copied to be parsed.</summary>
internal sealed class ReadOnlyMemoryStream(ReadOnlyMemory<byte> memory) : Stream
{
    private int position;

    public override bool CanRead => true;

    public override bool CanSeek => true;

    public override bool CanWrite => false;

    public override long Length => memory.Length;

    public override long Position
    {
        get => position;
        set => position = (int)Math.Clamp(value, 0, memory.Length);
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var n = Math.Min(buffer.Length, memory.Length - position);
        memory.Span.Slice(position, n).CopyTo(buffer);
        position += n;
        return n;
    }

    public override long Seek(long offset, SeekOrigin origin)
    {
        Position = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => position + offset,
            _ => memory.Length + offset,
        };
        return position;
    }

    public override void Flush()
    {
    }

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
