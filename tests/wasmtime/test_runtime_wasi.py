"""WASI onto wasmtime-wasi at run time (`wasi = "wasmtime-wasi"`): a Rust host on a generated
crate whose `wasi:*` imports are mapped onto `wasmtime_wasi::p2::bindings::sync` runs a C guest
that uses WASI through wasi-libc (tests/guests/c/wasi), with WASI from
`wasmtime_wasi::p2::add_to_linker_sync` and the guest's custom import from the generated
`add_to_linker`; and a WASI *command* (guests/command.c, the preview 1 command adapter) runs to
completion through the crate of the corpus's `wasi:cli/command` (hosts/wasi_command.rs).

The host (hosts/wasi.rs) runs the guest twice: with captured stdout/stderr, an environment
variable, arguments and a preopened directory, then with inherited stdio and nothing else.
The reference is the same component under wasmtime-py 50.0.1, whose component linker provides
WASI p2 (`Linker.add_wasip2`, `Store.set_wasi(WasiConfig)`), configured the same way; values
that differ from run to run (the clocks, random bytes) are checked for plausibility on both
sides. The same host source is also compiled against `bindgen!` with the same `with` and must
print the same.
"""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

import pytest
from hostrun import guest_component, run_host
from support.missing import missing

GREETING = "bonjour"
ARGS = ["guest", "a1", "ä2"]
INPUT = "file contents ✓\nline 2\n"
WRITTEN = "written ✓"
LOOKUP = {"bonjour": "hello", "wörld": "world"}


def _guests():
    from support import guests

    return guests


def _data_dir(tmp_path: Path, name: str) -> Path:
    d = tmp_path / name
    d.mkdir()
    (d / "input.txt").write_text(INPUT, encoding="utf-8")
    return d


def dbg(v) -> str:
    """Rust `Debug` of the values the host prints (strings, options, lists, results)."""
    if v is None:
        return "None"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, str):
        return '"' + v.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'
    if isinstance(v, list):
        return "[" + ", ".join(dbg(x) for x in v) + "]"
    raise TypeError(v)


def some(v) -> str:
    return "None" if v is None else f"Some({dbg(v)})"


def _plausible(seconds: int, nanoseconds: int) -> bool:
    at = seconds + nanoseconds / 1e9
    return 0 <= time.time() - at < 120 and nanoseconds < 10**9


def _wasmtime_py_run(comp: Path, data: Path, tmp_path: Path) -> dict[str, str]:
    """Run 1 of hosts/wasi.rs under wasmtime-py, printed as the Rust host prints it."""
    g = _guests()
    try:
        import wasmtime
    except ImportError:
        missing("wasmtime-py not found (pip install wasmtime)")
    cfg = wasmtime.WasiConfig()
    cfg.argv = ARGS
    cfg.env = [("WITGEN_GUEST_GREETING", GREETING)]
    out_file, err_file = tmp_path / "py-stdout", tmp_path / "py-stderr"
    cfg.stdout_file = str(out_file)
    cfg.stderr_file = str(err_file)
    cfg.preopen_dir(str(data), "/data")
    lookups: list[str] = []
    notes: list[tuple[str, object]] = []

    def lookup(key):
        lookups.append(key)
        return LOOKUP.get(key)

    def take_note(text, at):
        notes.append((text, at))
        return len(notes)

    api = {"lookup": lookup, "take-note": take_note}
    A = "witgen:wasi-guest/app#"
    with g.WasmtimeGuest(comp, {"witgen:wasi-guest/host-api": api}, wasi=cfg) as w:
        r = w.call(A + "run", "wörld")
        wrote = w.call(A + "write-file", "/data/out.txt", WRITTEN)
        outside = w.call(A + "write-file", "/elsewhere/out.txt", "x")
    file_text = getattr(r, "file-text")
    assert getattr(file_text, "tag", "ok") == "ok", file_text  # result<string, string>
    payload = getattr(file_text, "payload", file_text)
    text, at = notes[0]
    return {
        "env-value": some(getattr(r, "env-value")),
        "args": dbg(r.args),
        "file-text": f"Ok({dbg(payload)})",
        "now plausible": dbg(_plausible(r.now.seconds, r.now.nanoseconds)),
        "elapsed-ns positive": dbg(getattr(r, "elapsed-ns") > 0),
        "random len": str(len(r.random)),
        "looked-up": some(getattr(r, "looked-up")),
        "notes": str(r.notes),
        "host lookups": dbg(lookups),
        "host note": dbg(text),
        "host note time": "report time: "
        + dbg((at.seconds, at.nanoseconds) == (r.now.seconds, r.now.nanoseconds)),
        "write-file": f"Ok({wrote})",
        "write-file outside": dbg(isinstance(outside, str)),
        "stdout": dbg(out_file.read_text(encoding="utf-8")),
        "stderr": dbg(err_file.read_text(encoding="utf-8")),
    }


