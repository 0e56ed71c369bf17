"""Real guests for runtime tests: build them, cache them, and run them under a reference host.

Guest sources live in `tests/guests/<kind>/<name>/` (`kind` is `c`, `js` or `py`), each with a
`guest.toml` naming its world and where its WIT is (see docs/guests.md). Everything built is
cached under `$WITGEN_CACHE/guests/<sha256>/` (default `~/.cache/witgen`), keyed by the guest's
sources, its WIT, the tool versions and the build recipe, so a second build is a file lookup.

    core = build_c_guest("scalars")            # core module (canonical-ABI names)
    comp = componentize_core(core)             # the same guest as a component
    comp, core = build_js_guest("hello")       # componentize-js
    comp = build_py_guest("hello")             # componentize-py --stub-wasi
    jco_transpile(comp, out_dir)               # the JS reference host's bindings
    with WasmtimeGuest(comp, imports) as g:    # the wasmtime-py reference host
        g.call("greet", "you")

A missing tool raises `ToolMissing` (tests turn it into a skip, or a failure when CI=true);
a failed build raises `GuestBuildError` with the command and its output.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
GUESTS_DIR = REPO / "tests" / "guests"
KINDS = ("c", "js", "py")

#: Bump when the way guests are built changes, so cached artifacts are rebuilt.
RECIPE_VERSION = "1"

#: clang flags for C guests. Debian bookworm's clang 14 knows `wasm32-wasi` (not `wasm32-wasip1`).
C_TARGET = "wasm32-wasi"
C_FLAGS = (
    f"--target={C_TARGET}",
    "-mexec-model=reactor",
    "-O2",
    "-Wall",
    "-Wno-unused-function",
    "-Wno-unused-variable",
    "-Wl,--strip-debug",
)

#: wit-component's `wasi_snapshot_preview1` adapter of this wasmtime release (crates.io
#: `wasi-preview1-component-adapter-provider`, the release of wasmtime-py and of the wasmtime
#: target) makes components of C guests that use WASI through wasi-libc (`wasi = true`).
#: scripts/setup/20-guests.sh fetches it (GUESTS_WASI_ADAPTER_VERSION).
WASI_ADAPTER_VERSION = "50.0.1"
WASI_ADAPTER_CRATE = "wasi-preview1-component-adapter-provider"

#: Exports a componentize-js core module has beyond the world's contract (StarlingMonkey's own).
JS_EXTRA_EXPORTS = frozenset(
    {
        "wizer-initialize",
        "wizer.resume",
        "cabi_realloc_adapter",
        "check_init",
    }
)


class ToolMissing(RuntimeError):
    """A tool a guest build needs is not installed (run scripts/setup-tests.sh)."""


class GuestBuildError(RuntimeError):
    """A guest failed to build; the message has the command and its output."""


# --- locations and tools ---------------------------------------------------------------------


def cache_root() -> Path:
    return Path(os.environ.get("WITGEN_CACHE") or Path.home() / ".cache" / "witgen")


def guests_cache() -> Path:
    return cache_root() / "guests"


def node_dir() -> Path:
    """The npm prefix scripts/setup-tests.sh installs jco & co. into."""
    return cache_root() / "node"


def preopens_preload() -> Path:
    """The ES module `node --import` loads so jco can read WIT paths (see docs/guests.md)."""
    return GUESTS_DIR / "support" / "preopens.mjs"


def _need(path: Path | str | None, what: str) -> str:
    if path is None or not Path(path).exists():
        raise ToolMissing(f"{what} not found; run scripts/setup-tests.sh")
    return str(path)


@functools.cache
def wit_bindgen() -> str:
    exe = cache_root() / "cargo" / "bin" / "wit-bindgen"
    if exe.exists():
        return str(exe)
    return _need(shutil.which("wit-bindgen"), "wit-bindgen (cargo install wit-bindgen-cli)")


@functools.cache
def clang() -> str:
    exe = _need(shutil.which("clang"), "clang (Debian package clang)")
    if not Path(f"/usr/lib/{C_TARGET}/libc.a").exists() and not os.environ.get("WASI_SYSROOT"):
        raise ToolMissing("wasi-libc not found (Debian packages wasi-libc libclang-rt-dev-wasm32)")
    return exe


def _clang_sysroot_args() -> list[str]:
    sysroot = os.environ.get("WASI_SYSROOT")
    return [f"--sysroot={sysroot}"] if sysroot else []


@functools.cache
def wasm_tools() -> str:
    from .wasm_tools_json import WasmToolsError
    from .wasm_tools_json import wasm_tools as find

    try:
        return find()
    except WasmToolsError as e:
        raise ToolMissing(str(e)) from None


@functools.cache
def node() -> str:
    return _need(shutil.which("node"), "node (Debian package nodejs)")


@functools.cache
def jco_script() -> str:
    return _need(
        node_dir() / "node_modules" / "@bytecodealliance" / "jco" / "dist" / "jco.js",
        "jco (npm @bytecodealliance/jco)",
    )


@functools.cache
def componentize_py() -> list[str]:
    exe = shutil.which("componentize-py")
    if exe is None:
        try:
            import componentize_py  # noqa: F401
        except ImportError:
            raise ToolMissing("componentize-py not found (pip install componentize-py)") from None
        return [sys.executable, "-m", "componentize_py"]
    return [exe]


@functools.cache
def _version(cmd: tuple[str, ...]) -> str:
    proc = subprocess.run(cmd, capture_output=True, text=True)
    return (proc.stdout or proc.stderr).strip().splitlines()[0] if proc.returncode == 0 else "?"


def _npm_version(package: str) -> str:
    pj = node_dir() / "node_modules" / package / "package.json"
    try:
        return json.loads(pj.read_text())["version"]
    except (OSError, ValueError, KeyError):
        return "?"


def tool_versions(kind: str, c_tools: Iterable[str] = ("wit-bindgen", "clang")) -> dict[str, str]:
    """Versions of the tools a `kind` guest is built with (part of the cache key).

    `c_tools` narrows the C toolchain for C guests that do not use it all (WAT guests use
    neither wit-bindgen nor clang; `bindgen = false` guests no wit-bindgen).
    """
    versions = {"wasm-tools": _version((wasm_tools(), "--version"))}
    if kind == "c":
        if "wit-bindgen" in c_tools:
            versions["wit-bindgen"] = _version((wit_bindgen(), "--version"))
        if "clang" in c_tools:
            versions["clang"] = _version((clang(), "--version"))
    elif kind == "js":
        versions["node"] = _version((node(), "--version"))
        jco_script()
        for pkg in ("@bytecodealliance/jco", "@bytecodealliance/componentize-js"):
            versions[pkg] = _npm_version(pkg)
    elif kind == "py":
        versions["componentize-py"] = _version((*componentize_py(), "--version"))
    return versions


def _spec_tools(spec: GuestSpec) -> dict[str, str]:
    if spec.kind != "c":
        return tool_versions(spec.kind)
    if (spec.dir / "guest.wat").exists():
        return tool_versions("c", ())
    if not spec.config.get("bindgen", True):
        return tool_versions("c", ("clang",))
    return tool_versions("c")


def run(
    cmd: Sequence[str | Path],
    *,
    cwd: Path | None = None,
    timeout: float = 900,
    env: Mapping[str, str] | None = None,
) -> str:
    """Run a build command; raise `GuestBuildError` with its output when it fails."""
    proc = subprocess.run(
        [str(c) for c in cmd],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, **env} if env else None,
    )
    if proc.returncode != 0:
        raise GuestBuildError(
            f"command failed ({proc.returncode}): {' '.join(map(str, cmd))}\n"
            f"{proc.stdout}{proc.stderr}".rstrip()
        )
    return proc.stdout


# --- guest specs -----------------------------------------------------------------------------


@dataclass(frozen=True)
class GuestSpec:
    """A guest's sources as `tests/guests/<kind>/<name>/guest.toml` describes them."""

    kind: str
    name: str
    dir: Path
    #: the WIT file or folder (default: `world.wit` or `wit/` in the guest's folder)
    wit: Path
    world: str
    config: Mapping[str, Any] = field(default_factory=dict, compare=False)

    def source_files(self) -> list[Path]:
        """Every file that goes into the build: the guest folder and its WIT."""
        files = {
            p
            for p in self.dir.rglob("*")
            if p.is_file() and "__pycache__" not in p.parts and p.name != "README.md"
        }
        if self.wit.is_dir():
            files |= {p for p in self.wit.rglob("*") if p.is_file()}
        else:
            files.add(self.wit)
        return sorted(files)


