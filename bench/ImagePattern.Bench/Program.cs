using ImagePattern.Bench;

// Each subcommand is one benchmark case family driven by bench/run.py; later cases add their own.
return args switch
{
    ["thumbnails", .. var rest] => ThumbnailsCommand.Run(rest),
    ["version"] => PrintVersion(),
    _ => Usage(),
};

static int PrintVersion()
{
    Console.WriteLine($"libvips {ImagePattern.Imaging.VipsThumbnailer.LibVipsVersion}");
    return 0;
}

static int Usage()
{
    Console.Error.WriteLine("usage: ImagePattern.Bench thumbnails --out DIR [--box 512] [--quality 80] [--rounds 1] FILE...");
    Console.Error.WriteLine("       ImagePattern.Bench version");
    return 2;
}
