"""Benchmark: a full monorepo build with every binding stale vs the same build with all fresh.

Builds the three packages of testprojects/monorepo (two hatchling, one setuptools; six
bindings over WIT deps shared from outside the package roots) with `pip wheel
--no-build-isolation` in a throwaway virtualenv (witgen from a wheel of this checkout, as in
tests/hooks). *Stale*: every generated output and witgen's build folders removed first, so
each binding is parsed and generated. *Fresh*: the same build again, every binding up to date.
The difference is what the engine saves per monorepo build; the rest is pip + the backends.

Uses the `echo` test target until the real targets exist (generation is then cheap: the
difference is mostly WIT parsing), and needs scripts/setup/50-hooks.sh's wheelhouse.

    python bench/hooks_monorepo.py [--repeats 3] [--json bench/results/hooks_monorepo.json]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))

from hooks.projects import copy_project, make_env, missing_wheels, summaries, third_party_wheelhouse  # noqa: E402

PACKAGES = ("shapes", "events", "app")


def wipe(mono: Path) -> None:
    for p in PACKAGES:
        for d in ("build", "dist"):
            shutil.rmtree(mono / "packages" / p / d, ignore_errors=True)
    for d in ("crates", "js"):
        shutil.rmtree(mono / d, ignore_errors=True)


def build_all(env, mono: Path, out: Path) -> tuple[float, dict[str, float], list[str]]:
    per: dict[str, float] = {}
    lines: list[str] = []
    t0 = time.perf_counter()
    for p in PACKAGES:
        t = time.perf_counter()
        whl = env.wheel(mono / "packages" / p, out / p)
        per[p] = (time.perf_counter() - t) * 1000
        lines += summaries(whl.with_suffix(".log").read_text())
        shutil.rmtree(out / p)
    return (time.perf_counter() - t0) * 1000, per, lines


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    missing = missing_wheels(third_party_wheelhouse())
    if missing:
        sys.exit(f"wheelhouse lacks {missing}: run scripts/setup-tests.sh")

    with tempfile.TemporaryDirectory(prefix="witgen-bench-mono-") as tmp:
        base = Path(tmp)
        env = make_env(base / "env")
        mono = copy_project("monorepo", base)
        stale, fresh = [], []
        stale_per: dict[str, list[float]] = {p: [] for p in PACKAGES}
        fresh_per: dict[str, list[float]] = {p: [] for p in PACKAGES}
        for _ in range(args.repeats):
            wipe(mono)
            ms, per, lines = build_all(env, mono, base / "out")
            assert all(": generated (" in line for line in lines), lines
            stale.append(ms)
            for p, v in per.items():
                stale_per[p].append(v)
            ms, per, lines = build_all(env, mono, base / "out")
            assert all(": up to date (" in line for line in lines), lines
            fresh.append(ms)
            for p, v in per.items():
                fresh_per[p].append(v)
        bindings = len(lines)

    result = {
        "date": time.strftime("%Y-%m-%d"),
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
        },
        "tool": "pip wheel --no-build-isolation --no-deps (one package after the other)",
        "target": "echo (test target)",
        "packages": list(PACKAGES),
        "bindings": bindings,
        "repeats": args.repeats,
        "stale_total_ms": round(statistics.median(stale), 1),
        "fresh_total_ms": round(statistics.median(fresh), 1),
        "saved_ms": round(statistics.median(stale) - statistics.median(fresh), 1),
        "per_package_ms": {
            p: {
                "stale": round(statistics.median(stale_per[p]), 1),
                "fresh": round(statistics.median(fresh_per[p]), 1),
            }
            for p in PACKAGES
        },
    }
    print(f"monorepo ({len(PACKAGES)} packages, {bindings} bindings), median of {args.repeats}:")
    print(f"  all bindings stale  {result['stale_total_ms']:8.0f} ms")
    print(f"  all bindings fresh  {result['fresh_total_ms']:8.0f} ms")
    for p, v in result["per_package_ms"].items():
        print(f"    {p:<8} stale {v['stale']:7.0f} ms   fresh {v['fresh']:7.0f} ms")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
