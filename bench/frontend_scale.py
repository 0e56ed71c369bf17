"""Benchmark: the front end at scale, side by side with wasm-tools.

    python bench/frontend_scale.py [--mb 10] [--runs 3] [--corpus ../shared/corpus/wasi-http-p2]

Generates a valid WIT file of about `--mb` MB (many interfaces, each with doc comments,
records, variants, enums, flags, resources and functions, `use`-ing types of the interface
before it) into a temporary folder, then times a fresh `witgen resolve --json` process against
`wasm-tools component wit --json` on it and on the wasi-http corpus: runs alternate, medians
of wall and CPU time (user + system), peak RSS from GNU time's `%M`. witgen runs with `WITGEN_NO_CACHE=1`, so every
run parses (the first-build case).

Reports seconds per MB for both tools on both inputs, and the two targets of issue #13: time
linear in input size (witgen's CPU s/MB on the big file within 1.5x of its s/MB on the corpus)
and peak memory at most 2x wasm-tools'. Writes bench/results/frontend_scale.json.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from resolve_corpus import GNU_TIME, HAVE_TIME, wasm_tools_exe, witgen_cmd  # noqa: E402

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results" / "frontend_scale.json"
TARGET_LINEAR = 1.5  # s/MB on the big file / s/MB on the corpus
TARGET_RSS = 2.0  # witgen peak RSS / wasm-tools'


def interface(k: int) -> str:
    """One interface of the generated package; interface k uses a type of interface k-1."""
    use = f"  use iface{k - 1}.{{point{k - 1}}};\n" if k else ""
    prev = f"point{k - 1}" if k else "u32"
    return f"""/// Interface number {k}: a realistic mix of items.
///
/// Doc comments span several lines, as in WASI.
interface iface{k} {{
{use}  /// A point with {k} in its name.
  record point{k} {{
    /// Horizontal.
    x: s32,
    /// Vertical.
    y: s32,
    label: string,
    tags: list<string>,
    prev: option<{prev}>,
  }}

  /// What can go wrong.
  variant error{k} {{
    not-found,
    denied(string),
    io(tuple<u32, string>),
    other(list<u8>),
  }}

  enum mode{k} {{ read, write, append, truncate }}

  flags perms{k} {{ owner-read, owner-write, group-read, group-write, other-read }}

  /// A handle to something.
  resource handle{k} {{
    constructor(name: string);
    /// Read up to `len` bytes.
    read: func(len: u64) -> result<list<u8>, error{k}>;
    write: func(data: list<u8>) -> result<u64, error{k}>;
    open: static func(path: string, mode: mode{k}) -> result<handle{k}, error{k}>;
  }}

  /// Move a point.
  translate: func(p: point{k}, dx: s32, dy: s32) -> point{k};
  /* A block comment that is not a doc comment. */
  lookup: func(keys: list<string>, perms: perms{k}) -> list<option<point{k}>>;
  stats: func() -> tuple<u64, f64, option<string>>;
}}

