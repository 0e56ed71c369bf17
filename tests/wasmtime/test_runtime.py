"""Rust hosts on generated crates run real components (C guests, a componentize-py guest),
and give the same results as the same components under wasmtime-py.

The hosts (tests/wasmtime/hosts/*.rs) print `name = value` lines in Rust `Debug` form; the
reference side calls the same exports with the same arguments under wasmtime-py
(`support.guests.WasmtimeGuest`) and formats the values the same way.
"""

from __future__ import annotations

import os
import re
import shutil
import struct
import subprocess
from pathlib import Path

import pytest
from hostrun import guest_component, host_values
from support.missing import missing
from support.rust import cargo_env


def _guests():
    try:
        from support import guests
    except ImportError:  # pragma: no cover - the guests API is part of the suite
        pytest.skip("tests/support/guests.py is missing")
    return guests


def rs(v, char: bool = False) -> str:
    """A Python value from wasmtime-py in Rust `Debug` form."""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        r = repr(v)
        return r if ("." in r or "e" in r or "n" in r) else r + ".0"
    if isinstance(v, str):
        q = "'" if char else '"'
        return q + v.replace("\\", "\\\\").replace(q, "\\" + q) + q
    if isinstance(v, (bytes, bytearray)):
        return "[" + ", ".join(str(b) for b in v) + "]"
    if isinstance(v, list):
        return "[" + ", ".join(rs(x) for x in v) + "]"
    if isinstance(v, tuple):
        return "(" + ", ".join(rs(x) for x in v) + ("," if len(v) == 1 else "") + ")"
    raise TypeError(v)


def f32_bits(x: float) -> int:
    return struct.unpack("<I", struct.pack("<f", x))[0]


def f64_bits(x: float) -> int:
    return struct.unpack("<Q", struct.pack("<d", x))[0]


# --- scalars ---------------------------------------------------------------------------------


def test_scalars_same_as_wasmtime_py(host_binaries):
    comp = guest_component("c", "scalars")
    got = host_values(host_binaries["host-scalars"], comp)
    g = _guests()
    logs: list[str] = []
    numbers = {
        name: (lambda x: x)
        for name in (
            "roundtrip-bool roundtrip-u8 roundtrip-s8 roundtrip-u16 roundtrip-s16 roundtrip-u32 "
            "roundtrip-s32 roundtrip-u64 roundtrip-s64 roundtrip-f32 roundtrip-f64 "
            "roundtrip-char roundtrip-string"
        ).split()
    }
    numbers["all-scalars"] = lambda *a: tuple(a)
    imports = {
        "host-add": lambda a, b: (a + b) % 2**32,
        "log": logs.append,
        "witgen:scalars/numbers": numbers,
    }
    N = "witgen:scalars/numbers#"
    with g.WasmtimeGuest(comp, imports) as w:
        c = w.call
        want = {
            "add": rs(c("add", 2, 3)),
            "add-wrap": rs(c("add", 2**32 - 1, 2)),
            "add-via-host": rs(c("add-via-host", 40, 2)),
            "echo": rs(c("echo", "héllo, wörld ✓")),
            "concat": rs(c("concat", "ab", "çd")),
            "byte-len": rs(c("byte-len", "héllo")),
            "char-count": rs(c("char-count", "héllo")),
            "sum": rs(c("sum", bytes([1, 2, 3, 250]))),
            "bytes-roundtrip": rs(c("bytes-roundtrip", bytes([0, 1, 255]))),
            "f32-to-bits": rs(c("f32-to-bits", -0.0)),
            "f32-from-bits": str(f32_bits(c("f32-from-bits", 0x3FC00000))),
            "f64-to-bits": rs(c("f64-to-bits", 1.5)),
            "f64-from-bits": str(f64_bits(c("f64-from-bits", 0x7FF8000000000001))),
            "roundtrip-bool": rs(c(N + "roundtrip-bool", True)),
            "roundtrip-u8": rs(c(N + "roundtrip-u8", 255)),
            "roundtrip-s8": rs(c(N + "roundtrip-s8", -128)),
            "roundtrip-u16": rs(c(N + "roundtrip-u16", 65535)),
            "roundtrip-s16": rs(c(N + "roundtrip-s16", -32768)),
            "roundtrip-u32": rs(c(N + "roundtrip-u32", 2**32 - 1)),
            "roundtrip-s32": rs(c(N + "roundtrip-s32", -(2**31))),
            "roundtrip-u64": rs(c(N + "roundtrip-u64", 2**64 - 1)),
            "roundtrip-s64": rs(c(N + "roundtrip-s64", -(2**63))),
            "roundtrip-f32": str(f32_bits(c(N + "roundtrip-f32", 1.25))),
            "roundtrip-f64": str(f64_bits(c(N + "roundtrip-f64", -2.5))),
            "roundtrip-char": rs(c(N + "roundtrip-char", "🦀"), char=True),
            "roundtrip-string": rs(c(N + "roundtrip-string", "ünï")),
        }
        c("log-message", "logged")
        want["log-message"] = rs(logs)
        t = c(N + "all-scalars", True, 1, -2, 3, -4, 5, -6, 7, -8, 9.5, -10.25, "x")
        want["all-scalars"] = rs(tuple(t[:-1])).rstrip(")") + ", " + rs(t[-1], char=True) + ")"
    for k, v in want.items():
        assert got.get(k) == v, f"{k}: rust {got.get(k)!r} vs wasmtime-py {v!r}"


