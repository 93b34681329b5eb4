"""Pipeline suites: the function, the poller and the whole local stack, next to the engine's thumbnail suite.

Called by run.py (`--suites`). Each suite runs one subcommand of the .NET harness (bench/ImagePattern.Bench),
which starts its own local stack (fauxqs + notification bridge + dynalite, 127.0.0.1, in memory), measures, stops
the stack and prints one JSON line of raw measurements. This module turns them into cases (medians, percentiles)
and merges them into bench/latest.json under their suite. See bench/README.md for what each one measures.
"""

import datetime
import json
import os
import statistics
import subprocess
import sys
import tempfile

sys.dont_write_bytecode = True
import results  # noqa: E402

BENCH = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(BENCH)
WORK = os.path.join(BENCH, "work", "pipeline")
SAMPLES = os.path.join(WORK, "samples")  # generated pictures, kept between runs

SUITES = results.PIPELINE_SUITES
TOOL = {
    "cold-start": "imagepattern-function",
    "handler-overhead": "imagepattern-handler",
    "end-to-end": "imagepattern-local",
    "poller-overhead": "imagepattern-poller",
}
# Every suite always writes all of its cases, so a failed run replaces the previous figures instead of leaving them.
INPUTS = results.PIPELINE_INPUTS

# No taskset and no single-thread variables here: the stack and the function share the machine, as `make local` does.
ENV = {"DOTNET_CLI_TELEMETRY_OPTOUT": "1"}
TIMEOUT_S = 900


def log(message):
    print(f"bench: {message}", file=sys.stderr, flush=True)


class SuiteFailed(Exception):
    pass


def harness(dll, command, args):
    """Runs one harness subcommand; returns its last stdout line as JSON."""
    argv = ["dotnet", dll, command] + [str(a) for a in args]
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        try:
            done = subprocess.run(argv, stdout=out, stderr=err, env=dict(os.environ, **ENV), cwd=ROOT, timeout=TIMEOUT_S)
        except subprocess.TimeoutExpired:
            raise SuiteFailed(f"{command} did not finish within {TIMEOUT_S} s") from None
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode(errors="replace"), err.read().decode(errors="replace")
    lines = stdout.strip().splitlines()
    if done.returncode != 0 or not lines:
        tail = (stderr or stdout).strip().splitlines()[-3:]
        raise SuiteFailed(f"{command} exited {done.returncode}: {' / '.join(tail)[:400]}")
    try:
        return json.loads(lines[-1])
    except ValueError:
        raise SuiteFailed(f"{command} printed no JSON result: {lines[-1][:200]}") from None


# ---------------------------------------------------------------- statistics

def median(values):
    return statistics.median(values) if values else None


def percentile(values, p):
    """Nearest-rank percentile: a latency that some image actually had."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * p // 100))  # ceil(n * p / 100)
    return ordered[int(rank) - 1]


def r(value, digits=1):
    return None if value is None else round(float(value), digits)


def settings_note(settings):
    return (f"thumbnails {settings['thumbnail_sizes']} {settings['output_format']} q{settings['output_quality']}, "
            f"batch {settings['batch_size']}, concurrency {settings['maximum_concurrency']}, "
            f"{settings['image_parallelism']} image slots")


# ---------------------------------------------------------------- suites

def host_package():
    """The zip `make package` builds for this machine's CPU (make bench builds it first)."""
    arch = "arm64" if os.uname().machine in ("aarch64", "arm64") else "x86_64"
    return os.path.join(ROOT, "artifacts", f"function-{arch}.zip")


def _spread(values, unit):
    return {f"median_{unit}": r(median(values)), f"min_{unit}": r(min(values)), f"max_{unit}": r(max(values)),
            f"samples_{unit}": [r(v) for v in values]}