def _load_toml(text: str) -> dict[str, Any]:
    try:
        import tomllib
    except ImportError:  # Python 3.10: guest.toml uses only `key = "str" | true | false | [..]`
        config: dict[str, Any] = {}
        for line in text.splitlines():
            if "=" in line and not line.lstrip().startswith("#"):
                key, _, value = line.partition("=")
                config[key.strip()] = json.loads(value.strip())
        return config
    return tomllib.loads(text)


def guest_names(kind: str) -> list[str]:
    base = GUESTS_DIR / kind
    if not base.is_dir():
        return []
    return sorted(p.name for p in base.iterdir() if (p / "guest.toml").is_file())


def guest_spec(kind: str, name: str) -> GuestSpec:
    if kind not in KINDS:
        raise ValueError(f"guest kind must be one of {KINDS}, not {kind!r}")
    gdir = GUESTS_DIR / kind / name
    toml = gdir / "guest.toml"
    if not toml.is_file():
        raise FileNotFoundError(f"no guest {kind}/{name}: {toml} is missing")
    config = _load_toml(toml.read_text())
    if "wit" in config:
        wit = (gdir / config["wit"]).resolve()
    elif (gdir / "wit").is_dir():
        wit = gdir / "wit"
    else:
        wit = gdir / "world.wit"
    if not wit.exists():
        raise FileNotFoundError(f"guest {kind}/{name}: WIT {wit} not found")
    return GuestSpec(kind, name, gdir, wit, config["world"], config)


