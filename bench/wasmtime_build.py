"""Benchmark: build cost of a small `wasi:http/proxy` host, generated crate vs `bindgen!`.

Host programs with the same `main.rs` body (instantiate a proxy component, reach its
`wasi:http/incoming-handler` export):

- *witgen*: depends on the crate `witgen generate --target wasmtime` makes for
  `../shared/corpus/wasi-http-p2` (world `wasi:http/proxy`);
- *witgen-dyn*: the same with the crate's `dynamic-linking` feature (`--opt
  dynamic_linking=true`: wasmtime linked from the crate's Rust dylib, a development option);
- *bindgen*: expands `wasmtime::component::bindgen!` over the same WIT in its `main.rs`;
- *bindgen-dyn*: `bindgen!` with wasmtime linked from the same dylib crate (set up by hand);
- *bare*, *bare-dyn*: no bindings at all (untyped instance lookups), linked statically and
  dynamically: the floor every variant of that link mode shares (`over_bare_s`).

Measured for each, in a cargo workspace under `~/.cache/witgen/bench-wasmtime` with the target
dir shared with tests/wasmtime (`~/.cache/witgen/cargo-target`, so wasmtime itself is built
once, see scripts/setup/40-rust.sh):

- *clean build*: `cargo clean -p` of the host (and of the generated crate), then `cargo build`
  (wasmtime and other dependencies stay built; `--cold` uses a fresh target dir instead and
  includes them);
- *rebuild*: touch `main.rs`, `cargo build` (the edit-compile loop), also as `cargo check`
  and with `CARGO_INCREMENTAL=0` (as CI and release builds compile).

    python bench/wasmtime_build.py [--repeats 3] [--cold] [--json bench/results/wasmtime_build.json]
    python bench/wasmtime_build.py --rustflags='-C link-arg=-fuse-ld=lld' \
        --target-dir ~/.cache/witgen/cargo-target-lld --json bench/results/wasmtime_build_lld.json
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
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests"))

from support.rust import cargo_env  # noqa: E402

from witgen.wasmtime.versions import DEFAULT  # noqa: E402

CACHE = Path(os.environ.get("WITGEN_CACHE", Path.home() / ".cache" / "witgen"))
WS = CACHE / "bench-wasmtime"
WASMTIME = (
    f'{{ version = "{DEFAULT.pin}", default-features = false, '
    'features = ["cranelift", "component-model", "runtime", "std"] }'
)

BODY = """
fn main() -> wasmtime::Result<()> {
    let path = std::env::args().nth(1).expect("usage: host COMPONENT");
    let engine = Engine::default();
    let component = Component::from_file(&engine, &path)?;
    let linker = Linker::<()>::new(&engine);
    let mut store = Store::new(&engine, ());
    let proxy = Proxy::instantiate(&mut store, &component, &linker)?;
    let _handler = proxy.wasi_http_incoming_handler();
    println!("instantiated");
    Ok(())
}
"""

#: the host programs, each `<variant>-host` (see the module docstring)
VARIANTS = ("witgen", "witgen-dyn", "bindgen", "bindgen-dyn", "bare", "bare-dyn")

BARE_BODY = """
fn main() -> wasmtime::Result<()> {
    let path = std::env::args().nth(1).expect("usage: host COMPONENT");
    let engine = Engine::default();
    let component = Component::from_file(&engine, &path)?;
    let linker = Linker::<()>::new(&engine);
    let mut store = Store::new(&engine, ());
    let instance = linker.instantiate(&mut store, &component)?;
    let _handler = instance.get_export_index(&mut store, None, "wasi:http/incoming-handler@0.2.0");
    println!("instantiated");
    Ok(())
}
"""


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists() or path.read_text() != text:
        path.write_text(text)


def setup(corpus: Path) -> None:
    import witgen
    from witgen.targets import write_files
    from witgen.wasmtime import generate

    r = witgen.load(corpus)
    opts = {"crate_name": "proxy-bindings", "dynamic_linking": True}
    files = generate(r, r.select_world("wasi:http/proxy"), opts)
    out = WS / "proxy-bindings"
    shutil.rmtree(out, ignore_errors=True)
    write_files(files, out)
    pkg = '[package]\nname = "{n}"\nversion = "0.1.0"\nedition = "2021"\npublish = false\n\n'
    uses = "use wasmtime::component::{Component, Linker};\nuse wasmtime::{Engine, Store};\n"
    bindgen = (
        "wasmtime::component::bindgen!({\n"
        f"    path: {json.dumps(str(corpus))},\n"
        '    world: "wasi:http/proxy",\n'
        "});\n\n"
    )
    generated = "use proxy_bindings::Proxy;\n"
    # the *-dyn variants link wasmtime from the generated crate's dylib: the witgen one through
    # its `dynamic-linking` feature, the others (as a bindgen! user could set it up by hand)
    # through a direct dependency on that dylib crate, which holds wasmtime and nothing else
    dylib_dep = 'proxy-bindings-dylib = { path = "../proxy-bindings/dylib" }\n'
    dylib_use = "#[allow(unused_imports)]\nuse proxy_bindings_dylib as _;\n"
    crate = 'proxy-bindings = {{ path = "../proxy-bindings"{features} }}\n'
    hosts = {  # variant: (extra [dependencies] lines, head of main.rs, body of main.rs)
        "witgen": (crate.format(features=""), generated, BODY),
        "witgen-dyn": (
            crate.format(features=', features = ["dynamic-linking"]'),
            generated,
            BODY,
        ),
        "bindgen": ("", bindgen, BODY),
        "bindgen-dyn": (dylib_dep, dylib_use + bindgen, BODY),
        "bare": ("", "", BARE_BODY),
        "bare-dyn": (dylib_dep, dylib_use, BARE_BODY),
    }
    assert tuple(hosts) == VARIANTS
    for variant, (deps, head, body) in hosts.items():
        name = f"{variant}-host"
        write(
            WS / name / "Cargo.toml",
            pkg.format(n=name) + f"[dependencies]\n{deps}wasmtime = {WASMTIME}\n",
        )
        write(WS / name / "src" / "main.rs", head + uses + body)
    members = ", ".join(json.dumps(m) for m in [*(f"{v}-host" for v in hosts), "proxy-bindings"])
    write(WS / "Cargo.toml", f'[workspace]\nresolver = "2"\nmembers = [{members}]\n')


RUSTFLAGS: str | None = None


def cargo(args: list[str], target: Path, incremental: bool = True) -> float:
    env = dict(os.environ, CARGO_TARGET_DIR=str(target), CARGO_TERM_COLOR="never")
    env.update(cargo_env())
    if RUSTFLAGS is not None:
        env["RUSTFLAGS"] = RUSTFLAGS
    if not incremental:
        env["CARGO_INCREMENTAL"] = "0"
    t0 = time.perf_counter()
    proc = subprocess.run(["cargo", *args], cwd=WS, env=env, capture_output=True, text=True)
    dt = time.perf_counter() - t0
    if proc.returncode != 0:
        sys.exit(f"cargo {' '.join(args)} failed:\n{proc.stderr[-4000:]}")
    return dt


#: the generated crates a variant's clean build rebuilds too
CRATES = {"witgen": ["proxy-bindings"], "witgen-dyn": ["proxy-bindings", "proxy-bindings-dylib"]}


def measure(variant: str, target: Path, repeats: int, cold: bool) -> dict:
    pkgs = ["-p", f"{variant}-host"]
    for crate in CRATES.get(variant, []):
        pkgs += ["-p", crate]
    clean, rebuild, check, noincr = [], [], [], []
    main_rs = WS / f"{variant}-host" / "src" / "main.rs"
    host = ["-p", f"{variant}-host"]
    for _ in range(repeats):
        if cold:
            shutil.rmtree(target, ignore_errors=True)
        else:
            cargo(["clean", *pkgs], target)
        clean.append(cargo(["build", *host], target))
        for _ in range(2):
            main_rs.touch()
            rebuild.append(cargo(["build", *host], target))
        cargo(["check", *host], target)
        for _ in range(2):
            main_rs.touch()
            check.append(cargo(["check", *host], target))
        cargo(["build", *host], target, incremental=False)
        for _ in range(2):
            main_rs.touch()
            noincr.append(cargo(["build", *host], target, incremental=False))
    med = statistics.median
    return {
        "clean_build_s": round(med(clean), 2),
        "rebuild_after_touch_s": round(med(rebuild), 2),
        "recheck_after_touch_s": round(med(check), 2),
        "rebuild_after_touch_no_incremental_s": round(med(noincr), 2),
        "clean_runs": [round(x, 2) for x in clean],
        "rebuild_runs": [round(x, 2) for x in rebuild],
        "recheck_runs": [round(x, 2) for x in check],
        "rebuild_no_incremental_runs": [round(x, 2) for x in noincr],
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--cold", action="store_true", help="clean builds include all dependencies")
    ap.add_argument("--json", type=Path)
    ap.add_argument("--rustflags", help="e.g. '-C link-arg=-fuse-ld=lld' (faster linking)")
    ap.add_argument("--target-dir", type=Path, help="default: ~/.cache/witgen/cargo-target")
    args = ap.parse_args()
    global RUSTFLAGS
    RUSTFLAGS = args.rustflags
    corpus = REPO.parent / "shared" / "corpus" / "wasi-http-p2"
    if not corpus.is_dir() or shutil.which("cargo") is None:
        sys.exit("needs ../shared/corpus/wasi-http-p2 and cargo")
    setup(corpus)
    target = args.target_dir or CACHE / "cargo-target"
    if args.cold:
        target = Path(tempfile.mkdtemp(prefix="witgen-bench-"))
    # warm the dependencies
    for v in VARIANTS:
        cargo(["build", "-p", f"{v}-host"], target)
    results = {v: measure(v, target, args.repeats, args.cold) for v in VARIANTS}

    def speedup(key: str, ours: str = "witgen") -> float:
        return round(results["bindgen"][key] / results[ours][key], 2)

    ratio = speedup("rebuild_after_touch_s")
    dyn_ratio = speedup("rebuild_after_touch_s", "witgen-dyn")
    out = {
        "benchmark": "wasmtime_build",
        "world": "wasi:http/proxy (../shared/corpus/wasi-http-p2)",
        "wasmtime": DEFAULT.pin,
        "mode": "cold (fresh target dir)" if args.cold else "dependencies prebuilt",
        "rustflags": args.rustflags or "",
        "machine": {"cpus": os.cpu_count(), "platform": platform.platform()},
        "rustc": subprocess.run(
            ["rustc", "--version"],
            capture_output=True,
            text=True,
            env={**os.environ, **cargo_env()},
        ).stdout.strip(),
        "results": results,
        "rebuild_speedup": ratio,
        "recheck_speedup": speedup("recheck_after_touch_s"),
        "rebuild_no_incremental_speedup": speedup("rebuild_after_touch_no_incremental_s"),
        "clean_build_speedup": speedup("clean_build_s"),
        # with the generated crate's `dynamic-linking` feature (a development-build option)
        "dynamic_linking": {
            "rebuild_speedup": dyn_ratio,
            "recheck_speedup": speedup("recheck_after_touch_s", "witgen-dyn"),
            "rebuild_no_incremental_speedup": speedup(
                "rebuild_after_touch_no_incremental_s", "witgen-dyn"
            ),
            "clean_build_speedup": speedup("clean_build_s", "witgen-dyn"),
            # both dynamically linked: what the generated crate saves over bindgen! itself
            "rebuild_speedup_vs_bindgen_dyn": round(
                results["bindgen-dyn"]["rebuild_after_touch_s"]
                / results["witgen-dyn"]["rebuild_after_touch_s"],
                2,
            ),
        },
        # what each way of binding adds to the floor (the same program without bindings)
        "over_bare_s": {
            v: {
                k: round(results[v][k] - results["bare-dyn" if "dyn" in v else "bare"][k], 2)
                for k in (
                    "rebuild_after_touch_s",
                    "recheck_after_touch_s",
                    "rebuild_after_touch_no_incremental_s",
                )
            }
            for v in ("witgen", "witgen-dyn", "bindgen", "bindgen-dyn")
        },
        "target_rebuild_speedup": 2.0,
        "met": ratio >= 2.0,
        "met_with_dynamic_linking": dyn_ratio >= 2.0,
    }
    print(json.dumps(out, indent=2))
    if args.json:
        args.json.write_text(json.dumps(out, indent=2) + "\n")


if __name__ == "__main__":
    main()
