"""The crates and host programs of the wasmtime tests, as one cargo workspace.

Used by tests/wasmtime/conftest.py (the `workspace` fixture) and by scripts/setup/40-rust.sh
(`python tests/wasmtime/wasmtime_setup.py --prebuild`, which runs the same cargo commands as the
tests so that CI's runs find everything built, then checks the corpus on every supported
wasmtime major, majors.py).
"""

from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import keywords  # noqa: E402
from parity_setup import (  # noqa: E402
    CORPUS_DIRS,
    add_api_bindgen,
    add_debug_parity,
    add_documented,
    api_doc_command,
    nightly_toolchain,
)
from wasmtime_ws import (  # noqa: E402
    TARGET,
    Workspace,
    crate_dir_name,
    errors_by_crate,
    write_if_changed,
)

from witgen.wasmtime.versions import DEFAULT  # noqa: E402

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
OPTIONS_WIT = HERE / "wit" / "options.wit"

#: wasmtime as the host programs use it (the generated crates ask for less)
HOST_WASMTIME = (
    f'{{ version = "{DEFAULT.pin}", default-features = false, '
    'features = ["cranelift", "component-model", "runtime", "std"] }'
)

#: wasmtime-wasi, for the crate and host that map `wasi:*` onto it
WASMTIME_WASI = (
    f'{{ version = "={DEFAULT.wasi}", default-features = false, features = ["p2"] }}'
)

#: ../shared/corpus/wasi-p2, relative to tests/guests
CORPUS_WASI_P2 = "../../../shared/corpus/wasi-p2"

#: (crate, WIT path relative to tests/guests, world, options) of the runtime guests' crates
RUNTIME_CRATES = [
    ("rt-scalars", "c/scalars/world.wit", "scalars", {}),
    ("rt-scalars-trappable", "c/scalars/world.wit", "scalars", {"trappable_imports": True}),
    ("rt-scalars-async", "c/scalars/world.wit", "scalars", {"async": True}),
    ("rt-compound", "c/compound/world.wit", "compound", {"additional_derives": ["PartialEq"]}),
    ("rt-resources", "c/resources/world.wit", "resources", {}),
    ("rt-misbehave", "c/misbehave/world.wit", "misbehave", {"trappable_imports": True}),
    ("rt-hello", "c/hello/world.wit", "hello", {}),
    # wasmtime linked from the crate's dylib (`dynamic-linking`), for hosts/hello.rs again
    ("rt-hello-dyn", "c/hello/world.wit", "hello", {"dynamic_linking": True}),
    ("rt-async", "c/async/world.wit", "async-guest", {}),
    ("rt-async-trappable", "c/async/world.wit", "async-guest", {"trappable_imports": True}),
    ("rt-error-context", "c/error-context/world.wit", "error-guest", {}),
    # the async API beyond the guest (compiled, linked and rustfmt/clippy-checked only)
    ("rt-async-api", "../wasmtime/wit/async-api.wit", "rich", {}),
    (
        "rt-async-api-trappable",
        "../wasmtime/wit/async-api.wit",
        "rich",
        {"trappable_imports": True},
    ),
    ("rt-async-api-async", "../wasmtime/wit/async-api.wit", "rich", {"async": True}),
    # WASI onto wasmtime-wasi with the one option (hosts/wasi.rs adds WASI with wasmtime-wasi)
    ("rt-wasi", "c/wasi/wit", "wasi-guest", {"wasi": "wasmtime-wasi"}),
    # the corpus's `wasi:cli/command` for the WASI command guest (hosts/wasi_command.rs)
    ("rt-wasi-command", CORPUS_WASI_P2, "wasi:cli/command", {"wasi": "wasmtime-wasi"}),
    # `with` onto rt-compound, the same world's crate (hosts/with_compound.rs)
    (
        "rt-with-compound",
        "c/compound/world.wit",
        "compound",
        {
            "with": {"witgen:compound": "rt_compound::witgen::compound"},
            "dependencies": {"rt-compound": '{ path = "../rt-compound" }'},
        },
    ),
    (
        "rt-borrow-compound",
        "c/compound/world.wit",
        "compound",
        {"ownership": "borrowing", "additional_derives": ["PartialEq"]},
    ),
    (
        "rt-borrow-dup-compound",
        "c/compound/world.wit",
        "compound",
        {"ownership": "borrowing-duplicate", "additional_derives": ["PartialEq"]},
    ),
]

