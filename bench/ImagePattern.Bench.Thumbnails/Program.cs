using ImagePattern.Bench;

// bench/run.py's thumbnail peer for both engines: `imagepattern-thumbnails --engine skia|libvips --out DIR ... FILE...`.
return ThumbnailsCommand.Run(args);
