"""make bench: the thumbnail suite (the engine against sharp, Pillow, ImageMagick, vipsthumbnail and the
djpeg floor), the metadata suite (the metadata consumer's inspection against a thumbnail, same files), then the pipeline suites (cold start, handler overhead, end to end, poller overhead; pipeline.py).

    /usr/bin/python3 bench/run.py [--suites thumbnails,metadata,pipeline] [--inputs jpeg-24mp,png-24mp] [--tools sharp,pillow]
                                  [--metadata-files 2]

Thumbnails: makes deterministic inputs under bench/work/inputs (once), runs every tool over each batch
on one pinned core, measures time and peak RSS per tool process, scores every output by PSNR against a
reference made from the fully decoded source. Every suite merges its cases into bench/latest.json and
bench/latest.md is rendered from it. See bench/README.md for the method.
"""

import argparse
import dataclasses
import datetime
import functools
import hashlib
import json
import os
import re
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

sys.dont_write_bytecode = True  # no __pycache__ beside the sources
import pipeline  # noqa: E402
import results  # noqa: E402

BENCH = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(BENCH)
WORK = os.path.join(BENCH, "work")
INPUTS_DIR = os.path.join(WORK, "inputs")
OUT_DIR = os.path.join(WORK, "out")
REF_DIR = os.path.join(WORK, "ref")

BOX = 512
QUALITY = 80
CPU = os.environ.get("BENCH_CPU", "0")
SYSTEM_PYTHON = "/usr/bin/python3" if os.path.exists("/usr/bin/python3") else sys.executable
HARNESS_PROJECT = os.path.join(BENCH, "ImagePattern.Bench", "ImagePattern.Bench.csproj")
HARNESS_DLL = os.path.join(BENCH, "ImagePattern.Bench", "bin", "Release", "net10.0", "ImagePattern.Bench.dll")
# The engines' thumbnail peer, published with Native AOT as the function's bootstrap is: a JIT host would add its own
# runtime to the peak RSS and, having made its malloc arenas before the engine loads, keep the engine's arena cap
# from working (bench/README.md, "What runs").
THUMBNAILS_PROJECT = os.path.join(BENCH, "ImagePattern.Bench.Thumbnails", "ImagePattern.Bench.Thumbnails.csproj")
THUMBNAILS_DIR = os.path.join(WORK, "thumbnails-aot")
THUMBNAILS_BIN = os.path.join(THUMBNAILS_DIR, "imagepattern-thumbnails")

# One thread everywhere: each tool gets one core, as one Lambda image slot would.
SINGLE_THREAD_ENV = {
    "VIPS_CONCURRENCY": "1",
    "OMP_NUM_THREADS": "1",
    "MAGICK_THREAD_LIMIT": "1",
    "UV_THREADPOOL_SIZE": "1",
    "DOTNET_gcServer": "0",
    "DOTNET_CLI_TELEMETRY_OPTOUT": "1",
}


@dataclass(frozen=True)
class InputKind:
    name: str
    width: int
    height: int
    encoding: str  # gen-inputs.mjs format
    scenes: tuple  # one seed per file
    rounds: int  # timed passes over the batch; the best one is reported

    @property
    def extension(self):
        return "png" if self.encoding == "png" else "jpg"

    @property
    def megapixels(self):
        return self.width * self.height / 1e6

    def files(self):
        return [os.path.join(INPUTS_DIR, self.name, f"scene-{seed:03d}.{self.extension}") for seed in self.scenes]


# The 24 MP kinds share scenes: the same pictures, encoded three ways.
INPUTS = [
    InputKind("jpeg-24mp", 6000, 4000, "jpeg", tuple(range(1, 9)), rounds=3),
    InputKind("jpeg-12mp", 4000, 3000, "jpeg", tuple(range(101, 109)), rounds=3),
    InputKind("png-24mp", 6000, 4000, "png", tuple(range(1, 6)), rounds=2),
    InputKind("jpeg-24mp-progressive", 6000, 4000, "jpeg-progressive", tuple(range(1, 6)), rounds=2),
]
TOOLS = results.THUMBNAIL_TOOLS
SUITES = ["thumbnails", "metadata"] + pipeline.SUITES
# The metadata suite: the consumer's inspection against the thumbnailer on the same 24 MP JPEGs, same process.
METADATA_INPUT = "jpeg-24mp"


