"""Pillow peer: Image.thumbnail over a batch of files in this one process; prints its timings as JSON.

    /usr/bin/python3 bench/peers/pillow.py --out DIR --box 512 --quality 80 --rounds 3 FILE...

Same contract as the other in-process peers (see bench/README.md, "Peer protocol").
Image.thumbnail uses its defaults: JPEG draft mode (DCT scaling) then a reducing resize.
"""

import argparse
import json
import os
import time

from PIL import Image, ImageOps


def one_pass(files, out_dir, box, quality):
    """Wall and CPU (process-wide) milliseconds of one pass over the batch."""
    started, cpu = time.perf_counter(), time.process_time()
    for path in files:
        name = os.path.splitext(os.path.basename(path))[0] + ".jpg"
        with Image.open(path) as im:
            im.thumbnail((box, box))
            # Orientation after the shrink, so it costs a 512 px rotate, not a 24 MP one.
            im = ImageOps.exif_transpose(im)
            if im.mode != "RGB":
                im = im.convert("RGB")
            im.save(os.path.join(out_dir, name), "JPEG", quality=quality)
    return (time.perf_counter() - started) * 1000, (time.process_time() - cpu) * 1000


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", required=True)
    parser.add_argument("--box", type=int, default=512)
    parser.add_argument("--quality", type=int, default=80)
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("files", nargs="+")
    args = parser.parse_args()
    warmup, _ = one_pass(args.files, args.out, args.box, args.quality)
    rounds = [one_pass(args.files, args.out, args.box, args.quality) for _ in range(args.rounds)]
    print(json.dumps({"warmup_ms": warmup, "rounds_ms": [w for w, _ in rounds], "rounds_cpu_ms": [c for _, c in rounds]}))


if __name__ == "__main__":
    main()
