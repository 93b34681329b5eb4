using ImagePattern.Bench;
using ImagePattern.Bench.Pipeline;

// Each subcommand is one benchmark case family driven by bench/run.py (metadata, psnr) or bench/pipeline.py (the rest).
// The thumbnails suite runs the engines in bench/ImagePattern.Bench.Thumbnails, published with Native AOT as the function is.
using var stopping = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    // Stop cleanly so the local stack is shut down by its owner rather than left behind.
    e.Cancel = true;
    stopping.Cancel();
};

try
{
    return args switch
    {
        ["metadata", .. var rest] => MetadataCommand.Run(rest),
        ["psnr", .. var rest] => PsnrCommand.Run(rest),
        ["cold-start", .. var rest] => await ColdStartCommand.RunAsync(rest, stopping.Token),
        ["cold-start-child", .. var rest] => await ColdStartChild.RunAsync(rest, stopping.Token),
        ["handler-overhead", .. var rest] => await HandlerOverheadCommand.RunAsync(rest, stopping.Token),
        ["end-to-end", .. var rest] => await EndToEndCommand.RunAsync(rest, stopping.Token),
        ["poller-overhead", .. var rest] => await PollerOverheadCommand.RunAsync(rest, stopping.Token),
        ["version"] => PrintVersion(),
        _ => Usage(),
    };
}
catch (ArgumentException bad)
{
    Console.Error.WriteLine(bad.Message);
    return Usage();
}

static int PrintVersion()
{
    Console.WriteLine($"libvips {ImagePattern.Imaging.LibVips.VipsThumbnailer.LibVipsVersion} (NetVips), SkiaSharp {typeof(SkiaSharp.SKBitmap).Assembly.GetName().Version}");
    return 0;
}

static int Usage()
{
    Console.Error.WriteLine("usage: ImagePattern.Bench metadata [--rounds 3] FILE...   (inspection vs thumbnail, same files, same process)");
    Console.Error.WriteLine("       ImagePattern.Bench psnr REFERENCE OUTPUT [REFERENCE OUTPUT ...]   (one PSNR in dB per pair)");
    Console.Error.WriteLine("       ImagePattern.Bench cold-start [--runs 7] [--size 1600x1200] [--work DIR] [--samples DIR]");
    Console.Error.WriteLine("       ImagePattern.Bench handler-overhead [--serial 60] [--batches 10] [--stages 30] [--size 1600x1200] [--samples DIR]");
    Console.Error.WriteLine("       ImagePattern.Bench end-to-end [--trickle 20] [--small 1000] [--large 100] [--small-size 640x480] [--large-size 6000x4000]");
    Console.Error.WriteLine("                  [--upload-concurrency 8] [--timeout 300] [--samples DIR]");
    Console.Error.WriteLine("       ImagePattern.Bench poller-overhead [--messages 2000]");
    Console.Error.WriteLine("       ImagePattern.Bench version");
    Console.Error.WriteLine("The pipeline suites start their own local stack and print one JSON line of raw measurements; --samples keeps generated pictures.");
    return 2;
}