def cold_start(dll, options):
    package = host_package()
    if not os.path.exists(package):
        raise SuiteFailed(f"no function package at {package}: run `make package`")
    raw = harness(dll, "cold-start", ["--runs", options.get("cold_start_runs", 7), "--work", os.path.join(WORK, "cold-start"),
                                      "--samples", SAMPLES, "--package", package])
    failed = [run for run in raw["runs"] if run["exit_code"] != 0 or not run.get("child")]
    if failed:
        raise SuiteFailed(f"{len(failed)} of {len(raw['runs'])} fresh processes failed: {failed[0].get('error')}")
    cases = []
    for mode, what in (("bootstrap", "packaged Native AOT bootstrap behind the Runtime API emulator (IMAGE_ENGINE=skia, the default)"),
                       ("bootstrap-libvips", "the same packaged bootstrap with IMAGE_ENGINE=libvips"),
                       ("jit", "the same function JIT-compiled in `dotnet ImagePattern.Bench.dll`, same run")):
        runs = [run["child"] for run in raw["runs"] if run["mode"] == mode]
        if not runs:
            continue
        failures = sum(run["batch_item_failures"] for run in runs)
        phases = {
            "ready": ([run["ready_ms"] for run in runs],
                      "process start → first GET /next" if mode.startswith("bootstrap")
                      else "process start → function composed (runtime start + FunctionBuilder)"),
            "first-invocation": ([run["first_invocation_ms"] for run in runs], f"one record, {raw['image']}, cold"),
            "second-invocation": ([run["second_invocation_ms"] for run in runs], f"one record, {raw['image']}, warm"),
        }
        for phase, (values, note) in phases.items():
            bad = failures and phase.endswith("invocation")
            cases.append({"input": f"{mode}-{phase}", "tool": TOOL["cold-start"], "runs": len(values), **_spread(values, "ms"),
                          "status": "error" if bad else "ok",
                          "note": f"{failures} batch item failures" if bad else f"{what}: {note}"})
        rss = [run["peak_rss_mb"] for run in runs if run.get("peak_rss_mb") is not None]
        if rss:
            cases.append({"input": f"{mode}-peak-rss", "tool": TOOL["cold-start"], "runs": len(rss), **_spread(rss, "mb"),
                          "status": "ok", "note": f"{what}: VmHWM after two invocations"})
    return cases, {"image": raw["image"], "settings": raw["settings"], "package_bytes": raw["package_bytes"],
                   "runs": len([run for run in raw["runs"] if run["mode"] == "bootstrap"])}


def handler_overhead(dll, options):
    raw = harness(dll, "handler-overhead", ["--samples", SAMPLES])
    problems = []
    if raw["batch_item_failures"]:
        problems.append(f"{raw['batch_item_failures']} batch item failures")
    if set(raw["statuses"]) != {"COMPLETED"}:
        problems.append(f"task statuses {raw['statuses']}")
    cases = []
    for name, samples in (("batch-of-1", raw["serial"]), ("batch-of-10", raw["batches"])):
        def per_record(key, samples=samples):
            return [s[key] / s["records"] for s in samples]

        overhead = [(s["handler_ms"] - s["engine_ms"]) / s["records"] for s in samples]
        overhead_cpu = [(s["handler_cpu_ms"] - s["engine_cpu_ms"]) / s["records"] for s in samples]
        records = sum(s["records"] for s in samples)
        emulator = [s["emulator_cpu_ms"] for s in samples if s.get("emulator_cpu_ms") is not None]
        cases.append({
            "input": name, "tool": TOOL["handler-overhead"], "image": raw["image"], "image_bytes": raw["image_bytes"],
            "records": records, "invocations": len(samples),
            "handler_ms_per_record": r(median(per_record("handler_ms"))),
            "engine_ms_per_record": r(median(per_record("engine_ms"))),
            "overhead_ms_per_record": r(median(overhead)),
            "overhead_ms_min": r(min(overhead)), "overhead_ms_max": r(max(overhead)),
            "overhead_p95_ms": r(percentile(overhead, 95)) if len(overhead) >= 20 else None,
            "overhead_cpu_ms_per_record": r(median(overhead_cpu)),
            "emulator_cpu_ms_per_record": r(sum(emulator) / records) if len(emulator) == len(samples) else None,
            "status": "error" if problems else "ok", "note": "; ".join(problems) or None,
        })
    stages = raw.get("stages") or []
    if stages:
        # Split of one record's wall time by the ports the handler called; "other" is the handler's own code
        # (event parsing, dispatch, task id, metrics) plus waiting for a core.
        parts = {"claim": "claim_ms", "s3_read": "read_ms", "thumbnails": "thumbnails_ms", "s3_writes": "write_ms",
                 "complete": "complete_ms"}
        split = {f"stage_{name}_ms": r(median([s[key] for s in stages])) for name, key in parts.items()}
        split["stage_other_ms"] = r(median([s["total_ms"] - sum(s[key] for key in parts.values()) for s in stages]))
        split["stage_total_ms"] = r(median([s["total_ms"] for s in stages]))
        split["stage_invocations"] = len(stages)
        cases[0].update(split)
    return cases, {"image": raw["image"], "image_bytes": raw["image_bytes"], "settings": raw["settings"]}


