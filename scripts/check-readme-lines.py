#!/usr/bin/env python3
"""Fails when a README line is longer than the limit, so the README stays a page one reads, not a reference.

    python3 scripts/check-readme-lines.py [--max N] [FILE ...]     (default: README.md, 200 characters)

Lines inside fenced code blocks (a picture or a shell session keeps its own width) and inside generated blocks
(between <!-- NAME:start --> and <!-- NAME:end -->, which `make bench` writes) are not counted. Characters, not
bytes: an arrow is one. Exit 1 naming every long line as FILE:LINE: N characters.
"""

import argparse
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
GENERATED_START = re.compile(r"<!-- ([\w-]+):start -->")


def long_lines(lines, limit):
    """(line number, length) of every counted line longer than limit."""
    fence, generated, found = None, None, []
    for number, line in enumerate(lines, 1):
        stripped = line.strip()
        if generated:
            if stripped == f"<!-- {generated}:end -->":
                generated = None
            continue
        if fence:
            if stripped.startswith(fence):
                fence = None
            continue
        if stripped.startswith(("```", "~~~")):
            fence = stripped[:3]
            continue
        start = GENERATED_START.fullmatch(stripped)
        if start:
            generated = start.group(1)
            continue
        if len(line) > limit:
            found.append((number, len(line)))
    return found


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max", type=int, default=200)
    parser.add_argument("files", nargs="*", default=[os.path.join(ROOT, "README.md")])
    args = parser.parse_args(argv)
    failed = 0
    for path in args.files:
        with open(path, encoding="utf-8") as f:
            lines = f.read().splitlines()
        for number, length in long_lines(lines, args.max):
            print(f"{path}:{number}: {length} characters (at most {args.max} outside code and generated blocks)")
            failed += 1
    if failed:
        print(f"readme lines: {failed} too long")
        return 1
    print(f"readme lines: none over {args.max} characters in {', '.join(os.path.relpath(p) for p in args.files)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