def log(message):
    print(f"bench: {message}", file=sys.stderr, flush=True)


# ---------------------------------------------------------------- inputs

def generate_inputs(kinds):
    """Generates missing inputs; regenerates everything when the generator or the plan changed."""
    with open(os.path.join(BENCH, "gen-inputs.mjs"), "rb") as f:
        plan = {"generator": hashlib.sha256(f.read()).hexdigest(),
                "inputs": [[k.name, k.width, k.height, k.encoding, list(k.scenes)] for k in INPUTS]}
    stamp = os.path.join(INPUTS_DIR, "stamp.json")
    try:
        with open(stamp, encoding="utf-8") as f:
            current = json.load(f) == plan
    except (OSError, ValueError):
        current = False
    if not current:
        shutil.rmtree(INPUTS_DIR, ignore_errors=True)
        shutil.rmtree(REF_DIR, ignore_errors=True)

    # Group by scene so that one generation writes every encoding of a picture.
    jobs = {}
    for kind in kinds:
        os.makedirs(os.path.join(INPUTS_DIR, kind.name), exist_ok=True)
        for seed, path in zip(kind.scenes, kind.files()):
            if not os.path.exists(path):
                job = jobs.setdefault((kind.width, kind.height, seed), [])
                job.append({"path": path, "format": kind.encoding})
    if jobs:
        log(f"generating {sum(len(o) for o in jobs.values())} input files (once; kept in bench/work/inputs)")
        started = time.perf_counter()

        def generate(item):
            (width, height, seed), outputs = item
            # Temporary names first, so that an interrupted run never leaves half a file behind.
            staged = [dict(o, path=o["path"] + ".partial") for o in outputs]
            spec = json.dumps({"width": width, "height": height, "seed": seed, "outputs": staged})
            subprocess.run(["node", os.path.join(BENCH, "gen-inputs.mjs"), spec], check=True, cwd=ROOT)
            for o in outputs:
                os.replace(o["path"] + ".partial", o["path"])

        with ThreadPoolExecutor(max_workers=2) as pool:
            list(pool.map(generate, sorted(jobs.items())))
        log(f"inputs ready in {time.perf_counter() - started:.0f} s")
    os.makedirs(INPUTS_DIR, exist_ok=True)
    with open(stamp, "w", encoding="utf-8") as f:
        json.dump(plan, f)


# ---------------------------------------------------------------- running tools

@dataclass
class ChildResult:
    wall_ms: float
    cpu_ms: float  # user + system, all threads
    max_rss_kb: int
    returncode: int
    stdout: str
    stderr: str


def run_child(argv, pin=True):
    """Runs one process pinned to one core; returns its wall time, CPU time and own peak RSS (from wait4)."""
    if pin and shutil.which("taskset"):
        argv = ["taskset", "-c", CPU] + argv
    env = dict(os.environ, **SINGLE_THREAD_ENV)
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        proc = subprocess.Popen(argv, stdout=out, stderr=err, env=env, cwd=ROOT)
        _, status, usage = os.wait4(proc.pid, 0)
        wall_ms = (time.perf_counter() - started) * 1000
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        # ru_maxrss is in KiB on Linux; taskset execs the tool, so this is the tool's own process.
        return ChildResult(wall_ms, (usage.ru_utime + usage.ru_stime) * 1000, usage.ru_maxrss, proc.returncode,
                           out.read().decode(errors="replace"), err.read().decode(errors="replace"))


class ToolFailed(Exception):
    pass


def check(result, what):
    if result.returncode != 0:
        tail = (result.stderr or result.stdout).strip().splitlines()[-3:]
        raise ToolFailed(f"{what} exited {result.returncode}: {' / '.join(tail)[:300]}")
    return result