def test_host_error_names_import_and_export(host_binaries):
    """A host import that fails (trappable imports): the error the caller of the export gets
    names the export, the import, and still downcasts to the host's own error type."""
    got = host_values(host_binaries["host-scalars_trap"], guest_component("c", "scalars"))
    assert got["add-via-host 1"] == "3"
    assert got["add-via-host 13 outermost"] == "error calling the guest's export `add-via-host`"
    assert got["add-via-host 13 names export"] == "true"
    assert got["add-via-host 13 names import"] == "true"
    assert got["add-via-host 13 is Unlucky"] == "true"


def test_async_option_runs(host_binaries):
    """`async = true`: async host functions and `call_*().await` exports run the same guest."""
    got = host_values(host_binaries["host-scalars_async"], guest_component("c", "scalars"))
    assert got["add"] == "5"
    assert got["add-via-host"] == "42"
    assert got["echo"] == '"async ✓"'
    assert got["roundtrip-string"] == '"ünï"'
    assert got["host calls"] == "2"


# --- compound --------------------------------------------------------------------------------


def test_compound_every_type_roundtrips(host_binaries):
    comp = guest_component("c", "compound")
    got = host_values(host_binaries["host-compound"], comp)
    roundtrips = [k for k in got if k.startswith("call_roundtrip")]
    assert len(roundtrips) >= 20 and all(got[k] == "ok" for k in roundtrips), got
    assert got["call_many_params"] == "unsupported"  # 18 params: beyond wasmtime's typed API
    g = _guests()
    with g.WasmtimeGuest(comp, {}) as w:
        p = w.call("make-point", 4, -5)
        assert got["make-point"] == f"{p.x} {p.y}"
        assert got["color-index"] == rs(w.call("color-index", "blue"))
        pts = [(-3, 7), (p.x, p.y)]
        from wasmtime.component import Record

        def point(x, y):
            r = Record()
            r.x, r.y = x, y
            return r

        assert got["sum-points"] == rs(w.call("sum-points", [point(*q) for q in pts]))
        ok = w.call("parse-number", "42")
        assert got["parse-number 42"] == f"Ok({ok})"
        err = w.call("parse-number", "x")
        assert got["parse-number x"] == f"Err({rs(err)})"
        # variant cases: same case names and payloads as the Rust enum's Debug (bindgen!'s
        # `Shape::Case(..)`)
        for which in range(7):
            v = w.call("make-shape", which)
            tag = getattr(v, "tag", None)
            rust = got[f"make-shape {which}"]
            if tag is not None:
                assert rust.startswith("Shape::"), rust
                case = rust.removeprefix("Shape::").lower()
                assert case.startswith(tag.replace("-", "")), (which, rust, tag)


# --- resources -------------------------------------------------------------------------------


def test_resources_both_ways(host_binaries):
    comp = guest_component("c", "resources")
    got = host_values(host_binaries["host-resources"], comp)
    assert got["blob.len"] == "3"
    assert got["blob.bytes"] == rs(list(b"abcde"))
    assert got["live-count after drops"] == "0"
    assert got["live-count end"] == "0"
    assert got["use-counter"] == "15"
    assert got["sum-counters"] == "7"
    assert got["take-counter"] == "3"
    assert got["merge-counters"] == "7"
    assert got["cycle-counters"] == "6"
    assert got["tagged"] == '("t", 9)'
    assert got["maybe none"] == 'Err("no start")'
    assert got["new-counter"] == "77"
    assert int(got["host dropped"]) >= 5  # the guest dropped host counters (destructor ran)
    # the guest-only parts under wasmtime-py
    g = _guests()
    R = "witgen:resources/guest-res#"
    with g.WasmtimeGuest(comp, {}) as w:
        b = w.call(R + "[constructor]blob", b"abc")
        assert got["blob.len"] == rs(w.call(R + "[method]blob.len", b))
        w.call(R + "[method]blob.append", b, b"de")
        assert got["blob.bytes"] == rs(w.call(R + "[method]blob.bytes", b))
        assert got["total-len"] == rs(w.call(R + "total-len", w.call(R + "make-blobs", 3)))
        assert got["try-blob false"] == f"err {w.call(R + 'try-blob', False)}"


