"""Benchmark: what the build hooks cost when every binding is already fresh (a no-op rebuild).

1. *Hook overhead* on the monorepo's largest package (testprojects/monorepo/packages/app, three
   bindings over shared WIT deps): the work `hatch_wit` does per build when nothing changed,
   i.e. read + validate the config, compose the WIT roots, check each binding with the
   engine (hash inputs and outputs), list the files for the wheel. Measured
   * warm, in-process (median of repeats): `load_project(...).build("standard")`;
   * warm, through hatchling's real `WheelBuilder` + the `wit` hook's `initialize`;
   * cold, in a fresh interpreter (imports included), minus `python -c pass`.
   Target: under 50 ms.
2. *Scaling*: a package whose WIT root has N files (N = 10, 100, 1000, ~4 KB each) under
   `deps/`; the no-op cost should grow linearly with the bytes hashed (flat us/KB), and the
   no-op must not import the parser (checked in a fresh interpreter).

Projects use the `echo` test target (tests/hooks/testtarget) until the real targets exist:
the no-op path never imports a target, so the numbers hold for any target.

    python bench/hooks_noop.py [--repeats 30] [--sizes 10 100 1000] [--json bench/results/hooks_noop.json]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))  # run from a checkout
sys.path.insert(0, str(REPO / "tests"))
TESTTARGET = REPO / "tests" / "hooks" / "testtarget"
sys.path.insert(0, str(TESTTARGET))

from hooks.projects import copy_project  # noqa: E402

from witgen import targets  # noqa: E402
from witgen.project import load_project  # noqa: E402

targets.TARGETS.setdefault("echo", "witgen_testtarget:generate")

# the cold-start probe: a fresh interpreter doing exactly the hook's no-op work
COLD = """
import sys, time
if {preload!r}:
    import hatchling.builders.wheel  # what a hatch build process has loaded anyway
t0 = time.perf_counter()
sys.path[:0] = [{repo!r}, {testtarget!r}]
from witgen import targets
targets.TARGETS.setdefault("echo", "witgen_testtarget:generate")
from witgen.project import load_project
p = load_project({root!r}, table={table!r}, default_package=lambda: {package!r})
r = p.build("standard", log=lambda _: None)
t1 = time.perf_counter()
assert all(x.status == "up to date" for x in r.results), [x.status for x in r.results]
heavy = sorted(m for m in ("witgen.wit.parser", "witgen.wit.resolve", "lark", "witgen_testtarget")
               if m in sys.modules)
