using System.Globalization;
using ImagePattern.Imaging.Tooling;

namespace ImagePattern.Bench;

/// <summary>
/// PSNR of each output against its reference, with the one PSNR the project has
/// (<see cref="ImageComparison.Psnr"/>, also used by the engines' contract tests), so bench/run.py needs no second
/// implementation. Arguments are REFERENCE OUTPUT pairs; prints one line per pair: the PSNR in dB, or <c>inf</c>
/// when the pixels are identical.
/// </summary>
internal static class PsnrCommand
{
    public static int Run(string[] args)
    {
        if (args.Length == 0 || args.Length % 2 != 0)
        {
            Console.Error.WriteLine("psnr needs REFERENCE OUTPUT pairs");
            return 2;
        }

        for (var i = 0; i < args.Length; i += 2)
        {
            var db = ImageComparison.Psnr(File.ReadAllBytes(args[i]), File.ReadAllBytes(args[i + 1]));
            Console.WriteLine(double.IsPositiveInfinity(db) ? "inf" : db.ToString("R", CultureInfo.InvariantCulture));
        }

        return 0;
    }
}