def in_process(argv_prefix, files, out_dir, rounds):
    """A peer that loops over the batch itself: warm-up pass, then timed passes it reports as JSON."""
    args = ["--out", out_dir, "--box", str(BOX), "--quality", str(QUALITY), "--rounds", str(rounds)] + files
    result = check(run_child(argv_prefix + args), argv_prefix[0])
    timings = json.loads(result.stdout.strip().splitlines()[-1])
    return timings["rounds_ms"], timings["rounds_cpu_ms"], result.max_rss_kb


def process_per_file(make_argv, files, rounds):
    """A command that takes one file per process: each round is the sum of whole-process times."""
    check(run_child(make_argv(files[0])), "warm-up")  # page cache, dynamic loader
    wall, cpu, peak = [], [], 0
    for _ in range(rounds):
        results_ = [check(run_child(make_argv(path)), os.path.basename(path)) for path in files]
        wall.append(sum(r.wall_ms for r in results_))
        cpu.append(sum(r.cpu_ms for r in results_))
        peak = max([peak] + [r.max_rss_kb for r in results_])
    return wall, cpu, peak


def process_per_batch(make_argv, files, rounds):
    """A command that takes the whole batch in one process: each round is one whole-process time."""
    check(run_child(make_argv(files[:1])), "warm-up")
    wall, cpu, peak = [], [], 0
    for _ in range(rounds):
        result = check(run_child(make_argv(files)), "batch")
        wall.append(result.wall_ms)
        cpu.append(result.cpu_ms)
        peak = max(peak, result.max_rss_kb)
    return wall, cpu, peak


def out_path(out_dir, source):
    return os.path.join(out_dir, os.path.splitext(os.path.basename(source))[0] + ".jpg")


def measure(tool, kind, files, out_dir):
    """Returns (wall ms per round, CPU ms per round, peak RSS in KiB) for one tool over one batch."""
    if tool == "imagepattern":  # the default engine keeps the historic tool name
        return in_process([THUMBNAILS_BIN, "--engine", "skia"], files, out_dir, kind.rounds)
    if tool == "imagepattern-libvips":
        return in_process([THUMBNAILS_BIN, "--engine", "libvips"], files, out_dir, kind.rounds)
    if tool == "sharp":
        return in_process(["node", os.path.join(BENCH, "peers", "sharp.mjs")], files, out_dir, kind.rounds)
    if tool == "pillow":
        return in_process([SYSTEM_PYTHON, os.path.join(BENCH, "peers", "pillow.py")], files, out_dir, kind.rounds)
    if tool == "imagemagick":
        # One process per image, as `convert` is used; a 24 MP image costs it about a second, so one timed round.
        return process_per_file(
            lambda src: ["/usr/bin/convert", src, "-thumbnail", f"{BOX}x{BOX}", "-quality", str(QUALITY), out_path(out_dir, src)],
            files, 1)
    if tool == "vipsthumbnail":
        target = os.path.join(out_dir, f"%s.jpg[Q={QUALITY},strip]")
        return process_per_batch(lambda batch: ["vipsthumbnail", "--size", f"{BOX}x{BOX}", "-o", target] + batch,
                                 files, kind.rounds)
    if tool == "djpeg":
        return process_per_file(lambda src: ["djpeg", "-scale", "1/8", "-outfile", os.devnull, src], files, kind.rounds)
    raise ValueError(tool)


# ---------------------------------------------------------------- availability

@functools.cache  # once per run, whichever suites need it
def build_harness():
    """Builds the .NET harness; returns None when it is usable, or why not."""
    if not os.path.exists(HARNESS_PROJECT):
        return "missing", "bench/ImagePattern.Bench is not there"
    if not shutil.which("dotnet"):
        return "missing", "no dotnet on PATH"
    log_path = os.path.join(WORK, "imagepattern-build.log")
    with open(log_path, "w", encoding="utf-8") as f:
        built = subprocess.run(["dotnet", "build", HARNESS_PROJECT, "-c", "Release", "--nologo", "-v", "q"],
                               stdout=f, stderr=subprocess.STDOUT, cwd=ROOT)
    if built.returncode != 0 or not os.path.exists(HARNESS_DLL):
        return "error", "harness build failed (engine not ready?), see bench/work/imagepattern-build.log"
    return None