print((t1 - t0) * 1000, ",".join(heavy))
"""


def median_ms(fn: Callable[[], object], repeats: int) -> float:
    fn()
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times) * 1000


def cold_ms(
    root: Path, table: str, package: str, repeats: int, *, preload: bool = False
) -> tuple[float, float, str]:
    """A fresh interpreter's no-op: (in-process ms incl. imports, wall ms - `python -c pass`,
    heavy modules it loaded). Bytecode is cached (in a temp prefix) as an installed wheel's is."""
    code = COLD.format(
        repo=str(REPO),
        testtarget=str(TESTTARGET),
        root=str(root),
        table=table,
        package=package,
        preload=preload,
    )
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(Path(tempfile.gettempdir()) / "witgen-bench-pycache")
    subprocess.run([sys.executable, "-c", code], cwd=root, env=env, capture_output=True, check=True)
    inner, heavy = [], ""
    wall, base = [], []
    for _ in range(repeats):
        t0 = time.perf_counter()
        out = subprocess.run(
            [sys.executable, "-c", code],
            cwd=root,
            env=env,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.split()
        wall.append(time.perf_counter() - t0)
        inner.append(float(out[0]))
        heavy = out[1] if len(out) > 1 else ""
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-c", "pass"], env=env, check=True)
        base.append(time.perf_counter() - t0)
    return (
        statistics.median(inner),
        (statistics.median(wall) - statistics.median(base)) * 1000,
        heavy,
    )


def hatch_initialize_ms(root: Path, repeats: int) -> float | None:
    try:
        from hatchling.builders.wheel import WheelBuilder
    except ImportError:
        return None

    def once() -> None:
        builder = WheelBuilder(str(root))
        hook = builder.get_build_hooks(str(root / "dist"))["wit"]
        build_data = builder.get_default_build_data()
        builder.set_build_data_defaults(build_data)
        hook._log = lambda _line: None  # keep the output quiet
        hook.initialize("standard", build_data)
        assert build_data["force_include"]

    cwd = os.getcwd()
    os.chdir(root)
    try:
        return median_ms(once, repeats)
    finally:
        os.chdir(cwd)


def overhead(repeats: int) -> dict:
    with tempfile.TemporaryDirectory(prefix="witgen-bench-hooks-") as tmp:
        mono = copy_project("monorepo", Path(tmp))
        root = mono / "packages" / "app"
        table = "tool.hatch.build.hooks.wit"
        os.chdir(root)

        def noop() -> None:
            p = load_project(root, table=table, default_package=lambda: "mono_app")
            r = p.build("standard", log=lambda _: None)
            assert all(x.status == "up to date" for x in r.results)

        t0 = time.perf_counter()
        first = load_project(root, table=table, default_package=lambda: "mono_app").build(
            "standard", log=lambda _: None
        )
        generate_ms = (time.perf_counter() - t0) * 1000
        files = sum(r.files for r in first.results)
        warm = median_ms(noop, repeats)
        hatch = hatch_initialize_ms(root, repeats)
        inner, cold_wall, heavy = cold_ms(root, table, "mono_app", max(5, repeats // 3))
        try:
            import hatchling  # noqa: F401

            in_hatch, _, _ = cold_ms(root, table, "mono_app", max(5, repeats // 3), preload=True)
        except ImportError:
            in_hatch = None
        os.chdir(REPO)
    return {
        "package": "testprojects/monorepo/packages/app",
        "bindings": len(first.results),
        "generated_files": files,
        "first_build_ms": round(generate_ms, 2),
        "noop_warm_in_process_ms": round(warm, 3),
        "noop_hatch_initialize_ms": None if hatch is None else round(hatch, 3),
        "noop_cold_in_process_ms": round(inner, 2),
        "noop_cold_process_minus_python_ms": round(cold_wall, 2),
        "noop_cold_after_hatchling_loaded_ms": None if in_hatch is None else round(in_hatch, 2),
        "modules_loaded_on_noop": heavy or "none",
        "target_ms": 50,
    }


def make_wit(root: Path, n: int, kb: int) -> None:
    body = "".join(
        f"  /// doc comment number {i}\n  op{i}: func(a: u32, b: string) -> list<u8>;\n"
        for i in range(kb * 1024 // 80)
    )
    (root / "wit").mkdir(parents=True)
    (root / "wit" / "world.wit").write_text(
        f"package bench:root;\ninterface api {{\n{body}}}\nworld w {{ export api; }}\n"
    )
    for i in range(1, n):
        f = root / "wit" / "deps" / f"pkg{i // 10}" / f"f{i}.wit"
        f.parent.mkdir(parents=True, exist_ok=True)
        f.write_text(f"package bench:pkg{i // 10};\ninterface i{i} {{\n{body}}}\n")


def scaling(sizes: list[int], kb: int, repeats: int) -> list[dict]:
    rows = []
    for n in sizes:
        with tempfile.TemporaryDirectory(prefix="witgen-bench-scale-") as tmp:
            root = Path(tmp)
            make_wit(root, n, kb)
            (root / "pyproject.toml").write_text(
                '[tool.witgen]\ntarget = "echo"\nwheel-dir = "pkg/echo"\n'
            )
            os.chdir(root)

            def noop(root: Path = root) -> None:
                p = load_project(root, table="tool.witgen")
                r = p.build("standard", log=lambda _: None)
                assert r.results[0].status == "up to date"

            t0 = time.perf_counter()
            load_project(root, table="tool.witgen").build("standard", log=lambda _: None)
            gen_ms = (time.perf_counter() - t0) * 1000
            out = root / "build" / "witgen" / "out" / "echo"
            hashed = sum(p.stat().st_size for p in (root / "wit").rglob("*.wit"))
            hashed += sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
            ms = median_ms(noop, repeats)
            _inner, _wall, heavy = cold_ms(root, "tool.witgen", "pkg", 3)
            os.chdir(REPO)
            rows.append(
                {
                    "wit_files": n,
                    "kb_hashed": round(hashed / 1024, 1),
                    "first_build_ms": round(gen_ms, 1),
                    "noop_ms": round(ms, 3),
                    "us_per_kb": round(ms * 1000 / (hashed / 1024), 3),
                    "modules_loaded_on_noop": heavy or "none",
                }
            )
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeats", type=int, default=30)
    ap.add_argument("--sizes", type=int, nargs="+", default=[10, 100, 1000])
    ap.add_argument("--kb", type=int, default=4)
    ap.add_argument("--json", type=Path, help="write the results here")
    args = ap.parse_args()

    result = {
        "date": time.strftime("%Y-%m-%d"),
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
        },
        "overhead": overhead(args.repeats),
        "scaling": scaling(args.sizes, args.kb, max(5, args.repeats // 3)),
    }
    o = result["overhead"]
    print(
        f"no-op hook overhead, {o['package']} ({o['bindings']} bindings, {o['generated_files']} files):"
    )
    print(f"  warm in-process        {o['noop_warm_in_process_ms']:8.2f} ms")
    if o["noop_hatch_initialize_ms"] is not None:
        print(f"  hatch initialize       {o['noop_hatch_initialize_ms']:8.2f} ms")
    print(f"  cold (imports incl.)   {o['noop_cold_in_process_ms']:8.2f} ms")
    print(f"  cold process - python  {o['noop_cold_process_minus_python_ms']:8.2f} ms")
    if o["noop_cold_after_hatchling_loaded_ms"] is not None:
        print(f"  cold, in a hatch build {o['noop_cold_after_hatchling_loaded_ms']:8.2f} ms")
    print(
        f"  heavy modules loaded:  {o['modules_loaded_on_noop']}   (target < {o['target_ms']} ms)"
    )
    print(
        f"\n{'WIT files':>9} {'KB hashed':>10} {'first ms':>9} {'no-op ms':>9} {'us/KB':>7}  loaded"
    )
    for r in result["scaling"]:
        print(
            f"{r['wit_files']:>9} {r['kb_hashed']:>10} {r['first_build_ms']:>9} "
            f"{r['noop_ms']:>9} {r['us_per_kb']:>7}  {r['modules_loaded_on_noop']}"
        )
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(result, indent=2) + "\n")
    shutil.rmtree(REPO / "tests" / "hooks" / "__pycache__", ignore_errors=True)


if __name__ == "__main__":
    main()