"""


def generate(folder: Path, mb: float) -> Path:
    """Write `a.wit` of about `mb` MB into `folder` (a world imports every 50th interface)."""
    parts = ["package bench:scale@1.0.0;\n\n"]
    size, k = len(parts[0]), 0
    while size < mb * 1_000_000:
        parts.append(interface(k))
        size += len(parts[-1])
        k += 1
    imports = "".join(f"  import iface{i};\n" for i in range(0, k, 50))
    parts.append(f"world scale {{\n{imports}  export iface{k - 1};\n}}\n")
    path = folder / "a.wit"
    path.write_text("".join(parts))
    return path


def timed_run(cmd: list[str]) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds (user + system) and peak RSS (MB) of one run of `cmd`."""
    with tempfile.NamedTemporaryFile("r") as rss_file:
        wrapped = [GNU_TIME, "-f", "%M", "-o", rss_file.name, *cmd] if HAVE_TIME else cmd
        start = time.perf_counter()
        proc = subprocess.Popen(wrapped, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        _, status, usage = os.wait4(proc.pid, 0)  # usage includes GNU time's waited-for child
        wall = time.perf_counter() - start
        assert proc.stderr is not None
        err = proc.stderr.read().decode(errors="replace")
        proc.stderr.close()
        if os.waitstatus_to_exitcode(status) != 0:
            sys.exit(f"{' '.join(cmd)} failed:\n{err}")
        rss_kb = int(rss_file.read().split()[-1]) if HAVE_TIME else usage.ru_maxrss
    return wall, usage.ru_utime + usage.ru_stime, rss_kb / 1024


def wit_bytes(path: Path) -> int:
    files = [path] if path.is_file() else path.rglob("*.wit")
    return sum(f.stat().st_size for f in files)


def measure(path: Path, runs: int, wt: str) -> dict[str, object]:
    cmds = {
        "witgen": [*witgen_cmd(), "resolve", str(path), "--json"],
        "wasm-tools": [wt, "component", "wit", "--json", str(path)],
    }
    samples: dict[str, list[tuple[float, float, float]]] = {name: [] for name in cmds}
    for _ in range(runs):  # alternating, so drift in machine load hits both alike
        for name, cmd in cmds.items():
            samples[name].append(timed_run(cmd))
    mb = wit_bytes(path) / 1_000_000
    out: dict[str, object] = {"mb": round(mb, 3)}
    for name, runs_ in samples.items():
        wall = statistics.median(w for w, _, _ in runs_)
        cpu = statistics.median(c for _, c, _ in runs_)
        out[name] = {
            "median_wall_s": round(wall, 4),
            "median_cpu_s": round(cpu, 4),
            "wall_s_per_mb": round(wall / mb, 4),
            "cpu_s_per_mb": round(cpu / mb, 4),
            "peak_rss_mb": round(max(r for _, _, r in runs_), 1),
        }
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--mb", type=float, default=10.0, help="size of the generated file")
    ap.add_argument("--runs", type=int, default=3, help="runs of each command (default 3)")
    ap.add_argument("--corpus-runs", type=int, default=10)
    ap.add_argument("--corpus", type=Path, default=HERE.parent.parent / "shared" / "corpus" / "wasi-http-p2")
    ap.add_argument("--generate", type=Path, help="only write the generated WIT into this folder")
    ap.add_argument("--no-write", action="store_true", help="do not update the results file")
    args = ap.parse_args(argv)
    if args.generate:
        args.generate.mkdir(parents=True, exist_ok=True)
        print(generate(args.generate, args.mb))
        return 0
    os.environ["WITGEN_NO_CACHE"] = "1"
    wt = wasm_tools_exe()
    with tempfile.TemporaryDirectory() as tmp:
        big = generate(Path(tmp), args.mb)
        check = subprocess.run([*witgen_cmd(), "check", str(big)], capture_output=True, text=True)
        if check.returncode != 0:
            sys.exit(f"witgen rejects the generated WIT:\n{check.stderr}")
        results = {"generated": measure(big, args.runs, wt)}
    results["corpus"] = measure(args.corpus.resolve(), args.corpus_runs, wt)
    g, c = results["generated"], results["corpus"]
    # CPU time is the measure: on a machine shared with other jobs, wall time of a 40 s run
    # and of a 0.1 s run are stretched differently
    linear = g["witgen"]["cpu_s_per_mb"] / c["witgen"]["cpu_s_per_mb"]  # type: ignore[index]
    linear_wt = g["wasm-tools"]["cpu_s_per_mb"] / c["wasm-tools"]["cpu_s_per_mb"]  # type: ignore[index]
    rss = g["witgen"]["peak_rss_mb"] / g["wasm-tools"]["peak_rss_mb"]  # type: ignore[index]
    for label, r in (("generated", g), (f"corpus {args.corpus.name}", c)):
        print(f"{label}: {r['mb']} MB")
        for tool in ("witgen", "wasm-tools"):
            t = r[tool]  # type: ignore[index]
            print(
                f"  {tool:<10} wall {t['median_wall_s']:8.3f} s ({t['wall_s_per_mb']:7.3f} s/MB)"
                f"  cpu {t['median_cpu_s']:8.3f} s ({t['cpu_s_per_mb']:7.3f} s/MB)"
                f"  {t['peak_rss_mb']:7.1f} MB"
            )
        ratio = r["witgen"]["cpu_s_per_mb"] / r["wasm-tools"]["cpu_s_per_mb"]  # type: ignore[index]
        print(f"  witgen / wasm-tools CPU time: {ratio:.1f}x")
    print(f"wasm-tools' own CPU s/MB generated / corpus: {linear_wt:.2f}")
    ok = {True: "ok", False: "MISSED"}
    print(f"linearity (witgen CPU s/MB generated / corpus): {linear:.2f}  (<= {TARGET_LINEAR}: {ok[linear <= TARGET_LINEAR]})")
    print(f"peak RSS witgen / wasm-tools on generated: {rss:.2f}  (<= {TARGET_RSS}: {ok[rss <= TARGET_RSS]})")
    if not args.no_write:
        RESULTS.write_text(json.dumps({
            "date": datetime.date.today().isoformat(),
            "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()},
            "witgen_cache": "off (WITGEN_NO_CACHE=1)",
            **results,
            "linearity_cpu": round(linear, 3),
            "linearity_cpu_wasm_tools": round(linear_wt, 3),
            "rss_ratio": round(rss, 3),
            "targets": {"linearity": TARGET_LINEAR, "rss_ratio": TARGET_RSS},
        }, indent=2) + "\n")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
