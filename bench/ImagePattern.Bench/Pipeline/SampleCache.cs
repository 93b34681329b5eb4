using ImagePattern.Imaging.Tooling;

namespace ImagePattern.Bench.Pipeline;

/// <summary>
/// Sample pictures for the pipeline suites, made by <see cref="SampleImages"/> once and kept under the work folder:
/// a 24 MP picture takes seconds to generate, which would otherwise be paid on every run.
/// </summary>
internal sealed class SampleCache(string? directory)
{
    public byte[] Jpeg(int width, int height, int seed)
    {
        var options = new SampleImageOptions { Seed = seed };
        if (directory is null)
        {
            return SampleImages.Create(width, height, SampleFormat.Jpeg, options);
        }

        var path = Path.Combine(directory, $"{width}x{height}-q{options.Quality}-seed{seed}.jpg");
        if (File.Exists(path))
        {
            return File.ReadAllBytes(path);
        }

        var data = SampleImages.Create(width, height, SampleFormat.Jpeg, options);
        Directory.CreateDirectory(directory);
        // Staged, so an interrupted run never leaves half a picture behind.
        var staged = path + ".partial";
        File.WriteAllBytes(staged, data);
        File.Move(staged, path, overwrite: true);
        return data;
    }
}