@functools.cache
def publish_thumbnails():
    """Publishes the Native AOT thumbnail peer for this machine; returns None when it is usable, or why not."""
    problem = build_harness()
    if problem:
        return problem
    rid = "linux-arm64" if platform.machine() in ("aarch64", "arm64") else "linux-x64"
    log_path = os.path.join(WORK, "thumbnails-publish.log")
    with open(log_path, "w", encoding="utf-8") as f:
        published = subprocess.run(["dotnet", "publish", THUMBNAILS_PROJECT, "-c", "Release", "-r", rid, "--nologo", "-v", "q",
                                    "-o", THUMBNAILS_DIR], stdout=f, stderr=subprocess.STDOUT, cwd=ROOT)
    if published.returncode != 0 or not os.path.exists(THUMBNAILS_BIN):
        return "error", "Native AOT publish of the thumbnail peer failed, see bench/work/thumbnails-publish.log"
    return None


def availability(tools):
    """tool -> None when runnable, else (status, note)."""
    def has(cmd):
        return subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode == 0

    found = {}
    for tool in tools:
        if tool in ("imagepattern", "imagepattern-libvips"):
            found[tool] = publish_thumbnails()
        elif tool == "sharp":
            ok = shutil.which("node") and has(["node", "-e", "require('sharp')"])
            found[tool] = None if ok else ("missing", "npm sharp not installed (make deps)")
        elif tool == "pillow":
            found[tool] = None if has([SYSTEM_PYTHON, "-c", "import PIL"]) else ("missing", "Debian python3-pil not installed")
        elif tool == "imagemagick":
            # Not `convert` from PATH: some machines put a stand-in in /usr/local/bin.
            found[tool] = None if os.access("/usr/bin/convert", os.X_OK) else ("missing", "Debian imagemagick not installed")
        elif tool == "vipsthumbnail":
            found[tool] = None if shutil.which("vipsthumbnail") else ("missing", "Debian libvips-tools not installed")
        elif tool == "djpeg":
            found[tool] = None if shutil.which("djpeg") else ("missing", "Debian libjpeg-turbo-progs not installed")
    return found


def engine_libvips():
    """The libvips build the libvips engine loads: NetVips.Native from NuGet, as pinned centrally."""
    arch = "arm64" if platform.machine() in ("aarch64", "arm64") else "x64"
    try:
        with open(os.path.join(ROOT, "Directory.Packages.props"), encoding="utf-8") as f:
            found = re.search(r'Include="NetVips\.Native\.linux-' + arch + r'" Version="\[([^\]]+)\]"', f.read())
        return f"NetVips.Native.linux-{arch} {found.group(1)}" if found else None
    except OSError:
        return None


def versions():
    def first_line(cmd):
        try:
            done = subprocess.run(cmd, capture_output=True, text=True, timeout=60, cwd=ROOT)
            text = (done.stdout or done.stderr).strip()
            return text.splitlines()[0] if text else None
        except (OSError, subprocess.TimeoutExpired):
            return None

    return {
        "dotnet": first_line(["dotnet", "--version"]),
        "imagepattern_libvips": engine_libvips(),
        "imagepattern": first_line(["dotnet", HARNESS_DLL, "version"]) if os.path.exists(HARNESS_DLL) else None,
        "node": first_line(["node", "--version"]),
        "sharp": first_line(["node", "-p", "const s = require('sharp'); s.versions.sharp + ' (libvips ' + s.versions.vips + ')'"]),
        "pillow": first_line([SYSTEM_PYTHON, "-c", "import PIL; print(PIL.__version__)"]),
        "imagemagick": first_line(["/usr/bin/convert", "-version"]),
        "vipsthumbnail": first_line(["vipsthumbnail", "--vips-version"]),
        "djpeg": first_line(["djpeg", "-version"]),
    }


