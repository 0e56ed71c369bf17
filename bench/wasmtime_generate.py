"""Benchmark: `witgen generate --target wasmtime` for ../shared/corpus/wasi-http-p2 (target: < 1 s).

- *CLI*: a cold `witgen generate ... --force` process (interpreter start, WIT load from the
  parse cache, generation, writing the crate), median of `--repeats`;
- *in-process*: `witgen.wasmtime.generate` alone on a loaded `Resolve`, median.

    python bench/wasmtime_generate.py [--repeats 5] [--json bench/results/wasmtime_generate.json]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    corpus = REPO.parent / "shared" / "corpus" / "wasi-http-p2"
    if not corpus.is_dir():
        sys.exit("needs ../shared/corpus/wasi-http-p2")
    import witgen
    from witgen.wasmtime import generate

    out_dir = Path(tempfile.mkdtemp(prefix="witgen-wasmtime-bench-"))
    cmd = [sys.executable, "-m", "witgen", "generate", str(corpus), "--world", "wasi:http/proxy"]
    cmd += ["--target", "wasmtime", "--out", str(out_dir), "--force"]
    subprocess.run(cmd, check=True, capture_output=True)  # warm the parse cache
    cli = []
    for _ in range(args.repeats):
        t0 = time.perf_counter()
        subprocess.run(cmd, check=True, capture_output=True)
        cli.append(time.perf_counter() - t0)
    r = witgen.load(corpus)
    wid = r.select_world("wasi:http/proxy")
    gen = []
    for _ in range(args.repeats):
        t0 = time.perf_counter()
        files = generate(r, wid, {})
        gen.append(time.perf_counter() - t0)
    lines = sum(data.count(b"\n") for data in files.values())
    out = {
        "benchmark": "wasmtime_generate",
        "world": "wasi:http/proxy (../shared/corpus/wasi-http-p2)",
        "machine": {"cpus": os.cpu_count(), "platform": platform.platform()},
        "python": platform.python_version(),
        "cli_median_s": round(statistics.median(cli), 3),
        "generate_median_s": round(statistics.median(gen), 3),
        "files": len(files),
        "rust_lines": lines,
        "target_s": 1.0,
        "met": statistics.median(cli) < 1.0,
    }
    print(json.dumps(out, indent=2))
    if args.json:
        args.json.write_text(json.dumps(out, indent=2) + "\n")


if __name__ == "__main__":
    main()