#: (crate, corpus folder, world, options): corpus worlds with WASI mapped onto wasmtime-wasi
WASI_VARIANTS = [
    (
        "opt-with-wasmtime-wasi",
        "wasi-p2",
        "wasi:cli/command",
        {
            "with": {"wasi": "wasmtime_wasi::p2::bindings::sync"},
            "dependencies": {"wasmtime-wasi": WASMTIME_WASI},
        },
    ),
    ("opt-wasi-command", "wasi-p2", "wasi:cli/command", {"wasi": "wasmtime-wasi"}),
    (
        "opt-wasi-command-async",
        "wasi-p2",
        "wasi:cli/command",
        {"wasi": "wasmtime-wasi", "async": True},
    ),
    ("opt-wasi-proxy", "wasi-http-p2", "wasi:http/proxy", {"wasi": "wasmtime-wasi"}),
    (
        "opt-wasi-proxy-async",
        "wasi-http-p2",
        "wasi:http/proxy",
        {"wasi": "wasmtime-wasi", "async": True},
    ),
]

#: host program -> the generated crate it uses
HOSTS = {
    "scalars": "rt-scalars",
    "scalars_trap": "rt-scalars-trappable",
    "scalars_async": "rt-scalars-async",
    "compound": "rt-compound",
    "resources": "rt-resources",
    "misbehave": "rt-misbehave",
    "hello": "rt-hello",
    "async": "rt-async",
    "async_trap": "rt-async-trappable",
    "async_api": "rt-async-api",
    "error_context": "rt-error-context",
    "wasi": "rt-wasi",
    "wasi_command": "rt-wasi-command",
    "with_compound": "rt-with-compound",
    "borrow_compound": "rt-borrow-compound",
    "borrow_dup_compound": "rt-borrow-dup-compound",
    "hello_dyn": "rt-hello-dyn",
}

#: hosts built from another host's source: host -> the host whose `hosts/*.rs` it compiles
#: (the generated crate is then renamed to the one that source uses)
HOST_SOURCE = {"hello_dyn": "hello"}
#: features a host turns on in its generated crate
HOST_CRATE_FEATURES = {"hello_dyn": ["dynamic-linking"]}

#: hosts also compiled against bindgen! (`mod rt_x { bindgen!(...) }` replaces the dependency)
COMPAT = {
    "scalars": ("c/scalars/world.wit", "scalars", ""),
    "resources": ("c/resources/world.wit", "resources", ""),
    "hello": ("c/hello/world.wit", "hello", ""),
    "async": ("c/async/world.wit", "async-guest", ""),
    "async_api": ("../wasmtime/wit/async-api.wit", "rich", ""),
    "error_context": ("c/error-context/world.wit", "error-guest", ""),
    "wasi": (
        "c/wasi/wit",
        "wasi-guest",
        '        with: { "wasi": wasmtime_wasi::p2::bindings::sync },\n'
        "        require_store_data_send: true,\n",
    ),
    "wasi_command": (
        CORPUS_WASI_P2,
        "wasi:cli/command",
        '        with: { "wasi": wasmtime_wasi::p2::bindings::sync },\n'
        "        require_store_data_send: true,\n",
    ),
}
#: wasmtime features a host (and its bindgen! twin) needs beyond HOST_WASMTIME's
HOST_FEATURES = {
    "async": ["component-model-async"],
    "async_trap": ["component-model-async"],
    "async_api": ["component-model-async"],
    "error_context": ["component-model-async"],
}
#: `[dependencies]` lines a host (and its bindgen! twin) needs beyond the generated crate
HOST_DEPS = {
    "wasi": f"wasmtime-wasi = {WASMTIME_WASI}\n",
    "wasi_command": f"wasmtime-wasi = {WASMTIME_WASI}\n",
    "with_compound": 'rt_compound = { path = "../../gen/rt-compound", package = "rt-compound" }\n',
}
_UNUSED = {}


