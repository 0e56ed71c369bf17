"""`witgen.guest.reader` against modules written in WAT (assembled by wasm-tools): the expected
interfaces are read off the WAT text by hand."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from support.guests import ToolMissing, wasm_tools
from support.missing import missing

from witgen.guest.reader import Export, Import, WasmFormatError, parse_module


def assemble(wat: str, tmp: Path) -> bytes:
    try:
        exe = wasm_tools()
    except ToolMissing as e:
        missing(str(e))
    src, out = tmp / "m.wat", tmp / "m.wasm"
    src.write_text(wat)
    subprocess.run([exe, "parse", src, "-o", out], check=True, capture_output=True)
    return out.read_bytes()


EVERY_KIND = """
(module
  (type $t (func (param i32 i64) (result f32)))
  (import "$root" "f" (func $f (type $t)))
  (import "env" "tbl" (table 1 funcref))
  (import "env" "mem" (memory 1 2))
  (import "env" "g" (global (mut i32)))
  (import "m#x" "h" (func $h (param f64 v128 externref)))
  (func $own (param i32) (result i32 i64) (local.get 0) (i64.const 0))
  (memory $m2 3)
  (global $gl i32 (i32.const 0))
  (export "own" (func $own))
  (export "re-f" (func $f))
  (export "h2" (func $h))
  (export "mem2" (memory $m2))
  (export "gl" (global $gl))
  (export "ünïcode" (func $own))
  (@custom "note" "x")
)
"""


def test_every_import_and_export_kind(tmp_path: Path) -> None:
    mod = parse_module(assemble(EVERY_KIND, tmp_path))
    assert mod.imports == [
        Import("$root", "f", "func", (("i32", "i64"), ("f32",))),
        Import("env", "tbl", "table"),
        Import("env", "mem", "memory"),
        Import("env", "g", "global"),
        Import("m#x", "h", "func", (("f64", "v128", "externref"), ())),
    ]
    own = (("i32",), ("i32", "i64"))
    assert mod.exports == [
        Export("own", "func", 2, own),
        Export("re-f", "func", 0, (("i32", "i64"), ("f32",))),
        Export("h2", "func", 1, (("f64", "v128", "externref"), ())),
        Export("mem2", "memory", 1),
        Export("gl", "global", 1),
        Export("ünïcode", "func", 2, own),
    ]
    assert mod.memories == [(3, None)]
    assert "note" in mod.custom_sections


def test_memory64_limits(tmp_path: Path) -> None:
    mod = parse_module(assemble("(module (memory i64 5 70000))", tmp_path))
    assert mod.memories == [(5, 70000)]


@pytest.mark.parametrize(
    "data, message",
    [
        (b"hello", "not a wasm binary"),
        (b"\0asm\x0d\0\x01\0", "a component, not a core module"),
        (b"\0asm\2\0\0\0", "not a core wasm module"),
        # a type section announcing one type, then nothing
        (b"\0asm\1\0\0\0\x01\x01\x01", "unexpected end of data (at byte 11)"),
        # a section longer than the module
        (b"\0asm\1\0\0\0\x01\x09\x01", "runs past the end"),
        # an export of function 0 in a module without functions
        (b"\0asm\1\0\0\0\x07\x05\x01\x01f\0\0", "function index 0 out of range"),
    ],
)
def test_bad_binaries(data: bytes, message: str) -> None:
    with pytest.raises(WasmFormatError, match=message.replace("(", r"\(").replace(")", r"\)")):
        parse_module(data)