def machine():
    cpu = platform.processor() or "?"
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            cpu = next((line.split(":", 1)[1].strip() for line in f if line.startswith("model name")), cpu)
    except OSError:
        pass
    return {"cpu": cpu, "cores": os.cpu_count(), "pinned_cpu": CPU if shutil.which("taskset") else None,
            "kernel": platform.release(), "load_average_start": round(os.getloadavg()[0], 2)}


# ---------------------------------------------------------------- quality

class Quality:
    """PSNR of outputs against a Lanczos resize of the fully decoded source, made at each output's own size.

    Pillow makes the references; the PSNR itself is the harness's `psnr` command, the one the engines' tests use."""

    def __init__(self):
        try:
            from PIL import Image
        except ImportError:
            self.Image = None
            return
        self.Image = Image

    @property
    def available(self):
        return self.Image is not None and os.path.exists(HARNESS_DLL)

    def references(self, kind, source, sizes):
        """Paths of the reference thumbnails of one source, cached on disk; decodes the source once if any size is new."""
        refs, todo = {}, []
        for size in sizes:
            path = os.path.join(REF_DIR, kind.name, f"{os.path.splitext(os.path.basename(source))[0]}-{size[0]}x{size[1]}.png")
            refs[size] = path
            if not os.path.exists(path):
                todo.append((size, path))
        if todo:
            with self.Image.open(source) as im:
                full = im.convert("RGB")  # no draft mode: the whole image at full resolution
            for size, path in todo:
                # reducing_gap=None: one true Lanczos pass over every source pixel, no shortcut.
                ref = full.resize(size, self.Image.Resampling.LANCZOS, reducing_gap=None)
                os.makedirs(os.path.dirname(path), exist_ok=True)
                ref.save(path)
        return refs

    def psnr(self, pairs):
        """PSNR in dB of each (reference path, output path) pair; identical pixels count as 99 dB."""
        result = check(subprocess.run(["dotnet", HARNESS_DLL, "psnr"] + [p for pair in pairs for p in pair],
                                      capture_output=True, text=True, cwd=ROOT), "psnr")
        return [99.0 if line == "inf" else float(line) for line in result.stdout.split()]


def expected_size(kind):
    scale = min(BOX / kind.width, BOX / kind.height, 1.0)
    return round(kind.width * scale), round(kind.height * scale)


def score(quality, kind, cases):
    """Adds psnr_db, output_size and dims_ok to every ok case of one input kind."""
    scored = []
    for case in (c for c in cases if c["status"] == "ok" and c["tool"] != "djpeg"):
        absent = [f for f in kind.files() if not os.path.exists(out_path(case["_out"], f))]
        if absent:
            case.update(status="error", note=f"no output for {len(absent)} of {len(kind.files())} files")
        else:
            scored.append(case)
    expected = expected_size(kind)
    for case in scored:
        case["_psnr"], case["_sizes"] = [], set()
    pairs, owners = [], []
    for source in kind.files():
        sizes = {}
        for case in scored:
            with quality.Image.open(out_path(case["_out"], source)) as im:
                sizes[case["tool"]] = im.size
        refs = quality.references(kind, source, set(sizes.values()))
        for case in scored:
            size = sizes[case["tool"]]
            pairs.append((refs[size], out_path(case["_out"], source)))
            owners.append(case)
            case["_sizes"].add(size)
    for case, db in zip(owners, quality.psnr(pairs) if pairs else []):
        case["_psnr"].append(db)
    for case in scored:
        sizes = case.pop("_sizes")
        case["psnr_db"] = round(statistics.fmean(case.pop("_psnr")), 2)
        case["output_size"] = ", ".join(f"{w}x{h}" for w, h in sorted(sizes))
        # Fits the box and keeps the aspect ratio to the pixel; otherwise flagged in the table.
        case["dims_ok"] = all(max(w, h) <= BOX and abs(w - expected[0]) <= 1 and abs(h - expected[1]) <= 1 for w, h in sizes)


# ---------------------------------------------------------------- metadata suite