def _cache_key(spec: GuestSpec, extra: Iterable[str] = ()) -> str:
    h = hashlib.sha256()
    h.update(f"recipe {RECIPE_VERSION} {spec.kind} {spec.name} {spec.world}\n".encode())
    for k, v in sorted(_spec_tools(spec).items()):
        h.update(f"tool {k} {v}\n".encode())
    for item in extra:
        h.update(f"extra {item}\n".encode())
    for path in spec.source_files():
        rel = os.path.relpath(path, GUESTS_DIR)
        h.update(f"file {rel} {len(path.read_bytes())}\n".encode())
        h.update(path.read_bytes())
    return h.hexdigest()


def _cached_build(
    spec: GuestSpec,
    outputs: Sequence[str],
    build: Callable[[Path], None],
    extra: Iterable[str] = (),
) -> Path:
    """The cache folder holding `outputs`, running `build(tmp_dir)` first when missing.

    The build runs in a fresh folder beside the cache entry, renamed into place when it has
    made every output, so an interrupted or concurrent build never leaves a partial entry.
    """
    key = _cache_key(spec, extra)
    dest = guests_cache() / key
    if all((dest / o).is_file() for o in outputs):
        return dest
    guests_cache().mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{spec.kind}-{spec.name}-", dir=guests_cache()))
    try:
        build(tmp)
        missing = [o for o in outputs if not (tmp / o).is_file()]
        if missing:
            raise GuestBuildError(f"guest {spec.kind}/{spec.name}: build made no {missing}")
        (tmp / "guest.json").write_text(
            json.dumps(
                {
                    "kind": spec.kind,
                    "name": spec.name,
                    "world": spec.world,
                    "tools": _spec_tools(spec),
                },
                indent=2,
            )
        )
        if dest.exists():
            shutil.rmtree(dest)
        try:
            os.rename(tmp, dest)
        except OSError:
            if not all((dest / o).is_file() for o in outputs):  # lost a race to a broken entry
                raise
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return dest


