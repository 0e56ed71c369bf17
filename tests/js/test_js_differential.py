"""Differential tests: the same C guests run through witgen's package, through `jco transpile`
of the same guest as a component, and through wasmtime-py; the results must agree."""

from __future__ import annotations

import json
import math
import subprocess

import pytest
from js_support import PROGRAMS, need, node_exe, write_pkg

B = lambda v: {"big": str(v)}  # noqa: E731 - a u64/s64 argument
BYTES = lambda *v: {"bytes": list(v)}  # noqa: E731

#: (export, args, WIT result type or None); `iface#f` for an exported interface's function
SCALARS = [
    ("add", [1, 2], "u32"), ("add", [4294967295, 1], "u32"), ("add-via-host", [3, 4], "u32"),
    ("echo", ["héllo wörld 😀"], "string"), ("echo", [""], "string"), ("concat", ["ab", "€"], "string"),
    ("byte-len", ["😀"], "u32"), ("char-count", ["😀a"], "u32"),
    ("sum", [BYTES(1, 2, 250)], "u64"), ("bytes-roundtrip", [BYTES(9, 8, 7)], "bytes"),
    ("f32-to-bits", [1.5], "u32"), ("f32-from-bits", [0x3FC00000], "f32"), ("f64-to-bits", [2.5], "u64"),
    ("f64-from-bits", [B(0x3FF8000000000000)], "f64"), ("log-message", ["logged"], None), ("noop", [], None),
    ("numbers#roundtrip-bool", [True], "bool"), ("numbers#roundtrip-u8", [255], "u8"),
    ("numbers#roundtrip-s8", [-128], "s8"), ("numbers#roundtrip-u16", [65535], "u16"),
    ("numbers#roundtrip-s16", [-32768], "s16"), ("numbers#roundtrip-u32", [4294967295], "u32"),
    ("numbers#roundtrip-s32", [-2147483648], "s32"), ("numbers#roundtrip-u64", [B(2**64 - 1)], "u64"),
    ("numbers#roundtrip-s64", [B(-(2**63))], "s64"), ("numbers#roundtrip-f32", [0.1], "f32"),
    ("numbers#roundtrip-f64", [0.1], "f64"), ("numbers#roundtrip-char", ["😀"], "char"),
    ("numbers#roundtrip-string", ["a€😀"], "string"),
]
HELLO = [
    ("greet", ["wörld"], "string"), ("describe", [{"name": "Ann", "age": 42}], "string"),
    ("sum-list", [[1, -2, 2147483647]], "s64"), ("parse-age", ["42"], "result"), ("parse-age", ["x"], "result"),
    ("oldest", [[{"name": "a", "age": 1}, {"name": "b", "age": 9}]], "person"), ("oldest", [[]], "person"),
]
#: compound: compared between witgen and jco only (wasmtime-py's values are not typed enough)
COMPOUND = [
    ("make-point", [1, -2]), ("color-index", ["blue"]), *[("make-shape", [i]) for i in range(7)],
    ("sum-points", [[{"x": 1, "y": 2}, {"x": 3, "y": 4}]]), ("parse-number", ["12"]), ("parse-number", ["zz"]),
    ("api#roundtrip-point", [{"x": 1, "y": -1}]), ("api#roundtrip-tuple", [[1, "s", 2.5, {"x": 3, "y": 4}]]),
    ("api#roundtrip-color", ["green"]), ("api#roundtrip-small-flags", [{"a": True, "c": True}]),
    ("api#roundtrip-large-flags", [{"l31": True}]), ("api#roundtrip-shape", [{"tag": "count", "val": B(5)}]),
    ("api#roundtrip-shape", [{"tag": "rect", "val": [1.5, 2.5]}]), ("api#roundtrip-signal", [{"tag": "wait"}]),
    ("api#roundtrip-option", [7]), ("api#roundtrip-option", [None]), ("api#roundtrip-option-string", ["s"]),
    ("api#roundtrip-list-u32", [[1, 2, 3]]), ("api#roundtrip-list-strings", [["a", "é", ""]]),
    ("api#roundtrip-list-points", [[{"x": 1, "y": 2}]]), ("api#roundtrip-list-lists", [[[1], [], [2, 3]]]),
    ("api#split3", ["ab"]),
]


