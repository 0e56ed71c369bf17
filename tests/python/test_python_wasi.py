"""`load(wasi=WasiConfig)`: the `wasi` C guest (WASI through wasi-libc) with wasmtime's WASI 0.2
linked for every `wasi:` import left None, and the custom `host-api` from Python. Expected
values are the ones tests/wasmtime/test_runtime_wasi.py checks for the Rust host."""

from __future__ import annotations

import sys
import time

import pytest
from py_support import REPO, generate_package, import_package

ARGS = ["guest", "a b", "ü"]
INPUT = "input line ✓\n"


class HostApi:
    def __init__(self) -> None:
        self.lookups: list[str] = []
        self.notes: list[tuple[str, object]] = []

    def lookup(self, key: str) -> str | None:
        self.lookups.append(key)
        return "hello" if key == "bonjour" else None

    def take_note(self, text: str, at) -> int:
        self.notes.append((text, at))
        return len(self.notes)


def test_wasi_guest(pkgdir, tmp_path, engine):
    from support import guests as g
    from support.missing import missing

    try:
        comp = g.componentize_core(g.build_c_guest("wasi"))
    except g.ToolMissing as e:
        missing(str(e))
    import wasmtime

    if "wit_wasi_guest" not in sys.modules:
        generate_package(REPO / "tests/guests/c/wasi/wit", "wasi-guest", pkgdir / "wit_wasi_guest")
    m = import_package(pkgdir, "wit_wasi_guest")
    data = tmp_path / "data"
    data.mkdir()
    (data / "input.txt").write_text(INPUT, encoding="utf-8")
    cfg = wasmtime.WasiConfig()
    cfg.argv = ARGS
    cfg.env = [("WITGEN_GUEST_GREETING", "bonjour")]
    cfg.preopen_dir(str(data), "/data")
    cfg.stdout_file = str(tmp_path / "stdout.txt")
    host = HostApi()
    w = m.WasiGuest.load(engine, comp, imports=m.Imports(host_api=host), wasi=cfg)
    before = time.time()
    r = w.app.run("wörld")
    assert isinstance(r, m.Report) and isinstance(r.now, m.Datetime)
    assert r.env_value == "bonjour"
    assert r.args == ARGS
    assert r.file_text == m.Ok(INPUT)
    assert abs(r.now.seconds - before) < 60
    assert r.elapsed_ns > 0
    assert len(r.random) == 16 and isinstance(r.random, bytes)
    assert r.looked_up == "hello" and host.lookups == ["bonjour"]
    assert r.notes == 1 and host.notes[0][0] == "3 args, file read"
    assert host.notes[0][1] == r.now  # the host got the guest's wasi `datetime` as a Datetime
    assert w.app.write_file("/data/out.txt", "written ✓") == len("written ✓".encode())
    assert (data / "out.txt").read_text(encoding="utf-8") == "written ✓"
    with pytest.raises(m.WitResultError):
        w.app.write_file("/elsewhere.txt", "x")  # no preopen covers it
    assert (tmp_path / "stdout.txt").read_text(encoding="utf-8").startswith("hello, wörld!\n")


#: a component exporting `wasi:http/incoming-handler.handle`, which takes two resources of
#: `wasi:http/types` (the guest does nothing with them)
HANDLER_WAT = """
(component
  (import "wasi:http/types@0.2.12" (instance $types
    (export "incoming-request" (type (sub resource)))
    (export "response-outparam" (type (sub resource)))))
  (alias export $types "incoming-request" (type $req))
  (alias export $types "response-outparam" (type $out))
  (core module $m (func (export "handle") (param i32 i32)))
  (core instance $i (instantiate $m))
  (func $handle (param "request" (own $req)) (param "response-out" (own $out))
    (canon lift (core func $i "handle")))
  (instance $h (export "handle" (func $handle)))
  (export "wasi:http/incoming-handler@0.2.12" (instance $h)))
"""


class Dropped:
    def __init__(self) -> None:
        self.dropped = False

    def drop(self) -> None:
        self.dropped = True


def test_exports_using_wasi_resources(pkgdir, tmp_path, engine, shared_dir):
    """wasi:http/proxy's `handle` takes resources of wasi:http/types. Left to wasmtime (which
    `load(wasi=...)` links, wasi:http included), their handles cannot come from Python: refused
    naming the interface to implement; implemented in Python, the call goes through."""
    import shutil
    import subprocess

    import wasmtime
    from support.missing import missing

    tool = shutil.which("wasm-tools")
    if tool is None:
        missing("wasm-tools not found (scripts/setup-tests.sh installs it)")
    comp = tmp_path / "handler.wasm"
    subprocess.run([tool, "parse", "-o", str(comp)], input=HANDLER_WAT.encode(), check=True)
    if "wit_proxy" not in sys.modules:
        generate_package(shared_dir / "corpus" / "wasi-http-p2", "wasi:http/proxy", pkgdir / "wit_proxy")
    m = import_package(pkgdir, "wit_proxy")
    w = m.Proxy.load(engine, comp, imports=m.Imports(), wasi=wasmtime.WasiConfig())
    msg = (
        r"handle: request: `incoming-request` belongs to a WASI interface left to wasmtime "
        r"\(Imports.types is None\), .* give Imports a `types` object"
    )
    with pytest.raises(TypeError, match=msg):
        w.incoming_handler.handle(Dropped(), Dropped())
    with pytest.raises(TypeError, match="`incoming-request` belongs to a WASI interface"):
        m.Proxy.load(engine, comp, imports=m.Imports()).incoming_handler.handle(None, None)
    w = m.Proxy.load(engine, comp, imports=m.Imports(types=object()), wasi=wasmtime.WasiConfig())
    req, out = Dropped(), Dropped()
    assert w.incoming_handler.handle(req, out) is None
    assert not req.dropped and not out.dropped  # the guest owns them and has not dropped them
