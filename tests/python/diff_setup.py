"""The Rust side of the python target's differential tests: one host program, `pydiff`.

`pydiff SUITE COMPONENT` (sources in tests/python/diffhost/) runs the scenarios of SUITE
(scalars, compound, resources, misbehave, dual, hello) on a C guest's component through crates the wasmtime
target generates, and prints one `name = value` line per scenario in the canonical rendering of
tests/python/canon.py. tests/python/test_python_vs_rust.py runs the same scenarios through the
python target's package and compares the lines.

The crates and the host live in their own cargo workspace (`$WITGEN_CACHE/python-diff-ws`),
with the lock file of tests/wasmtime so wasmtime is the release the other tests use, and build
into their own target dir (`$WITGEN_CACHE/pydiff-target`): pydiff's wasmtime features differ
from the unified features of the tests/wasmtime workspace, so sharing that target dir would
not reuse its wasmtime build and would hold its lock for the length of a wasmtime compile. scripts/setup/40-rust.sh runs
`python tests/python/diff_setup.py --prebuild` so CI finds the host built.
`WITGEN_PYDIFF_TARGET` names another target dir.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
sys.path.insert(0, str(REPO / "tests" / "wasmtime"))
sys.path.insert(0, str(REPO / "tests"))
sys.path.insert(0, str(REPO))

from wasmtime_setup import HOST_WASMTIME, host_includes  # noqa: E402
from wasmtime_ws import CACHE, Workspace  # noqa: E402

WS = CACHE / "python-diff-ws"
TARGET_DIR = Path(os.environ.get("WITGEN_PYDIFF_TARGET", str(CACHE / "pydiff-target")))
GUESTS = REPO / "tests" / "guests" / "c"
#: crate -> (C guest, world, options): the wasmtime target's crates the host uses
CRATES = {
    "pd-scalars": ("scalars", "scalars", {}),
    "pd-compound": ("compound", "compound", {}),
    "pd-resources": ("resources", "resources", {}),
    "pd-misbehave": ("misbehave", "misbehave", {"trappable_imports": True}),
    "pd-dual": ("dual", "dual", {}),
    "pd-hello": ("hello", "hello", {}),
}
HOST = "pydiff"


def binary() -> Path:
    return TARGET_DIR / "debug" / HOST


def populate() -> Workspace:
    """Generate the crates and write the host crate and the workspace manifest."""
    import witgen
    from witgen.wasmtime import generate

    ws = Workspace(root=WS)
    deps = ""
    for crate, (guest, world, opts) in CRATES.items():
        r = witgen.load(GUESTS / guest / "world.wit")
        ws.add_files(f"gen/{crate}", generate(r, r.select_world(world), {"crate_name": crate, **opts}))
        deps += f'{crate.replace("-", "_")} = {{ path = "../gen/{crate}", package = "{crate}" }}\n'
    manifest = (
        f'[package]\nname = "{HOST}"\nversion = "0.1.0"\nedition = "2021"\npublish = false\n\n'
        f'[[bin]]\nname = "{HOST}"\npath = "src/main.rs"\n\n'
        f"[dependencies]\n{deps}wasmtime = {HOST_WASMTIME}\n"
    )
    sources = {f"src/{p.name}": p.read_bytes() for p in sorted((HERE / "diffhost").glob("*.rs"))}
    # the host impls shared with tests/wasmtime/hosts (`include!("x.rs")`)
    for text in [s.decode() for s in sources.values()]:
        sources.update({f"src/{n}": data for n, data in host_includes(text).items()})
    ws.add_files("host", {"Cargo.toml": manifest.encode(), **sources})
    ws.write_manifest()
    return ws


def build() -> subprocess.CompletedProcess[str]:
    """`cargo build` of the host (a no-op when nothing changed)."""
    ws = populate()
    return ws.cargo("build", "-p", HOST, env={"CARGO_TARGET_DIR": str(TARGET_DIR)})


def main() -> int:
    import argparse

    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--prebuild", action="store_true", help="build the host program")
    args = ap.parse_args()
    if args.prebuild:
        proc = build()
        print(f"diff_setup: cargo build -p {HOST}: exit {proc.returncode}")
        if proc.returncode != 0:
            print(proc.stderr[-3000:], file=sys.stderr)
            return 1
    else:
        print(f"diff_setup: workspace written to {populate().root}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
