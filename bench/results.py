"""bench/latest.json: merging cases into it and rendering bench/latest.md from it.

Every benchmark suite (thumbnails now; end-to-end throughput and cold start later) writes its
cases through merge(), which replaces only the cases with the same (input, tool) key and keeps
the rest, so suites can run separately. latest.md is always rendered from the whole JSON file.

    python3 bench/results.py merge CASES.json [--suite NAME]   # merge {"cases": [...], "meta": {...}}
    python3 bench/results.py render                            # rewrite latest.md from latest.json
"""

import json
import os
import sys
import tempfile

BENCH = os.path.dirname(os.path.abspath(__file__))
LATEST_JSON = os.path.join(BENCH, "latest.json")
LATEST_MD = os.path.join(BENCH, "latest.md")

THUMBNAIL_INPUTS = ["jpeg-24mp", "jpeg-12mp", "png-24mp", "jpeg-24mp-progressive"]
THUMBNAIL_TOOLS = ["imagepattern", "sharp", "pillow", "imagemagick", "vipsthumbnail", "djpeg"]
QUALITY_PEERS = ["sharp", "pillow", "imagemagick", "vipsthumbnail"]  # djpeg only decodes


def load(path=LATEST_JSON):
    if not os.path.exists(path):
        return {"cases": [], "meta": {}}
    with open(path, encoding="utf-8") as f:
        doc = json.load(f)
    doc.setdefault("cases", [])
    doc.setdefault("meta", {})
    return doc


def merge(new_cases, suite, meta=None, path=LATEST_JSON):
    """Replaces cases whose (input, tool) matches a new one, keeps all others, stores meta under meta[suite]."""
    doc = load(path)
    for case in new_cases:
        case.setdefault("suite", suite)
    fresh = {(c["input"], c["tool"]) for c in new_cases}
    kept = [c for c in doc["cases"] if (c.get("input"), c.get("tool")) not in fresh]
    doc["cases"] = sorted(kept + list(new_cases), key=_case_order)
    if meta is not None:
        doc["meta"][suite] = meta
    _write_atomically(path, json.dumps(doc, indent=2) + "\n")
    return doc


def _case_order(case):
    def rank(value, order):
        return order.index(value) if value in order else len(order)

    return (case.get("suite", ""), rank(case.get("input"), THUMBNAIL_INPUTS), case.get("input", ""),
            rank(case.get("tool"), THUMBNAIL_TOOLS), case.get("tool", ""))


def _write_atomically(path, text):
    fd, tmp = tempfile.mkstemp(dir=os.path.dirname(path), prefix=".tmp-")
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(tmp, path)


# ---------------------------------------------------------------- rendering

def _fmt(value, digits=1):
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return str(value)


def _find(cases, input_name, tool):
    for case in cases:
        if case.get("input") == input_name and case.get("tool") == tool and case.get("status") == "ok":
            return case
    return None


def thumbnail_targets(cases, input_name="jpeg-24mp"):
    """The issue's targets on one input: list of (target, measured, verdict) where verdict is met / not met / not measured."""
    ours = _find(cases, input_name, "imagepattern")
    rows = []

    def speed(peer, factor):
        theirs = _find(cases, input_name, peer)
        label = f"images/s ≥ {factor:.1f}× {peer}"
        if not ours or not theirs or not ours.get("images_per_s") or not theirs.get("images_per_s"):
            rows.append((label, "–", "not measured"))
            return
        ratio = ours["images_per_s"] / theirs["images_per_s"]
        rows.append((label, f"{ratio:.2f}×", "met" if ratio >= factor else "not met"))

    speed("sharp", 1.0)
    speed("pillow", 1.0)
    speed("imagemagick", 5.0)

    peers = [c for c in (_find(cases, input_name, p) for p in QUALITY_PEERS) if c and c.get("psnr_db") is not None]
    if ours and ours.get("psnr_db") is not None and peers:
        best = max(peers, key=lambda c: c["psnr_db"])
        gap = ours["psnr_db"] - best["psnr_db"]
        rows.append((f"PSNR within 0.5 dB of the best peer ({best['tool']} {best['psnr_db']:.2f} dB)",
                     f"{ours['psnr_db']:.2f} dB ({gap:+.2f})", "met" if gap >= -0.5 else "not met"))
    else:
        rows.append(("PSNR within 0.5 dB of the best peer", "–", "not measured"))

    if ours and ours.get("peak_rss_mb") is not None:
        rows.append(("peak RSS < 150 MB", f"{ours['peak_rss_mb']:.1f} MB", "met" if ours["peak_rss_mb"] < 150 else "not met"))
    else:
        rows.append(("peak RSS < 150 MB", "–", "not measured"))

    floor = _find(cases, input_name, "djpeg")
    if ours and floor and ours.get("images_per_s") and floor.get("images_per_s"):
        times = floor["images_per_s"] / ours["images_per_s"]  # our time per image over djpeg's
        rows.append(("time per image ≤ 1.5× the djpeg -scale 1/8 floor", f"{times:.2f}×", "met" if times <= 1.5 else "not met"))
    else:
        rows.append(("time per image ≤ 1.5× the djpeg -scale 1/8 floor", "–", "not measured"))
    return rows