def end_to_end(dll, options):
    args = ["--samples", SAMPLES]
    if options.get("e2e_small") is not None:
        args += ["--small", options["e2e_small"]]
    if options.get("e2e_large") is not None:
        args += ["--large", options["e2e_large"]]
    raw = harness(dll, "end-to-end", args)
    names = {"trickle": "trickle-small", "small": "burst-small", "large": "burst-large"}
    cases = []
    for phase in raw["phases"]:
        latencies = phase["latencies_ms"]
        completed = phase["statuses"].get("COMPLETED", 0)
        problems = []
        if phase["timed_out"]:
            problems.append("timed out")
        if completed != phase["images"]:
            problems.append(f"{completed} of {phase['images']} COMPLETED ({phase['statuses']})")
        if phase["dead_lettered"]:
            problems.append(f"{phase['dead_lettered']} dead-lettered")
        window_s = ((phase["last_completed_at_unix_ms"] - phase["first_upload_at_unix_ms"]) / 1000
                    if phase.get("last_completed_at_unix_ms") else None)
        cases.append({
            "input": names[phase["name"]], "tool": TOOL["end-to-end"],
            "image": f"{phase['width']}x{phase['height']} JPEG", "mean_bytes": phase["mean_bytes"],
            "images": phase["images"], "upload_concurrency": phase["upload_concurrency"],
            "images_per_s": r(completed / window_s, 2) if window_s else None,
            "wall_s": r(window_s, 2), "upload_s": r(phase["upload_seconds"], 2),
            "p50_latency_ms": r(median(latencies)), "p95_latency_ms": r(percentile(latencies, 95)),
            "max_latency_ms": r(max(latencies)) if latencies else None,
            "completed": completed, "dead_lettered": phase["dead_lettered"],
            "invocations": phase["invocations"],
            "mean_batch": r(phase["received"] / phase["invocations"], 2) if phase["invocations"] else None,
            "process_cpu_ms_per_image": r(phase["process_cpu_ms"] / phase["images"]),
            "emulator_cpu_ms_per_image": r(phase["emulator_cpu_ms"] / phase["images"]) if phase.get("emulator_cpu_ms") is not None else None,
            "status": "error" if problems else "ok", "note": "; ".join(problems) or None,
        })
    return cases, {"settings": raw["settings"]}