# --- errors of a misbehaving guest -----------------------------------------------------------


def test_misbehaving_guest_errors_name_the_function(host_binaries):
    comp = guest_component("c", "misbehave")
    got = host_values(host_binaries["host-misbehave"], comp)
    assert got["ok"] == "ok 42"
    bad = [k for k, v in got.items() if v.startswith("err")]
    assert len(bad) >= 15
    for k in bad:
        assert got[k].startswith(f"err [error calling the guest's export `{k}`]"), got[k]
    # wasmtime-py rejects the same exports (it is the same canonical ABI checking)
    g = _guests()
    for k in bad:
        with g.WasmtimeGuest(comp, {}) as w:
            with pytest.raises(Exception):  # noqa: B017 - any wasmtime-py error
                w.call(k)


# --- hello: C and componentize-py -------------------------------------------------------------


@pytest.mark.parametrize("kind", ["c", "py"])
def test_hello_guests(host_binaries, kind):
    comp = guest_component(kind, "hello")
    got = host_values(host_binaries["host-hello"], comp, timeout=1800)
    g = _guests()
    logs: list[str] = []
    with g.WasmtimeGuest(comp, {"log": logs.append}) as w:
        assert got["greet"] == rs(w.call("greet", "wörld"))
        assert got["logs"] == rs(logs)
        assert got["parse-age 42"] == f"Ok({w.call('parse-age', '42')})"
        assert got["parse-age x"] == f"Err({rs(w.call('parse-age', 'x'))})"
        assert got["sum-list"] == rs(w.call("sum-list", [1, -2, 2**31 - 1, 2**31 - 1]))
    assert got["describe"] == '"Ann is 31 years old"'
    assert got["oldest"] == 'Some(("Bob", 47))'
    assert got["oldest empty"] == "None"


# --- bindgen! compatibility --------------------------------------------------------------------


@pytest.mark.parametrize(
    "host,guest", [("scalars", "scalars"), ("resources", "resources"), ("hello", "hello")]
)
def test_same_host_source_on_bindgen(host_binaries, host, guest):
    """hosts/<host>.rs compiles unchanged against `bindgen!` (conftest.py wraps it in
    `mod rt_x { bindgen!(...) }` in place of the dependency) and prints the same."""
    comp = guest_component("c", guest)
    ours = host_values(host_binaries[f"host-{host}"], comp)
    theirs = host_values(host_binaries[f"compat-{host}"], comp)
    assert ours == theirs


# --- the `dynamic-linking` feature (dylib/) ----------------------------------------------------


def _needed_libraries(binary: Path) -> list[str]:
    """The DT_NEEDED entries of an ELF executable, read with `readelf -d`."""
    readelf = shutil.which("readelf")
    if readelf is None:
        missing("readelf not found (binutils)")
    out = subprocess.run([readelf, "-d", str(binary)], capture_output=True, text=True, check=True)
    return re.findall(r"\(NEEDED\)\s+Shared library: \[([^\]]+)\]", out.stdout)


def test_dynamic_linking_host_runs_on_the_dylib(host_binaries, workspace):
    """hosts/hello.rs on `rt-hello-dyn` with its `dynamic-linking` feature: the binary loads
    wasmtime from the crate's dylib (and std from the toolchain), and behaves the same."""
    static = host_binaries["host-hello"]
    dynamic = host_binaries["host-hello_dyn"]
    needed = _needed_libraries(dynamic)
    assert "librt_hello_dyn_dylib.so" in needed, needed
    assert any(n.startswith("libstd-") for n in needed), needed
    assert not any("dylib" in n or n.startswith("libstd-") for n in _needed_libraries(static))
    # the dylib holds wasmtime: the executable is a fraction of the static one
    assert dynamic.stat().st_size * 4 < static.stat().st_size
    # without the library path the loader refuses it, as it should for a dylib build
    comp = guest_component("c", "hello")
    bare = subprocess.run([str(dynamic), str(comp)], capture_output=True, text=True)
    assert bare.returncode != 0 and "librt_hello_dyn_dylib.so" in bare.stderr
    # with it (what `cargo run` sets), the same output as the statically linked host
    std_dir = subprocess.run(
        ["rustc", "--print", "target-libdir"],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, **cargo_env()},
    ).stdout.strip()
    libs = f"{dynamic.parent / 'deps'}:{std_dir}"
    env = {**os.environ, "LD_LIBRARY_PATH": libs}
    proc = subprocess.run(
        [str(dynamic), str(comp)], capture_output=True, text=True, env=env, timeout=900
    )
    assert proc.returncode == 0, proc.stderr
    assert (
        proc.stdout
        == subprocess.run(
            [str(static), str(comp)], capture_output=True, text=True, check=True, timeout=900
        ).stdout
    )