def run_metadata(clock, files_limit=None):
    """Inspection (header, EXIF, 1/8 decode, BlurHash) vs a 512 px JPEG thumbnail, ms per image, one pinned core."""
    kind = next(k for k in INPUTS if k.name == METADATA_INPUT)
    if files_limit:
        kind = dataclasses.replace(kind, scenes=kind.scenes[:files_limit])
    os.makedirs(WORK, exist_ok=True)
    generate_inputs([kind])
    files = kind.files()
    meta = {"timestamp": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
            "machine": machine(), "settings": {"clock": clock, "thumbnail": f"{BOX}px JPEG q{QUALITY}", "env": SINGLE_THREAD_ENV}}
    # JSON key of the harness -> tool name of the case (distinct from the thumbnail suite's, which merge() keys on).
    names = {"inspect": "metadata-inspection", "inspect_exif_thumbnail": "metadata-inspection-exif-thumbnail",
             "thumbnail": f"thumbnail-{BOX}-jpeg"}
    cases = [{"input": kind.name, "tool": tool, "status": "ok", "batch": len(files)} for tool in names.values()]
    problem = build_harness()
    raw = None
    if problem is None:
        try:
            result = check(run_child(["dotnet", HARNESS_DLL, "metadata", "--rounds", str(kind.rounds)] + files), "metadata")
            raw = json.loads(result.stdout.strip().splitlines()[-1])
        except (ToolFailed, ValueError, IndexError) as failure:
            problem = ("error", str(failure))
    if raw is None:
        for case in cases:
            case["status"], case["note"] = problem
    else:
        per_image = {}
        for part, case in zip(names, cases):
            wall = min(raw[part]["rounds_ms"]) / raw["files"]
            cpu = min(raw[part]["rounds_cpu_ms"]) / raw["files"]
            per_image[part] = cpu if clock == "cpu" else wall
            case.update(ms_per_image=round(per_image[part], 1), wall_ms_per_image=round(wall, 1),
                        cpu_ms_per_image=round(cpu, 1), ms_per_mp=round(per_image[part] / kind.megapixels, 3),
                        mean_bytes=round(raw["mean_bytes"]))
        for part, case in zip(("inspect", "inspect_exif_thumbnail"), cases):
            case["share_of_thumbnail"] = round(per_image[part] / per_image["thumbnail"], 3)
        cases[0]["note"] = f"no EXIF thumbnail: the picture decoded at 1/8; {raw['sample']}"
        cases[1]["note"] = "the same files with a 160 px EXIF thumbnail (as cameras write), which is not used: the picture is decoded"
        cases[2]["note"] = "the thumbnailer's engine, in the same process and rounds as the inspections"
        log(f"metadata: inspection {per_image['inspect']:.1f} ms (with an EXIF thumbnail "
            f"{per_image['inspect_exif_thumbnail']:.1f} ms) vs thumbnail {per_image['thumbnail']:.1f} ms per image")
    meta["machine"]["load_average_end"] = round(os.getloadavg()[0], 2)
    doc = results.merge(cases, "metadata", meta)
    return results.write_markdown(doc)


# ---------------------------------------------------------------- main