def test_wasi_guest_on_wasmtime_wasi(host_binaries, tmp_path):
    comp = guest_component("c", "wasi")
    data = _data_dir(tmp_path, "data")
    got, lines = run_host(host_binaries["host-wasi"], comp, data)

    # run 1: everything the WasiCtx gave the guest came through wasi-libc
    c = {k.removeprefix("captured "): v for k, v in got.items() if k.startswith("captured ")}
    assert c["env-value"] == 'Some("bonjour")'
    assert c["args"] == dbg(ARGS)
    assert c["file-text"] == f"Ok({dbg(INPUT)})"
    assert c["now plausible"] == "true"
    assert c["elapsed-ns positive"] == "true"
    assert c["random len"] == "16"
    assert c["looked-up"] == 'Some("hello")'
    assert c["notes"] == "1"
    assert c["host lookups"] == '["bonjour"]'
    assert c["host note"] == '"3 args, file read"'
    assert c["host note time"] == "report time: true"
    n = len(WRITTEN.encode())
    assert c["write-file"] == f"Ok({n})"
    assert (data / "out.txt").read_text(encoding="utf-8") == WRITTEN
    assert c["write-file outside"] == "true"  # no preopen covers it
    assert c["stdout"] == dbg(
        "hello, wörld!\n" + "".join(f"arg {i}: {a}\n" for i, a in enumerate(ARGS))
    )
    assert c["stderr"] == dbg("guest stderr line\n")

    # run 2: inherited stdout (the guest's line lands between the host's), no env, args, dirs
    i, j = lines.index("inherited before = run"), lines.index("inherited after = run")
    assert lines[i + 1 : j] == ["hello, wörld!"]
    assert got["inherited env-value"] == "None"
    assert got["inherited args"] == "[]"
    assert got["inherited file-text"].startswith('Err("/data/input.txt: ')
    assert got["inherited looked-up"] == 'Some("world")'  # looked up by name: no env value
    assert got["inherited host note"] == '"0 args, file missing"'
    assert got["inherited now plausible"] == "true"
    assert got["random differs"] == "true"

    # the same component and configuration under wasmtime-py
    want = _wasmtime_py_run(comp, _data_dir(tmp_path, "py-data"), tmp_path)
    assert {k: c[k] for k in want} == want
    assert (tmp_path / "py-data" / "out.txt").read_text(encoding="utf-8") == WRITTEN


def test_wasi_host_source_on_bindgen(host_binaries, tmp_path):
    """hosts/wasi.rs compiles unchanged against `bindgen!` with the same `with` (and
    `require_store_data_send`, which wasmtime-wasi's bindings need) and prints the same."""
    comp = guest_component("c", "wasi")
    ours, _ = run_host(host_binaries["host-wasi"], comp, _data_dir(tmp_path, "a"))
    theirs, _ = run_host(host_binaries["compat-wasi"], comp, _data_dir(tmp_path, "b"))
    assert ours == theirs


def test_component_imports_wasi_through_the_adapter():
    """The guest is a real WASI program: its component imports WASI 0.2 (from the preview 1
    adapter), not only its world's custom interface."""
    g = _guests()
    comp = guest_component("c", "wasi")
    wit = subprocess.run(
        [g.wasm_tools(), "component", "wit", str(comp)], capture_output=True, text=True
    )
    assert wit.returncode == 0, wit.stderr
    for iface in (
        "wasi:cli/environment@0.2",
        "wasi:cli/stdout@0.2",
        "wasi:clocks/wall-clock@0.2",
        "wasi:filesystem/preopens@0.2",
        "wasi:random/random@0.2",
        "witgen:wasi-guest/host-api",
    ):
        assert f"import {iface}" in wit.stdout, iface
    assert "export witgen:wasi-guest/app;" in wit.stdout


# --- a WASI command on `wasi = "wasmtime-wasi"` ------------------------------------------------

COMMAND_STDIN = "line from the host\n"  # what hosts/wasi_command.rs gives the guest


def _command_stdout(args: list[str], stdin: str = COMMAND_STDIN) -> str:
    """What guests/command.c prints for these arguments (from its source)."""
    lines = ["hello from a WASI command ✓"]
    lines += [f"arg {i}: {a}" for i, a in enumerate(args)]
    lines += ["greeting: bonjour", f"stdin: {stdin.splitlines()[0]}"]
    return "".join(ln + "\n" for ln in lines)


def _command_component() -> Path:
    from command_guest import command_component

    g = _guests()
    try:
        return command_component()
    except g.ToolMissing as e:
        missing(str(e))


@pytest.mark.parametrize(
    ("args", "run"), [([], "Ok(())"), (["0", "ü"], "Ok(())"), (["3"], "exit 1")], ids=str
)
def test_wasi_command_runs_on_the_wasi_option(host_binaries, args, run):
    """A C program on wasi-libc, made a component with the preview 1 command adapter, runs to
    completion through the crate generated for `wasi:cli/command` with `wasi = "wasmtime-wasi"`:
    stdout and stderr captured, arguments, environment and stdin from the host. A non-zero
    status from `main` is an `exit` of status 1 (WASI 0.2's `exit` takes only ok/err)."""
    comp = _command_component()
    got, _ = run_host(host_binaries["host-wasi_command"], comp, *args)
    assert got["run"] == run
    assert got["stdout"] == dbg(_command_stdout(["guest", *args]))
    assert got["stderr"] == dbg("to stderr\n")
    # the same host source on bindgen! with `with` onto wasmtime-wasi prints the same
    theirs, _ = run_host(host_binaries["compat-wasi_command"], comp, *args)
    assert theirs == got


def test_wasi_command_matches_wasmtime_py(tmp_path):
    """The reference: the same component under wasmtime-py's WASI p2, configured the same way,
    prints the same stdout (the Rust host's values are checked above against the C source)."""
    g = _guests()
    try:
        import wasmtime
    except ImportError:
        missing("wasmtime-py not found (pip install wasmtime)")
    comp = _command_component()
    cfg = wasmtime.WasiConfig()
    cfg.argv = ["guest", "x"]
    cfg.env = [("WITGEN_GREETING", "bonjour")]
    stdin, out = tmp_path / "stdin", tmp_path / "stdout"
    stdin.write_text(COMMAND_STDIN, encoding="utf-8")
    cfg.stdin_file = str(stdin)
    cfg.stdout_file = str(out)
    with g.WasmtimeGuest(comp, {}, wasi=cfg) as w:
        w.call("wasi:cli/run@0.2.12#run")
    assert out.read_text(encoding="utf-8") == _command_stdout(["guest", "x"])
