"""Helpers of the JS async tests (test_js_async_runtime.py, test_js_async_guests.py): the
test guests' worlds, their packages, WAT guests checked by wit-component, and a page run in
headless Chromium."""

from __future__ import annotations

import functools
import http.server
import queue
import shutil
import subprocess
import threading
from pathlib import Path

from js_support import bytes_guest_core, chromium_exe
from support import guests
from support.missing import missing

import witgen
from witgen.js import generate

HERE = Path(__file__).resolve().parent / "async"
GUESTS = Path(__file__).resolve().parent.parent / "guests" / "c"
#: name in checks.mjs -> (WIT, world) of each guest
WORLDS = {
    "async": (GUESTS / "async" / "world.wit", "async-guest"),
    "bytes": (HERE / "guest" / "world.wit", "bytes-guest"),
    "errors": (GUESTS / "error-context" / "world.wit", "error-guest"),
    "misbehave": (HERE / "misbehave.wit", "misbehave-async"),
    "stackful": (HERE / "stackful.wit", "stackful-guest"),
    "blocking": (HERE / "blocking.wit", "blocking-guest"),
    "blockingcb": (HERE / "blocking.wit", "blocking-callback"),
    "linked": (HERE / "linked.wit", "linked-runner"),
}


def write_package(name: str, core: Path, into: Path, **options: object) -> None:
    """The generated package of guest `name` in `into/name` (bundling the core module, which
    generation checks against the world's async contract, unless `bundle=False`), the core
    module as `into/name.wasm`."""
    wit, world = WORLDS[name]
    resolve = witgen.load(wit)
    out = into / name
    out.mkdir(parents=True, exist_ok=True)
    # (`bundle=False`: a guest no one contract describes, e.g. with stackful and callback-ABI
    # exports, is given at run time, where load() checks it)
    bundle = options.pop("bundle", True)
    opts = {"wasm": str(core), **options} if bundle else options
    for rel, data in generate(resolve, resolve.select_world(world), opts).items():
        (out / rel).write_bytes(data)
    shutil.copyfile(core, into / f"{name}.wasm")


def wat_guest(
    work: Path, name: str, world: str, encoding: str = "utf8", wit: str | None = None
) -> Path:
    """tests/js/async/<name>.wat as a core module, checked by `wasm-tools component new`
    against <wit or name>.wit (so its core import and export names, and the string encoding, are
    those wit-component accepts)."""
    from support.wasm_tools_json import WasmToolsError, wasm_tools

    try:
        exe = wasm_tools()
    except WasmToolsError as e:
        missing(str(e))
    core, embedded = work / f"{name}.core.wasm", work / f"{name}.embedded.wasm"
    guests.run([exe, "parse", HERE / f"{name}.wat", "-o", core])
    embed = [exe, "component", "embed", HERE / f"{wit or name}.wit", core, "--world", world]
    guests.run([*embed, "--encoding", encoding, "-o", embedded])
    guests.run([exe, "component", "new", embedded, "-o", work / f"{name}.component.wasm"])
    return core


def build_packages(work: Path) -> Path:
    """`work` with each checks.mjs guest's package (`<name>/`) and core module (`<name>.wasm`)."""
    try:
        cores = {
            "async": guests.build_c_guest("async"),
            "bytes": bytes_guest_core(),
            "errors": guests.build_c_guest("error-context"),
        }
    except guests.ToolMissing as e:
        missing(str(e))
    cores["misbehave"] = wat_guest(work, "misbehave", "misbehave-async")
    for name, core in cores.items():
        write_package(name, core, work)
    return work


class _Site(http.server.SimpleHTTPRequestHandler):
    """Serves the site's files; a POST to /result delivers the page's result to the test."""

    extensions_map = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".wasm": "application/wasm",
        ".mjs": "text/javascript",
    }
    results: queue.Queue[str]

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("content-length", 0))).decode()
        self.send_response(204)
        self.end_headers()
        self.results.put(body)

    def log_message(self, *args):  # keep the test output quiet
        pass


def run_page(tmp_path: Path, site: Path) -> str:
    """Serves `site` on 127.0.0.1, opens its index.html in headless Chromium and returns what
    the page POSTs to /result."""
    exe = chromium_exe()
    handler = type("Handler", (_Site,), {"results": queue.Queue()})
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(handler, directory=str(site))
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/index.html"
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"]
    flags += ["--disable-background-networking", "--disable-component-update"]
    flags += ["--disable-dev-shm-usage", f"--user-data-dir={tmp_path / 'profile'}", url]
    browser = subprocess.Popen(
        [exe, *flags], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    try:
        text = handler.results.get(timeout=120)
    except queue.Empty:
        text = "no result from the page within 120 s"
    finally:
        browser.terminate()  # lets Chromium end its own child processes
        try:
            browser.wait(timeout=20)
        except subprocess.TimeoutExpired:
            browser.kill()
            browser.wait()
        server.shutdown()
        server.server_close()
    assert text.startswith("RESULT:"), text
    return text