# --- C guests --------------------------------------------------------------------------------


def build_c_guest(name: str) -> Path:
    """The core module of `tests/guests/c/<name>` (wit-bindgen c glue + clang + wasi-libc).

    The module follows the canonical-ABI (legacy) names of `world_contract`, exports
    `cabi_realloc`, `memory` and `_initialize` (a WASI reactor), imports nothing but the world's
    functions (the guests call no libc function that needs WASI; those with `wasi = true` in
    guest.toml do, and also import `wasi_snapshot_preview1`), and carries wit-bindgen's
    `component-type` custom section, so `componentize_core` needs no WIT.
    """
    return build_c_spec(guest_spec("c", name))


def build_c_spec(spec: GuestSpec) -> Path:
    """`build_c_guest` of a C guest described by `spec` (for guests kept beside their tests,
    outside `tests/guests/`)."""
    # `__FILE__` (assert messages) relative to the guest's folder: the cache key holds no
    # absolute path, so neither may the module
    flags = [f"-ffile-prefix-map={spec.dir}/=", *spec.config.get("cflags", [])]
    wat = spec.dir / "guest.wat"
    bindgen = bool(spec.config.get("bindgen", True)) and not wat.exists()

    def build(tmp: Path) -> None:
        raw = tmp / "raw.wasm"
        if wat.exists():
            # hand-written core module: parse, then embed the world (wit-bindgen's .o does that
            # for generated glue)
            run([wasm_tools(), "parse", wat, "-o", raw])
        elif bindgen:
            glue = tmp / "glue"
            glue.mkdir()
            run([wit_bindgen(), "c", "--world", spec.world, "--out-dir", glue, spec.wit])
            sources = sorted(spec.dir.glob("*.c")) + sorted(glue.glob("*.c"))
            objects = sorted(glue.glob("*.o"))  # <world>_component_type.o
            cmd = [clang(), *C_FLAGS, *_clang_sysroot_args(), *flags, f"-I{glue}", f"-I{spec.dir}"]
            run([*cmd, *sources, *objects, "-o", tmp / "core.wasm"])
            return
        else:
            # C with hand-written canonical-ABI exports (no wit-bindgen), e.g. for WIT features
            # wit-bindgen c does not implement
            cmd = [clang(), *C_FLAGS, *_clang_sysroot_args(), *flags, f"-I{spec.dir}"]
            run([*cmd, *sorted(spec.dir.glob("*.c")), "-o", raw])
        embed = [wasm_tools(), "component", "embed", spec.wit, raw, "--world", spec.world]
        run([*embed, "-o", tmp / "core.wasm"])

    extra = ["-ffile-prefix-map", *flags[1:], f"bindgen={bindgen}", f"wat={wat.exists()}"]
    return _cached_build(spec, ["core.wasm"], build, extra) / "core.wasm"


def core_imports_wasi(core: Path) -> bool:
    from witgen.guest.reader import parse_module

    return any(
        imp.module == "wasi_snapshot_preview1" for imp in parse_module(core.read_bytes()).imports
    )


ADAPTER_FILE = "wasi_snapshot_preview1.reactor.wasm"


