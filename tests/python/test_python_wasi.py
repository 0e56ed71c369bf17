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