def poller_overhead(dll, options):
    raw = harness(dll, "poller-overhead", [])
    cases = []
    for config in raw["configs"]:
        messages = config["messages"]
        ok = config["deleted"] >= messages
        cases.append({
            "input": f"batch-{config['batch_size']}-concurrency-{config['concurrency']}", "tool": TOOL["poller-overhead"],
            "batch_size": config["batch_size"], "concurrency": config["concurrency"], "messages": messages,
            "ms_per_message": r(config["wall_ms"] / messages, 3),
            "cpu_ms_per_message": r(config["cpu_ms"] / messages, 3),
            "emulator_cpu_ms_per_message": r(config["emulator_cpu_ms"] / messages, 3) if config.get("emulator_cpu_ms") is not None else None,
            "invocations": config["invocations"],
            "mean_batch": r(config["deleted"] / config["invocations"], 2) if config["invocations"] else None,
            "status": "ok" if ok else "error", "note": None if ok else f"only {config['deleted']} of {messages} deleted in 2 min",
        })
    return cases, {"body_bytes": raw["body_bytes"]}


RUNNERS = {"cold-start": cold_start, "handler-overhead": handler_overhead, "end-to-end": end_to_end,
           "poller-overhead": poller_overhead}
ABOUT = {
    "cold-start": "fresh bootstrap processes (and JIT ones, same run), then two invocations each",
    "handler-overhead": "the handler against the engine alone on the same images",
    "end-to-end": "uploads through S3 -> bridge -> SQS -> poller -> handler (about 3 min)",
    "poller-overhead": "the poller draining a full queue into a no-op handler",
}


def error_cases(suite, note, status="error"):
    return [{"input": name, "tool": TOOL[suite], "status": status, "note": note} for name in INPUTS[suite]]


def versions(harness_dll):
    def first_line(cmd):
        try:
            done = subprocess.run(cmd, capture_output=True, text=True, timeout=60, cwd=ROOT)
            text = (done.stdout or done.stderr).strip()
            return text.splitlines()[0] if text else None
        except (OSError, subprocess.TimeoutExpired):
            return None

    def npm(package):
        try:
            with open(os.path.join(ROOT, "node_modules", package, "package.json"), encoding="utf-8") as f:
                return json.load(f)["version"]
        except (OSError, ValueError, KeyError):
            return None

    return {"dotnet": first_line(["dotnet", "--version"]), "node": first_line(["node", "--version"]),
            "imagepattern": first_line(["dotnet", harness_dll, "version"]) if os.path.exists(harness_dll) else None,
            "fauxqs": npm("fauxqs"), "dynalite": npm("dynalite")}


def run(suites, build_harness, harness_dll, machine, options):
    """Runs the given pipeline suites in order and merges each one's cases as soon as it is done."""
    os.makedirs(WORK, exist_ok=True)
    unusable = build_harness()
    found = versions(harness_dll)
    for suite in suites:
        meta = {"timestamp": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
                "machine": machine(), "versions": found}
        if unusable is not None:
            status, note = unusable
            cases = error_cases(suite, note, status)
        else:
            log(f"{suite}: {ABOUT[suite]}")
            try:
                cases, details = RUNNERS[suite](harness_dll, options)
                meta.update(details)
            except (SuiteFailed, KeyError, TypeError, ValueError, ZeroDivisionError) as failure:
                log(f"{suite}: {failure}")
                cases = error_cases(suite, str(failure))
        produced = {case["input"] for case in cases}
        # A phase switched off (e.g. --e2e-large 0) must not leave an older run's figures standing as current.
        cases += [{"input": name, "tool": TOOL[suite], "status": "skipped", "note": "not run this time"}
                  for name in INPUTS[suite] if name not in produced]
        meta["machine"]["load_average_end"] = round(os.getloadavg()[0], 2)
        results.merge(cases, suite, meta)
        for case in cases:
            if case.get("status") == "ok":
                log(f"{suite} / {case['input']}: " + ", ".join(f"{k} {v}" for k, v in case.items()
                                                              if k not in ("input", "tool", "status", "note", "samples_ms", "suite")
                                                              and v is not None))
    return results.write_markdown(results.load())