def run(kinds, tools, clock):
    os.makedirs(WORK, exist_ok=True)
    generate_inputs(kinds)
    usable = availability(tools)
    meta = {"timestamp": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
            "machine": machine(), "versions": versions(),
            "settings": {"box": BOX, "jpeg_quality": QUALITY, "clock": clock, "env": SINGLE_THREAD_ENV},
            "batch_sizes": {k.name: len(k.scenes) for k in INPUTS}, "timed_rounds": {k.name: k.rounds for k in INPUTS}}

    cases = []
    for kind in kinds:
        files = kind.files()
        for tool in tools:
            case = {"input": kind.name, "tool": tool, "images_per_s": None, "ms_per_mp": None,
                    "peak_rss_mb": None, "psnr_db": None, "status": "ok", "batch": len(files)}
            cases.append(case)
            if tool == "djpeg" and kind.encoding == "png":
                case.update(status="n/a", note="djpeg reads JPEG only")
                continue
            if usable[tool] is not None:
                case["status"], case["note"] = usable[tool]
                continue
            out_dir = os.path.join(OUT_DIR, kind.name, tool)
            shutil.rmtree(out_dir, ignore_errors=True)
            os.makedirs(out_dir)
            try:
                wall_ms, cpu_ms, peak_kb = measure(tool, kind, files, out_dir)
            except (ToolFailed, ValueError, KeyError, IndexError) as failure:
                case.update(status="error", note=str(failure))
                log(f"{kind.name} / {tool}: {failure}")
                continue
            # Best round: the one least disturbed by anything else running on the machine.
            wall_per_image, cpu_per_image = min(wall_ms) / len(files), min(cpu_ms) / len(files)
            per_image_ms = cpu_per_image if clock == "cpu" else wall_per_image
            case.update(images_per_s=round(1000 / per_image_ms, 2), ms_per_mp=round(per_image_ms / kind.megapixels, 3),
                        peak_rss_mb=round(peak_kb / 1024, 1), ms_per_image=round(per_image_ms, 1),
                        wall_ms_per_image=round(wall_per_image, 1), cpu_ms_per_image=round(cpu_per_image, 1), _out=out_dir)
            if wall_per_image > 1.25 * cpu_per_image:
                log(f"{kind.name} / {tool}: wall time is {wall_per_image / cpu_per_image:.1f}x CPU time: the core was shared")
            if tool == "djpeg":
                case["note"] = "decode only at 1/8 scale, whole process per image"
            log(f"{kind.name} / {tool}: {case['images_per_s']} images/s, {case['peak_rss_mb']} MB")

    meta["machine"]["load_average_end"] = round(os.getloadavg()[0], 2)
    quality = Quality()
    if quality.available:
        log("scoring outputs (PSNR against full-decode Lanczos references)")
        for kind in kinds:
            score(quality, kind, [c for c in cases if c["input"] == kind.name])
    else:
        log("Pillow or the harness is missing here, so PSNR is not measured")
    for case in cases:
        case.pop("_out", None)

    doc = results.merge(cases, "thumbnails", meta)
    return results.write_markdown(doc)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--inputs", help="comma-separated subset of: " + ", ".join(k.name for k in INPUTS))
    parser.add_argument("--tools", help="comma-separated subset of: " + ", ".join(TOOLS))
    parser.add_argument("--clock", choices=["cpu", "wall"], default=os.environ.get("BENCH_CLOCK", "cpu"),
                        help="time behind images/s and ms per MP: CPU time of the tool process (default; steady on a "
                             "busy machine) or wall time")
    parser.add_argument("--suites", default=os.environ.get("BENCH_SUITES", "all"),
                        help="comma-separated subset of: " + ", ".join(SUITES) + "; 'pipeline' means the last four, "
                             "'all' (default) every one")
    parser.add_argument("--metadata-files", type=int, help="metadata: first N of the 24 MP JPEGs (default all 8)")
    parser.add_argument("--e2e-small", type=int, help="end-to-end: small images in the burst (default 1000)")
    parser.add_argument("--e2e-large", type=int, help="end-to-end: large images in the burst (default 100)")
    args = parser.parse_args()
    kinds = [k for k in INPUTS if not args.inputs or k.name in args.inputs.split(",")]
    tools = [t for t in TOOLS if not args.tools or t in args.tools.split(",")]
    wanted = set()
    for name in args.suites.split(","):
        wanted |= set(SUITES) if name == "all" else set(pipeline.SUITES) if name == "pipeline" else {name}
    unknown = wanted - set(SUITES)
    if unknown:
        parser.error(f"unknown suite(s): {', '.join(sorted(unknown))}")

    text = None
    if "thumbnails" in wanted:
        text = run(kinds, tools, args.clock)
    if "metadata" in wanted:
        text = run_metadata(args.clock, args.metadata_files)
    chosen = [s for s in pipeline.SUITES if s in wanted]
    if chosen:
        os.makedirs(WORK, exist_ok=True)
        text = pipeline.run(chosen, build_harness, HARNESS_DLL, machine,
                            {"e2e_small": args.e2e_small, "e2e_large": args.e2e_large})
    print(text)


if __name__ == "__main__":
    main()