def host_includes(src: str) -> dict[str, bytes]:
    """The files a host source pulls in with `include!("x.rs")` (from tests/wasmtime/hosts)."""
    names = re.findall(r'include!\("([\w.]+)"\)', src)
    return {n: (HERE / "hosts" / n).read_bytes() for n in names}


def _host_wasmtime(host: str) -> str:
    extra = "".join(f', "{f}"' for f in HOST_FEATURES.get(host, []))
    return HOST_WASMTIME.replace('"std"]', f'"std"{extra}]')


def _opt_variants() -> dict[str, dict]:
    errors_dep = f'{{ path = "{HERE / "crates" / "opt-errors"}" }}'
    return {
        "opt-default": {},
        "opt-async": {"async": True},
        "opt-trappable": {
            "trappable_imports": True,
            "trappable_error_type": {"test:opts/base.error": "opt_errors::MyError"},
            "dependencies": {"opt-errors": errors_dep},
        },
        "opt-trappable-some": {"trappable_imports": ["test:opts/api.slow", "tick"]},
        "opt-borrowing": {
            "ownership": "borrowing-duplicate",
            "additional_derives": ["PartialEq", "Eq"],
        },
        "opt-borrowing-plain": {"ownership": "borrowing"},
        "opt-with": {
            "with": {"test:opts/base": "opt_default::test::opts::base"},
            "dependencies": {"opt-default": '{ path = "../opt-default" }'},
        },
        "opt-traits-async": {"traits_only": True, "async": True},
        "opt-no-context": {"error_context": False},
        "opt-async-some": {"async": ["test:opts/api.slow", "test:opts/api.echo", "run"]},
    }


@dataclass
class GenWorkspace:
    ws: Workspace
    #: crate dir name -> description (for test ids)
    crates: dict[str, str] = field(default_factory=dict)
    traits_only: set[str] = field(default_factory=set)
    hosts: list[str] = field(default_factory=list)
    _runs: dict = field(default_factory=dict)

    def cargo_run(self, key: str, *args: str, timeout: int = 3600):
        """Run `cargo ARGS` once per session (memoized by `key`)."""
        if key not in self._runs:
            self._runs[key] = self.ws.cargo(*args, timeout=timeout)
        return self._runs[key]

    def diagnostics(self, key: str, *args: str) -> dict[str, list[str]]:
        proc = self.cargo_run(key, *args)
        return errors_by_crate(proc.stderr)

    def binary(self, name: str) -> Path:
        return TARGET / "debug" / name


def load_all(path: Path):
    """The WIT at `path` as the wasmtime target sees it: every `@unstable` item kept (as
    bindgen! loads it; `witgen.targets` does the same for the wasmtime target)."""
    import witgen

    return witgen.load(path, all_features=True)


def _gen(resolve, world_id: int, options: dict) -> dict[str, bytes]:
    from witgen.wasmtime import generate

    return generate(resolve, world_id, options)


def corpus_cases(shared: Path) -> list[tuple[str, object]]:
    from support.wit_cases import pass_cases

    out = []
    for c in pass_cases(shared):
        try:
            r = load_all(c.path)
        except Exception:  # the 4 documented divergences are rejected by the front end
            continue
        out.append(("ui-" + c.name.removesuffix(".wit"), r))
    for d in CORPUS_DIRS:
        out.append((d, load_all(shared / "corpus" / d)))
    return out


def world_crate_name(case: str, resolve, wid: int, mode: str) -> str:
    w = resolve.worlds[wid]
    pkg = resolve.packages[w.package].name
    return crate_dir_name(f"{case}-{pkg.namespace}-{pkg.name}-{w.name}-{mode}")


def keyword_crates() -> list[tuple[str, str]]:
    """(crate, mode) of the keyword corpus: world `all` in both modes, each name's world, and
    the name clashes of `wit/name-clashes.wit` (world `clashes` sync and async, a world named
    like a `TypedFunc` alias, and world `options` with the options that add names)."""
    out = [("kw-all-full", "full"), ("kw-all-traits", "traits"), ("kw-all-async", "async")]
    out += [("kw-clash-full", "full"), ("kw-clash-async", "async")]
    out += [("kw-clash-typed-func-x", "full"), ("kw-clash-options", "options")]
    return out + [(f"kw-world-{k}", "full") for k in keywords.WORLD_NAMES]


