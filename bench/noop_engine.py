"""Micro-benchmark: the cost of a no-op `witgen.engine` build as the WIT tree grows.

Creates N WIT files of a few KB each (N = 10, 100, 1000 by default: a root package plus
`deps/` packages), builds once with a fake generator that reports every file as used, then
times `is_fresh` and a no-op `build` in-process (median of several runs, `time.perf_counter`).
The no-op path lists the candidate files and hashes the used inputs and the outputs, so its
cost should grow linearly with the bytes hashed: the per-KB column should stay roughly flat.

    python bench/noop_engine.py [--sizes 10 100 1000] [--kb 4] [--repeats 15]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout

from witgen.engine import BindingSpec, GenerateOutput, build, is_fresh  # noqa: E402

OUTPUT_FILES = 8
OUTPUT_KB = 4


def make_tree(root: Path, n: int, kb: int) -> list[Path]:
    """`n` WIT files of about `kb` KB: 1 root file, the rest in deps/ packages of 10 files."""
    body = "".join(
        f"  /// doc comment number {i}\n  f{i}: func(a: u32, b: string) -> list<u8>;\n"
        for i in range(kb * 1024 // 80)
    )
    files = [root / "world.wit"]
    files[0].parent.mkdir(parents=True)
    files[0].write_text(f"package bench:root;\ninterface api {{\n{body}}}\nworld w {{}}\n")
    for i in range(1, n):
        f = root / "deps" / f"pkg{i // 10}" / f"f{i}.wit"
        f.parent.mkdir(parents=True, exist_ok=True)
        f.write_text(f"package bench:pkg{i // 10};\ninterface i{i} {{\n{body}}}\n")
        files.append(f)
    return files


def make_generator(used: list[Path]) -> Callable[[BindingSpec, Path], GenerateOutput]:
    def generate(spec: BindingSpec, out: Path) -> GenerateOutput:
        for i in range(OUTPUT_FILES):
            (out / f"out{i}.js").write_text(f"// generated {i}\n" * (OUTPUT_KB * 1024 // 16))
        return GenerateOutput(wit_files=used, world="w")

    return generate


def never(spec: BindingSpec, out: Path) -> GenerateOutput:
    raise AssertionError("no-op build called the generator")


def median_ms(fn: Callable[[], object], repeats: int) -> float:
    fn()  # warm the page cache and imports
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times) * 1000


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[10, 100, 1000])
    ap.add_argument("--kb", type=int, default=4, help="approximate size of each WIT file")
    ap.add_argument("--repeats", type=int, default=15)
    args = ap.parse_args()

    header = (
        f"{'WIT files':>9} {'KB hashed':>10} {'is_fresh ms':>12} {'no-op build ms':>15}"
        f" {'us/KB (build)':>14} {'us/file':>8}"
    )
    print(header)
    print("-" * len(header))
    for n in args.sizes:
        with tempfile.TemporaryDirectory(prefix="witgen-bench-") as tmp:
            base = Path(tmp)
            used = make_tree(base / "wit", n, args.kb)
            spec = BindingSpec(wit_path=base / "wit", target="js", out_dir=base / "out", world="w")
            assert build(spec, make_generator(used)).status == "generated"
            assert is_fresh(spec)
            hashed = sum(p.stat().st_size for p in used)
            hashed += sum(p.stat().st_size for p in (base / "out").glob("*.js"))
            fresh_ms = median_ms(lambda spec=spec: is_fresh(spec), args.repeats)
            noop_ms = median_ms(lambda spec=spec: build(spec, never), args.repeats)
            kb = hashed / 1024
            print(
                f"{n:>9} {kb:>10.0f} {fresh_ms:>12.2f} {noop_ms:>15.2f}"
                f" {noop_ms * 1000 / kb:>14.2f} {noop_ms * 1000 / (n + OUTPUT_FILES):>8.1f}"
            )


if __name__ == "__main__":
    main()