def _thumbnail_section(doc):
    cases = [c for c in doc["cases"] if c.get("suite") == "thumbnails"]
    if not cases:
        return []
    meta = doc["meta"].get("thumbnails", {})
    lines = ["## Thumbnails: 512 px box, JPEG q80, one core", ""]
    if meta:
        lines.append(f"Run {meta.get('timestamp', '?')} on {meta.get('machine', {}).get('cpu', '?')} "
                     f"(load average at start {meta.get('machine', {}).get('load_average_start', '?')}); "
                     f"batches of {', '.join(f'{k} {v}' for k, v in meta.get('batch_sizes', {}).items())} images. "
                     f"images/s and ms per MP come from the {meta.get('settings', {}).get('clock', 'cpu')} time of the tool "
                     "process over its best timed pass; wall ms per image is shown beside it. "
                     "PSNR: each output against a Lanczos resize of the fully decoded source to the same size (RGB, mean over the batch).")
        lines.append("")
    lines += ["| input | tool | images/s | ms per MP | wall ms per image | peak RSS (MB) | PSNR (dB) | output | status |",
              "|---|---|--:|--:|--:|--:|--:|---|---|"]
    for c in cases:
        status = c.get("status", "ok")
        if c.get("note") and status != "ok":
            status = f"{status}: {c['note']}"
        size = c.get("output_size") or "–"
        if c.get("dims_ok") is False:
            size += " (unexpected size)"
        lines.append(f"| {c['input']} | {c['tool']} | {_fmt(c.get('images_per_s'), 2)} | {_fmt(c.get('ms_per_mp'), 2)} | "
                     f"{_fmt(c.get('wall_ms_per_image'))} | "
                     f"{_fmt(c.get('peak_rss_mb'))} | {_fmt(c.get('psnr_db'), 2)} | {size} | {status} |")

    ours = _find(cases, "jpeg-24mp", "imagepattern")
    lines += ["", "### imagepattern vs each peer on jpeg-24mp (images/s ratio)", ""]
    if ours and ours.get("images_per_s"):
        lines += ["| peer | ratio |", "|---|--:|"]
        for tool in THUMBNAIL_TOOLS[1:]:
            theirs = _find(cases, "jpeg-24mp", tool)
            ratio = f"{ours['images_per_s'] / theirs['images_per_s']:.2f}×" if theirs and theirs.get("images_per_s") else "–"
            lines.append(f"| {tool} | {ratio} |")
    else:
        lines.append("imagepattern has no jpeg-24mp result yet.")

    lines += ["", "### Targets (issue 2, jpeg-24mp)", "", "| target | measured | verdict |", "|---|---|---|"]
    lines += [f"| {t} | {m} | {v} |" for t, m, v in thumbnail_targets(cases)]
    return lines


def _generic_section(suite, cases):
    keys = []
    for c in cases:
        keys += [k for k in c if k not in keys and k != "suite"]
    lines = [f"## {suite}", "", "| " + " | ".join(keys) + " |", "|" + "---|" * len(keys)]
    for c in cases:
        lines.append("| " + " | ".join(_fmt(c.get(k), 2) for k in keys) + " |")
    return lines


def render(doc):
    lines = ["# Benchmark results", "", "Generated by `make bench` from bench/latest.json; do not edit by hand.", ""]
    lines += _thumbnail_section(doc)
    others = {}
    for c in doc["cases"]:
        if c.get("suite") != "thumbnails":
            others.setdefault(c.get("suite", "other"), []).append(c)
    for suite, cases in others.items():
        lines += [""] + _generic_section(suite, cases)
    return "\n".join(lines) + "\n"


def write_markdown(doc, path=LATEST_MD):
    text = render(doc)
    _write_atomically(path, text)
    return text


def main(argv):
    if len(argv) >= 2 and argv[0] == "merge":
        with open(argv[1], encoding="utf-8") as f:
            incoming = json.load(f)
        suite = argv[argv.index("--suite") + 1] if "--suite" in argv else incoming.get("suite", "other")
        doc = merge(incoming["cases"], suite, incoming.get("meta"))
        write_markdown(doc)
    elif argv[:1] == ["render"]:
        write_markdown(load())
    else:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
