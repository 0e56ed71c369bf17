"""The workspace members that compare the generated crates with `bindgen!` itself.

- `api-bindgen`: one crate holding `bindgen!` of every world of ../shared/corpus, one module
  per world (`wasi_p2_6`, ...), read with rustdoc JSON by test_api_parity.py against the
  generated crate of the same world (the `-full` crates of `wasmtime_setup.corpus_cases`).
- `docs-all` and `docs-partial` (wit/documented.wit): checked with `-D missing_docs`.
- `rt-debug` and the host `host-debug_parity` (hosts/debug_parity.rs): the same values of
  wit/debug.wit formatted through the generated crate and through `bindgen!`.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEBUG_WIT = HERE / "wit" / "debug.wit"
DOCUMENTED_WIT = HERE / "wit" / "documented.wit"
#: crate -> world of wit/documented.wit (checked with `-D missing_docs`)
DOCS_CRATES = {"docs-all": "documented", "docs-partial": "partial"}
#: the corpus folders whose every world is compared
CORPUS_DIRS = ("wasi-p2", "wasi-http-p2", "wasi-p3", "wasi-http-p3")
#: what the bindgen! crate needs of wasmtime (WASI 0.3 worlds have `async func`s)
API_FEATURES = ["component-model", "runtime", "std", "async", "component-model-async"]


def api_module(case: str, wid: int) -> str:
    """The module of the bindgen! crate holding world `wid` of corpus folder `case`."""
    return f"{case.replace('-', '_')}_{wid}"


def qualified_world(resolve, wid: int) -> str:
    w = resolve.worlds[wid]
    pkg = resolve.packages[w.package].name
    return f"{pkg.namespace}:{pkg.name}/{w.name}"


def add_api_bindgen(ws, shared: Path, wasmtime_version: str) -> None:
    """The `api-bindgen` crate: `pub mod <case>_<wid> { bindgen!({..}); }` per corpus world."""
    from wasmtime_setup import load_all

    mods = []
    for case in CORPUS_DIRS:
        r = load_all(shared / "corpus" / case)
        path = json.dumps(str(shared.resolve() / "corpus" / case))
        for wid in range(len(r.worlds)):
            world = json.dumps(qualified_world(r, wid))
            mods.append(
                f"pub mod {api_module(case, wid)} {{\n"
                f"    wasmtime::component::bindgen!({{ path: {path}, world: {world} }});\n}}\n"
            )
    features = ", ".join(json.dumps(f) for f in API_FEATURES)
    manifest = (
        '[package]\nname = "api-bindgen"\nversion = "0.1.0"\nedition = "2021"\npublish = false\n\n'
        f'[dependencies]\nwasmtime = {{ version = "={wasmtime_version}", '
        f"default-features = false, features = [{features}] }}\n"
    )
    lib = "//! bindgen! of every world of ../shared/corpus (tests/wasmtime/test_api_parity.py).\n"
    ws.add_files(
        "gen/api-bindgen",
        {"Cargo.toml": manifest.encode(), "src/lib.rs": (lib + "\n" + "\n".join(mods)).encode()},
    )


def add_debug_parity(ws, gw, gen, host_wasmtime: str) -> None:
    """`rt-debug` (wit/debug.wit) and `host-debug_parity`, which uses it beside bindgen!."""
    from wasmtime_setup import load_all

    r = load_all(DEBUG_WIT)
    ws.add_files("gen/rt-debug", gen(r, r.select_world("dbg"), {"crate_name": "rt-debug"}))
    gw.crates["rt-debug"] = "runtime:rt-debug"
    manifest = (
        '[package]\nname = "host-debug_parity"\nversion = "0.1.0"\nedition = "2021"\n'
        'publish = false\n\n[[bin]]\nname = "host-debug_parity"\npath = "main.rs"\n\n'
        '[dependencies]\nrt_debug = { path = "../../gen/rt-debug", package = "rt-debug" }\n'
        f"wasmtime = {host_wasmtime}\n"
    )
    ws.add_files(
        "hosts/debug_parity",
        {
            "Cargo.toml": manifest.encode(),
            "main.rs": (HERE / "hosts" / "debug_parity.rs").read_bytes(),
            "wit/debug.wit": DEBUG_WIT.read_bytes(),
        },
    )
    gw.hosts.append("host-debug_parity")


def add_documented(ws, gw, gen) -> None:
    """The crates of wit/documented.wit's worlds (`DOCS_CRATES`)."""
    from wasmtime_setup import load_all

    r = load_all(DOCUMENTED_WIT)
    for name, world in DOCS_CRATES.items():
        ws.add_files(f"gen/{name}", gen(r, r.select_world(world), {"crate_name": name}))
        gw.crates[name] = f"docs:{name}"


def nightly_toolchain() -> str | None:
    """An installed nightly toolchain (rustdoc's JSON output is unstable), or None."""
    rustup = shutil.which("rustup") or str(Path.home() / ".cargo" / "bin" / "rustup")
    try:
        out = subprocess.run(
            [rustup, "toolchain", "list"], capture_output=True, text=True, timeout=60
        ).stdout
    except OSError:
        return None
    names = [ln.split()[0] for ln in out.splitlines() if ln.startswith("nightly")]
    return names[0] if names else None


def api_worlds(shared: Path) -> list[tuple[str, str, int]]:
    """(generated crate, corpus folder, world index) of every world of the corpus."""
    from wasmtime_setup import corpus_cases, world_crate_name

    out = []
    for case, r in corpus_cases(shared):
        if case in CORPUS_DIRS:
            for wid in range(len(r.worlds)):
                out.append((world_crate_name(case, r, wid, "full"), case, wid))
    return out


def api_doc_command(shared: Path, nightly: str) -> tuple[list[str], dict[str, str]]:
    """The cargo arguments and environment writing the rustdoc JSON of `api-bindgen` and of
    every corpus world's crate (one invocation; also run by `wasmtime_setup.py --prebuild`)."""
    args = ["doc", "--no-deps", "--lib", "-p", "api-bindgen"]
    for crate, _case, _wid in api_worlds(shared):
        args += ["-p", crate]
    env = {"RUSTUP_TOOLCHAIN": nightly, "RUSTDOCFLAGS": "-Z unstable-options --output-format json"}
    return args, env