def wasi_reactor_adapter() -> Path:
    """wit-component's `wasi_snapshot_preview1` reactor adapter of wasmtime
    `WASI_ADAPTER_VERSION`: the copy scripts/setup/20-guests.sh keeps in
    `$WITGEN_CACHE/wasi-adapter/<version>/`, else the crate's `artefacts/` in cargo's registry
    (any crate that depends on it, e.g. after `cargo fetch`)."""
    kept = cache_root() / "wasi-adapter" / WASI_ADAPTER_VERSION / ADAPTER_FILE
    if kept.is_file():
        return kept
    cargo_home = Path(os.environ.get("CARGO_HOME") or Path.home() / ".cargo")
    crate = f"{WASI_ADAPTER_CRATE}-{WASI_ADAPTER_VERSION}"
    for found in sorted((cargo_home / "registry" / "src").glob(f"*/{crate}/artefacts")):
        if (found / ADAPTER_FILE).is_file():
            return found / ADAPTER_FILE
    raise ToolMissing(
        f"the WASI reactor adapter ({WASI_ADAPTER_CRATE} {WASI_ADAPTER_VERSION}) not found; "
        "run scripts/setup-tests.sh"
    )


def componentize_core(core: Path) -> Path:
    """`wasm-tools component new` of a core module that embeds its world (`component-type`).

    A core module importing `wasi_snapshot_preview1` (a guest using WASI through wasi-libc)
    gets wasmtime's reactor adapter (`wasi_reactor_adapter`); the component then imports the
    `wasi:*@0.2` interfaces the adapter uses. The result is cached under `guests/components/`,
    keyed by the core's hash (and the adapter's, when one is used).
    """
    core = Path(core)
    data = core.read_bytes()
    h = hashlib.sha256(b"componentize " + RECIPE_VERSION.encode() + b"\n")
    h.update(_version((wasm_tools(), "--version")).encode() + b"\n")
    h.update(data)
    adapter = wasi_reactor_adapter() if core_imports_wasi(core) else None
    if adapter is not None:
        h.update(b"adapter " + hashlib.sha256(adapter.read_bytes()).hexdigest().encode())
    dest = guests_cache() / "components" / f"{h.hexdigest()}.wasm"
    if dest.is_file():
        return dest
    dest.parent.mkdir(parents=True, exist_ok=True)
    cmd = [wasm_tools(), "component", "new", core]
    if adapter is not None:
        cmd += ["--adapt", f"wasi_snapshot_preview1={adapter}"]
    tmp = dest.with_name(f".{os.getpid()}-{dest.name}")
    run([*cmd, "-o", tmp])
    os.replace(tmp, dest)
    return dest


def c_guest_component(name: str) -> Path:
    """`componentize_core(build_c_guest(name))`."""
    return componentize_core(build_c_guest(name))


# --- JS guests (componentize-js through jco) -------------------------------------------------


def jco(args: Sequence[str | Path], *, cwd: Path | None = None, timeout: float = 900) -> str:
    """Run the jco CLI under node with the filesystem preopens preloaded.

    jco 1.35 (with preview2-shim 0.26) runs its bundled wasm-tools with no preopened
    directories, so any jco command that reads a WIT path fails with "failed to get path
    metadata". `preopens.mjs` calls `_setPreopens({"/": "/"})` before jco starts.
    """
    script = jco_script()
    # .../node_modules/@bytecodealliance/jco/dist/jco.js -> the node_modules jco runs from
    modules = str(Path(script).parents[3])
    return run(
        [node(), "--import", preopens_preload().as_uri(), script, *map(str, args)],
        cwd=cwd,
        timeout=timeout,
        env={"WITGEN_NODE_MODULES": modules},
    )


def build_js_guest(name: str) -> tuple[Path, Path]:
    """(component, core module) of `tests/guests/js/<name>` (`jco componentize -d all`).

    The core module is the component's only core module (componentize-js with every WASI
    feature disabled makes one, with no shim modules), taken out by
    `wasm-tools component unbundle`; it is byte for byte the `*.core.wasm` that `jco transpile`
    writes. It has the world's imports and exports plus StarlingMonkey's own exports
    (`JS_EXTRA_EXPORTS`, the WASI `run`/`handle` entry points), and no `_initialize` (wizer
    pre-initialized it).
    """
    spec = guest_spec("js", name)
    source = spec.dir / spec.config.get("source", "guest.js")
    disable = list(spec.config.get("disable", ["all"]))

    def build(tmp: Path) -> None:
        comp = tmp / "component.wasm"
        args = ["componentize", source, "-w", spec.wit, "-n", spec.world]
        for feature in disable:
            args += ["-d", feature]
        jco([*args, "-o", comp], cwd=tmp)
        _extract_main_core(comp, tmp / "core.wasm")

    dest = _cached_build(spec, ["component.wasm", "core.wasm"], build, disable)
    return dest / "component.wasm", dest / "core.wasm"