def _keyword_world(root: Path, crate: str) -> tuple[int, object]:
    """The world of keyword crate `crate`, from the corpus written under `root/wit`."""

    if crate.startswith("kw-clash-"):
        r = load_all(HERE / "wit" / "name-clashes.wit")
        world = crate.removeprefix("kw-clash-")
        return r.select_world("clashes" if world in ("full", "async") else world), r
    if crate.startswith("kw-all-"):
        path, world = root / "wit" / "keywords-names.wit", "all"
        text = keywords.names_wit()
    else:
        path, world = root / "wit" / "keywords-worlds.wit", crate.removeprefix("kw-world-")
        text = keywords.worlds_wit()
    if path not in _KEYWORD_RESOLVES:
        write_if_changed(path, text.encode())
        _KEYWORD_RESOLVES[path] = load_all(path)
    r = _KEYWORD_RESOLVES[path]
    return r.select_world(world), r


_KEYWORD_RESOLVES: dict[Path, object] = {}


def populate(shared_dir: Path) -> GenWorkspace:
    """Generate every crate and host program into the workspace and write its manifest."""

    ws = Workspace()
    gw = GenWorkspace(ws)
    # corpus and conformance worlds, both modes
    for case, r in corpus_cases(shared_dir):
        for wid in range(len(r.worlds)):
            for mode in ("full", "traits"):
                name = world_crate_name(case, r, wid, mode)
                opts = {"crate_name": name, "traits_only": mode == "traits"}
                ws.add_files(f"gen/{name}", _gen(r, wid, opts))
                gw.crates[name] = f"{case}:{r.worlds[wid].name}:{mode}"
                if mode == "traits":
                    gw.traits_only.add(name)
    # every Rust keyword and std name in every naming position (keywords.py)
    for name, mode in keyword_crates():
        wid, r = _keyword_world(ws.root, name)
        opts = {"crate_name": name, "traits_only": mode == "traits", "async": mode == "async"}
        if mode == "options":  # the names two options add (name-clashes.wit, world `options`)
            opts |= {
                "ownership": "borrowing-duplicate",
                "trappable_imports": True,
                "trappable_error_type": {"rn:clashes/opt-i.e": "opt_errors::MyError"},
                "dependencies": {"opt-errors": f'{{ path = "{HERE / "crates" / "opt-errors"}" }}'},
            }
        ws.add_files(f"gen/{name}", _gen(r, wid, opts))
        gw.crates[name] = f"keywords:{name}"
        if mode == "traits":
            gw.traits_only.add(name)
    # options
    r = load_all(OPTIONS_WIT)
    wid = r.select_world("opts")
    for name, opts in _opt_variants().items():
        ws.add_files(f"gen/{name}", _gen(r, wid, {"crate_name": name, **opts}))
        gw.crates[name] = f"options:{name}"
        if opts.get("traits_only"):
            gw.traits_only.add(name)
    # WASI onto wasmtime-wasi: by hand (`with`, link options, dependency) and with `wasi`
    for name, corpus, world, opts in WASI_VARIANTS:
        r = load_all(shared_dir / "corpus" / corpus)
        ws.add_files(f"gen/{name}", _gen(r, r.select_world(world), {"crate_name": name, **opts}))
        gw.crates[name] = f"options:{name}"
    # runtime crates and hosts
    guests = REPO / "tests" / "guests"
    for name, wit, world, opts in RUNTIME_CRATES:
        r = load_all(guests / wit)
        ws.add_files(f"gen/{name}", _gen(r, r.select_world(world), {"crate_name": name, **opts}))
        gw.crates[name] = f"runtime:{name}"
    for host, crate in HOSTS.items():
        source = HOST_SOURCE.get(host, host)
        src = (HERE / "hosts" / f"{source}.rs").read_bytes()
        lib = HOSTS[source].replace("-", "_")
        feats = HOST_CRATE_FEATURES.get(host, [])
        features = f", features = {json.dumps(feats)}" if feats else ""
        manifest = (
            f'[package]\nname = "host-{host}"\nversion = "0.1.0"\nedition = "2021"\n'
            f'publish = false\n\n[[bin]]\nname = "host-{host}"\npath = "main.rs"\n\n'
            f'[dependencies]\n{lib} = {{ path = "../../gen/{crate}", package = "{crate}"{features} }}\n'
            f"wasmtime = {_host_wasmtime(host)}\n" + HOST_DEPS.get(host, "")
        )
        ws.add_files(
            f"hosts/{host}",
            {"Cargo.toml": manifest.encode(), "main.rs": src, **host_includes(src.decode())},
        )
        gw.hosts.append(f"host-{host}")
    for host, (wit, world, extra) in COMPAT.items():
        lib = HOSTS[host].replace("-", "_")
        body = (HERE / "hosts" / f"{host}.rs").read_text()
        wit_path = json.dumps(str(guests / wit))
        main = (
            "// The host of hosts/{h}.rs, unchanged, on bindgen! instead of the generated crate.\n"
            f"mod {lib} {{\n    wasmtime::component::bindgen!({{\n        path: {wit_path},\n"
            f'        world: "{world}",\n{extra}    }});\n}}\n\n'
        ).replace("{h}", host) + body
        manifest = (
            f'[package]\nname = "compat-{host}"\nversion = "0.1.0"\nedition = "2021"\n'
            f'publish = false\n\n[[bin]]\nname = "compat-{host}"\npath = "main.rs"\n\n'
            f"[dependencies]\nwasmtime = {_host_wasmtime(host)}\n" + HOST_DEPS.get(host, "")
        )
        ws.add_files(
            f"hosts/compat-{host}",
            {"Cargo.toml": manifest.encode(), "main.rs": main.encode(), **host_includes(main)},
        )
        gw.hosts.append(f"compat-{host}")
    # bindgen! beside the generated crates: the API diff and the Debug/Display comparison
    add_api_bindgen(ws, shared_dir, DEFAULT.version)
    add_debug_parity(ws, gw, _gen, HOST_WASMTIME)
    add_documented(ws, gw, _gen)
    ws.write_manifest()
    return gw


