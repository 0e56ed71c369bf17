"""Benchmark: the hello host on stable Rust, cold and after a WIT edit, generated crate vs `bindgen!`.

The host is testprojects/hello-setuptools/host/src/main.rs (world `greeter`: one imported
interface with an enum, one exported function), unchanged in both variants:

- *witgen*: depends on the crate `witgen` generates with the default options (wasmtime
  `=48.0.8`, the newest release stable Rust builds);
- *bindgen*: `mod hello_bindings { wasmtime::component::bindgen!(...) }` over the same WIT, with
  the same wasmtime.

Each variant is its own cargo workspace with a fresh target dir, built with rustup's `stable`
toolchain (`RUSTUP_TOOLCHAIN=stable`):

- *cold build*: `cargo build` with nothing built (wasmtime, cranelift and every dependency);
- *rebuild after a WIT edit*: a function is added to the world's exports (the host does not
  call it, so `main.rs` is unchanged); witgen regenerates the crate (in process, timed and
  counted in the rebuild) and cargo rebuilds; bindgen!'s macro re-reads the WIT.

One run of each (a cold build takes minutes); the machine's load average is recorded, since
the 2 cores are shared.

    python bench/wasmtime_stable.py [--json bench/results/wasmtime_stable.json]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from witgen.wasmtime.versions import DEFAULT  # noqa: E402

PROJECT = REPO / "testprojects" / "hello-setuptools"
CACHE = Path(os.environ.get("WITGEN_CACHE", Path.home() / ".cache" / "witgen"))
WS = CACHE / "bench-stable"
WASMTIME = (
    f'{{ version = "{DEFAULT.pin}", default-features = false, '
    'features = ["component-model", "runtime", "cranelift", "std"] }'
)
EDIT = "  export farewell: func(name: string) -> string;\n"
PKG = '[package]\nname = "hello-host"\nversion = "0.1.0"\nedition = "2021"\npublish = false\n\n'


def _cargo(ws: Path, target: Path) -> float:
    env = dict(os.environ, CARGO_TARGET_DIR=str(target), CARGO_TERM_COLOR="never")
    env["RUSTUP_TOOLCHAIN"] = "stable"
    t0 = time.perf_counter()
    p = subprocess.run(["cargo", "build"], cwd=ws, env=env, capture_output=True, text=True)
    dt = time.perf_counter() - t0
    if p.returncode != 0:
        sys.exit(f"cargo build in {ws} failed:\n{p.stderr[-4000:]}")
    return round(dt, 2)


def _generate(wit: Path, out: Path) -> float:
    import witgen
    from witgen.targets import write_files
    from witgen.wasmtime import generate

    t0 = time.perf_counter()
    r = witgen.load(wit)
    files = generate(r, r.select_world("greeter"), {"crate_name": "hello-bindings"})
    write_files(files, out)
    return round(time.perf_counter() - t0, 3)


def _setup(variant: str) -> tuple[Path, Path]:
    ws = WS / variant
    shutil.rmtree(ws, ignore_errors=True)
    wit = ws / "wit"
    shutil.copytree(PROJECT / "wit", wit)
    main = (PROJECT / "host" / "src" / "main.rs").read_text()
    if variant == "witgen":
        _generate(wit, ws / "hello-bindings")
        deps = 'hello-bindings = { path = "hello-bindings" }\n'
        members = '[workspace]\nmembers = ["hello-bindings"]\n'
    else:
        macro = (
            "mod hello_bindings {\n    wasmtime::component::bindgen!({\n"
            f'        path: {json.dumps(str(wit))},\n        world: "greeter",\n    }});\n}}\n\n'
        )
        # after the host's own `//!` docs, which must open the file
        docs = "".join(ln + "\n" for ln in main.splitlines() if ln.startswith("//!"))
        main = docs + "\n" + macro + main.removeprefix(docs).lstrip("\n")
        deps, members = "", "[workspace]\n"
    (ws / "src").mkdir(parents=True)
    (ws / "src" / "main.rs").write_text(main)
    (ws / "Cargo.toml").write_text(
        PKG + f"[dependencies]\n{deps}wasmtime = {WASMTIME}\n\n" + members
    )
    return ws, wit / "greeter.wit"


def _edit(wit: Path) -> None:
    text = wit.read_text()
    anchor = "  export greet:"
    assert anchor in text
    wit.write_text(text.replace(anchor, EDIT + anchor))


def measure(variant: str) -> dict[str, float]:
    ws, wit = _setup(variant)
    target = Path(tempfile.mkdtemp(prefix=f"witgen-bench-stable-{variant}-"))
    try:
        out = {"cold_build_s": _cargo(ws, target)}
        _edit(wit)
        regen = _generate(wit.parent, ws / "hello-bindings") if variant == "witgen" else 0.0
        build = _cargo(ws, target)
        out |= {"regenerate_s": regen, "rebuild_after_wit_edit_s": round(regen + build, 2)}
        return out
    finally:
        shutil.rmtree(target, ignore_errors=True)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    rustc = subprocess.run(
        ["rustc", "+stable", "--version"], capture_output=True, text=True
    ).stdout.strip()
    load_before = os.getloadavg()[0]
    results = {}
    for v in ("witgen", "bindgen"):
        results[v] = measure(v)
        print(v, json.dumps(results[v]), flush=True)
    w, b = results["witgen"], results["bindgen"]
    out = {
        "benchmark": "wasmtime_stable",
        "world": "greeter (testprojects/hello-setuptools/wit)",
        "host": "testprojects/hello-setuptools/host/src/main.rs",
        "wasmtime": DEFAULT.pin,
        "rustc": rustc,
        "runs": 1,
        "machine": {"cpus": os.cpu_count(), "platform": platform.platform()},
        "load_average_1min": {"before": round(load_before, 2), "after": os.getloadavg()[0]},
        "results": results,
        # > 1: the generated crate is faster than bindgen!
        "cold_build_ratio_bindgen_over_witgen": round(b["cold_build_s"] / w["cold_build_s"], 2),
        "wit_edit_rebuild_ratio_bindgen_over_witgen": round(
            b["rebuild_after_wit_edit_s"] / w["rebuild_after_wit_edit_s"], 2
        ),
    }
    print(json.dumps(out, indent=2))
    if args.json:
        args.json.write_text(json.dumps(out, indent=2) + "\n")


if __name__ == "__main__":
    main()