def extract_core_modules(component: Path, out_dir: Path) -> list[Path]:
    """Every core module of `component`, via `wasm-tools component unbundle --threshold 0`."""
    out_dir.mkdir(parents=True, exist_ok=True)
    run(
        [
            wasm_tools(),
            "component",
            "unbundle",
            component,
            "--module-dir",
            out_dir,
            "--threshold",
            "0",
            "-o",
            out_dir / "unbundled.wasm",
        ]
    )
    return sorted(out_dir.glob("unbundled-module*.wasm"))


def _extract_main_core(component: Path, dest: Path) -> None:
    from witgen.guest.reader import parse_module

    with tempfile.TemporaryDirectory() as tmp:
        mods = extract_core_modules(component, Path(tmp))
        # the main module is the one that exports memory and cabi_realloc; the largest wins
        main = [
            m
            for m in mods
            if {"memory", "cabi_realloc"} <= {e.name for e in parse_module(m.read_bytes()).exports}
        ]
        if not main:
            raise GuestBuildError(f"{component}: no core module exports memory and cabi_realloc")
        shutil.copyfile(max(main, key=lambda m: m.stat().st_size), dest)


# --- Python guests (componentize-py) ---------------------------------------------------------


def build_py_guest(name: str) -> Path:
    """The component of `tests/guests/py/<name>` (`componentize-py componentize --stub-wasi`).

    With `--stub-wasi` the component imports only the world's interfaces; WASI calls inside
    CPython trap or return errors.
    """
    spec = guest_spec("py", name)
    module = spec.config.get("module", "app")

    def build(tmp: Path) -> None:
        run(
            [
                *componentize_py(),
                "-d",
                spec.wit,
                "-w",
                spec.world,
                "componentize",
                "--stub-wasi",
                "-p",
                spec.dir,
                module,
                "-o",
                tmp / "component.wasm",
            ],
            cwd=tmp,
        )

    return _cached_build(spec, ["component.wasm"], build, [module]) / "component.wasm"


# --- jco transpile (the JS reference host) ---------------------------------------------------


def jco_transpile(component: Path, out_dir: Path, *extra: str, name: str | None = None) -> Path:
    """`jco transpile component --name NAME -o out_dir` (plus `extra` flags, e.g.
    `--instantiation async`); returns the main `.js` file, `out_dir/NAME.js` (NAME: "guest").

    The folder gets a `package.json` with `"type": "module"` and a `node_modules` link to the
    npm prefix (so the output's `@bytecodealliance/preview2-shim` imports resolve), so
    `node out_dir/<name>.js` or `import()` of it works as is.
    """
    component, out_dir = Path(component), Path(out_dir)
    name = name or "guest"
    out_dir.mkdir(parents=True, exist_ok=True)
    jco(["transpile", component, "--name", name, "-o", out_dir, "--quiet", *extra])
    pkg = out_dir / "package.json"
    if not pkg.exists():
        pkg.write_text('{"type": "module"}\n')
    link = out_dir / "node_modules"
    if not link.exists():
        link.symlink_to(node_dir() / "node_modules", target_is_directory=True)
    return out_dir / f"{name}.js"


# --- wasmtime-py (the reference host for differential tests) ---------------------------------


def _wasmtime():
    try:
        import wasmtime
        import wasmtime.component
    except ImportError:
        raise ToolMissing("wasmtime-py not found (pip install wasmtime)") from None
    return wasmtime