#: the cargo invocations of the tests, in order (keys of `GenWorkspace.cargo_run`)
def cargo_steps(gw: GenWorkspace) -> list[tuple[str, list[str]]]:
    build = ["build"]
    for h in gw.hosts:
        build += ["-p", h]
    return [
        ("clippy", ["clippy", "--workspace", "--keep-going"]),
        ("clippy-all", ["clippy", "--workspace", "--keep-going", "--all-features"]),
        ("build-hosts", build),
        # a generated crate's own tests link with only the wasmtime features it asks for
        ("test-crate", ["test", "-p", "rt-hello", "--lib"]),
    ]


def main() -> int:
    import argparse

    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--prebuild", action="store_true", help="also run the tests' cargo commands")
    args = ap.parse_args()
    shared = Path(__file__).resolve().parents[3] / "shared"
    if not shared.is_dir():
        print("wasmtime_setup: ../shared not found; nothing to prebuild", file=sys.stderr)
        return 0
    gw = populate(shared)
    print(f"wasmtime_setup: {len(gw.crates)} crates, {len(gw.hosts)} hosts in {gw.ws.root}")
    if args.prebuild:
        fetch = gw.ws.cargo("fetch")
        if fetch.returncode != 0:
            print(fetch.stderr[-3000:], file=sys.stderr)
            return 1
        for _key, cmd in cargo_steps(gw):
            proc = gw.ws.cargo(*cmd)
            print(f"wasmtime_setup: cargo {' '.join(cmd[:3])}: exit {proc.returncode}")
        nightly = nightly_toolchain()
        if nightly is not None:  # test_api_parity.py's rustdoc JSON
            args, env = api_doc_command(shared, nightly)
            proc = gw.ws.cargo(*args, env=env)
            print(f"wasmtime_setup: cargo doc (rustdoc JSON): exit {proc.returncode}")
        # every supported wasmtime major on the corpus (test_majors.py), each with its toolchain
        from majors import check_major
        from support.rust import unusable

        from witgen.wasmtime.versions import RELEASES

        for rel in RELEASES:
            why = unusable(rel.rust)
            if why:
                print(f"wasmtime_setup: wasmtime {rel.major}: {why}", file=sys.stderr)
                continue
            _ws, proc = check_major(shared, rel)
            print(f"wasmtime_setup: wasmtime {rel.major}: cargo check: exit {proc.returncode}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