def _guests():
    from support import guests

    return guests


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    guests = _guests()
    out = {}
    tmp = tmp_path_factory.mktemp("diff")
    for name in ("scalars", "hello", "compound"):
        try:
            core = guests.build_c_guest(name)
            comp = guests.componentize_core(core)
            spec = guests.guest_spec("c", name)
            jco_js = guests.jco_transpile(comp, tmp / f"jco-{name}", "--instantiation", "async", name=name)
        except guests.ToolMissing as e:
            need(str(e))
        pkg = write_pkg(spec.wit, spec.world, tmp / f"witgen-{name}", wasm=str(core))
        out[name] = (pkg / "index.js", jco_js, comp)
    return tmp, out


def _run(tmp, kind: str, binding, world: str, calls) -> dict:
    f = tmp / f"calls-{world}.json"
    f.write_text(json.dumps({"world": world, "calls": [[c[0], c[1]] for c in calls]}))
    proc = subprocess.run([node_exe(), str(PROGRAMS / "diff_driver.mjs"), kind, binding.as_uri(), str(f)],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout.splitlines()[-1])


@pytest.mark.parametrize("world, calls", [("scalars", SCALARS), ("hello", HELLO), ("compound", COMPOUND)])
def test_witgen_matches_jco(built, world, calls):
    tmp, b = built
    ours = _run(tmp, "witgen", b[world][0], world, calls)
    theirs = _run(tmp, "jco", b[world][1], world, calls)
    for call, x, y in zip(calls, ours["out"], theirs["out"], strict=True):
        assert x == y, f"{call}: witgen {x} != jco {y}"
    assert ours["logs"] == theirs["logs"]


def _py_arg(v):
    from wasmtime.component import Record

    if isinstance(v, dict) and "big" in v:
        return int(v["big"])
    if isinstance(v, dict) and "bytes" in v:
        return bytes(v["bytes"])
    if isinstance(v, dict):
        r = Record()
        for k, x in v.items():
            setattr(r, k, _py_arg(x))
        return r
    if isinstance(v, list):
        return [_py_arg(x) for x in v]
    return v


def _py_norm(v, ty):
    if v is None:
        return None
    if ty in ("u64", "s64"):
        return {"big": str(v)}
    if ty == "bytes":
        return {"bytes": list(v)}
    if ty in ("f32", "f64") and not math.isfinite(v):
        return {"float": {"nan": "NaN", "inf": "Infinity", "-inf": "-Infinity"}[str(v)]}
    if ty == "person":
        return {"name": v.name, "age": v.age}
    return v


@pytest.mark.parametrize("world, calls", [("scalars", SCALARS), ("hello", HELLO)])
def test_witgen_matches_wasmtime_py(built, world, calls):
    guests = _guests()
    try:
        guests._wasmtime()
    except guests.ToolMissing as e:
        need(str(e))
    tmp, b = built
    ours = _run(tmp, "witgen", b[world][0], world, calls)
    logs: list[str] = []
    ident = lambda x: x  # noqa: E731
    if world == "scalars":
        numbers = {f"roundtrip-{t}": ident for t in
                   ("bool", "u8", "s8", "u16", "s16", "u32", "s32", "u64", "s64", "f32", "f64", "char", "string")}
        imports = {"witgen:scalars/numbers": numbers, "host-add": lambda a, c: (a + c) & 0xFFFFFFFF, "log": logs.append}
    else:
        imports = {"log": logs.append}
    with guests.WasmtimeGuest(b[world][2], imports) as g:
        for (fn, args, ty), mine in zip(calls, ours["out"], strict=True):
            export = fn.replace("numbers#", "witgen:scalars/numbers#")
            got = _py_norm(g.call(export, *[_py_arg(a) for a in args]), ty)
            expected = mine.get("ok", mine.get("err"))  # wasmtime-py gives a result's payload either way
            assert got == expected, f"{fn}{args}: wasmtime-py {got} != witgen {expected}"
    assert logs == ours["logs"]