@functools.cache
def _engine():
    return _wasmtime().Engine()


def load_component(path: Path):
    """A `wasmtime.component.Component`, with the compiled code cached on disk.

    Compiling a componentize-js/-py component takes tens of seconds; its serialized form is
    kept under the guests cache keyed by the component's hash and the wasmtime-py version.
    """
    wasmtime = _wasmtime()
    from wasmtime.component import Component

    data = Path(path).read_bytes()
    h = hashlib.sha256(f"wasmtime-py {_wasmtime_version()}\n".encode())
    h.update(data)
    cached = guests_cache() / "compiled" / f"{h.hexdigest()}.cwasm"
    engine = _engine()
    if cached.is_file():
        try:
            return Component.deserialize_file(engine, str(cached))
        except wasmtime.WasmtimeError:
            cached.unlink(missing_ok=True)
    comp = Component(engine, data)
    cached.parent.mkdir(parents=True, exist_ok=True)
    tmp = cached.with_name(f".{os.getpid()}-{cached.name}")
    tmp.write_bytes(bytes(comp.serialize()))
    os.replace(tmp, cached)
    return comp


def _wasmtime_version() -> str:
    from importlib import metadata

    return metadata.version("wasmtime")


@dataclass
class HostResource:
    """A host-implemented resource type for `WasmtimeGuest` imports.

    Instances are kept by the guest as `rep` integers; `new(obj)` stores a Python object and
    returns the `own` handle to return from a constructor, `get(handle)` finds it again from
    the `ResourceAny`/`ResourceHost` the guest passes. `dropped` lists the reps the guest
    dropped (the destructor ran).
    """

    type_id: int
    objects: dict[int, Any] = field(default_factory=dict)
    dropped: list[int] = field(default_factory=list)
    _next: int = 1

    def new(self, obj: Any):
        from wasmtime.component import ResourceHost

        rep = self._next
        self._next += 1
        self.objects[rep] = obj
        return ResourceHost.own(rep, self.type_id)

    def host(self, store, handle):
        """The `ResourceHost` of a handle the guest passed (a `ResourceAny`), memoized.

        wasmtime-py's `ResourceAny.to_host` works once per handle: it takes the handle out of
        the store's table (a second call, or passing the `ResourceAny` back to the guest, fails
        with "unknown handle index"). The `ResourceHost` it returns is remembered on the handle
        object; pass that, not the `ResourceAny`, when handing the resource back to the guest.
        """
        from wasmtime.component import ResourceAny

        if not isinstance(handle, ResourceAny):
            return handle
        host = getattr(handle, "_witgen_host", None)
        if host is None:
            host = handle.to_host(store)
            handle._witgen_host = host
        return host

    def rep(self, store, handle) -> int:
        return self.host(store, handle).rep

    def get(self, store, handle) -> Any:
        return self.objects[self.rep(store, handle)]

    def _dtor(self, store, rep: int) -> None:
        self.dropped.append(rep)
        self.objects.pop(rep, None)


class WithStore:
    """Marks an import callable that wants the call's `StoreContext` as its first argument."""

    def __init__(self, fn: Callable[..., Any]) -> None:
        self.fn = fn


#: An import: a callable (called with the WIT arguments), a `WithStore`, a `HostResource`,
#: or a mapping of names to those (an instance such as `ns:pkg/iface`).
Imports = Mapping[str, Any]


class WasmtimeGuest:
    """A component instantiated under wasmtime-py with Python host imports.

    `imports` maps a world import name (`log`, `ns:pkg/iface`) to a callable or to a mapping
    of function names (`roundtrip-u8`, `[constructor]counter`, `[method]counter.get`, ...)
    to callables and resource names to `HostResource`s. Imports not given trap when called.
    A callable gets the WIT arguments (a `WithStore` one gets the call's store first) and
    returns the result.

    wasmtime-py's value mapping (both directions): ints, floats, `str` (also for `char`),
    `bytes` for `list<u8>`, lists, tuples, `wasmtime.component.Record` objects whose
    attributes are the WIT field names as written (`getattr(r, "first-name")`), sets of flag
    names, enum cases as `str`. Variants, options and results are *untagged* when every case
    can be told apart by its Python type: `option<u32>` is `None` or an int,
    `result<u32, string>` is an int (ok) or a str (err), `result<_, string>` is `None` or a
    str. Otherwise they are `Variant(tag, payload)`: every `variant` whose cases share a
    payload type (or have none), `option<option<T>>`, `result` without payloads,
    `result<string, string>`. Own/borrow handles are `ResourceAny` (guest resources, or host
    ones the guest passes; see `HostResource.host`) or `ResourceHost`.

    `call("add", 1, 2)` calls a world export; `call("ns:pkg/iface#f", ...)` one in an exported
    interface (the same `#` naming as the core exports).

    `wasi`: a `wasmtime.WasiConfig` (arguments, environment, stdio, preopens) for a component
    that imports WASI 0.2: the store gets it and the linker wasmtime's WASI p2 (`add_wasip2`).
    """

    def __init__(
        self, component: Path | Any, imports: Imports | None = None, *, wasi: Any = None
    ) -> None:
        wasmtime = _wasmtime()
        from wasmtime.component import Component, Linker

        self.engine = _engine()
        self.component = (
            component if isinstance(component, Component) else load_component(component)
        )
        self.store = wasmtime.Store(self.engine)
        self.linker = Linker(self.engine)
        if wasi is not None:
            self.store.set_wasi(wasi)
            self.linker.add_wasip2()
        with self.linker.root() as root:
            for name, item in (imports or {}).items():
                if isinstance(item, Mapping):
                    with root.add_instance(name) as inst:
                        for fname, fitem in item.items():
                            self._define(inst, fname, fitem)
                else:
                    self._define(root, name, item)
        self.linker.define_unknown_imports_as_traps(self.component)
        self.instance = self.linker.instantiate(self.store, self.component)

    @staticmethod
    def _define(inst, name: str, item: Any) -> None:
        from wasmtime.component import ResourceType

        if isinstance(item, HostResource):
            inst.add_resource(name, ResourceType.host(item.type_id), item._dtor)
        elif isinstance(item, WithStore):
            inst.add_func(name, item.fn)
        elif callable(item):
            inst.add_func(name, lambda _store, *args, _f=item: _f(*args))
        else:
            raise TypeError(f"import {name}: expected a callable or HostResource, got {item!r}")

    def func(self, export: str):
        """The `wasmtime.component.Func` of `export` (`f` or `ns:pkg/iface#f`)."""
        index = None
        name = export
        if "#" in export:
            iface, name = export.split("#", 1)
            index = self.instance.get_export_index(self.store, iface)
            if index is None:
                raise KeyError(f"the component exports no instance `{iface}`")
        found = self.instance.get_export_index(self.store, name, index)
        func = self.instance.get_func(self.store, found) if found is not None else None
        if func is None:
            raise KeyError(f"the component exports no function `{export}`")
        return func

    def call(self, export: str, *args: Any) -> Any:
        func = self.func(export)
        result = func(self.store, *args)
        func.post_return(self.store)
        return result

    def close(self) -> None:
        """Drop the store (and with it every resource the host still holds)."""
        self.instance = None
        self.store = None

    def __enter__(self) -> WasmtimeGuest:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def wasmtime_py_call(
    component: Path,
    world: str | None,
    export: str,
    args: Sequence[Any] = (),
    imports: Imports | None = None,
) -> Any:
    """Instantiate `component` under wasmtime-py with `imports`, call `export` once.

    `world` is only informational (a component carries its world); `export` is `f` for a
    world-level export or `ns:pkg/iface#f`.
    """
    del world
    with WasmtimeGuest(component, imports) as guest:
        return guest.call(export, *args)
