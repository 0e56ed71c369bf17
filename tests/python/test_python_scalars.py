"""The `scalars` C guest through its generated package: every scalar kind both ways (the guest's
`numbers` exports call the host's `numbers` imports with the same arguments), byte lists,
strings, floats bit for bit, host imports, and the checks at the boundary in both directions.
Expected values are computed here (or are the ones tests/wasmtime's Rust host prints for the
same calls, `test_scalars_same_as_wasmtime_py`)."""

from __future__ import annotations

import math
import struct

import pytest
from py_support import guest_package


class Numbers:
    """Returns what it gets, after `override` (name -> value) has its say."""

    def __init__(self) -> None:
        self.override: dict[str, object] = {}
        self.calls: list[str] = []

    def __getattr__(self, name: str):
        if not name.startswith("roundtrip_") and name != "all_scalars":
            raise AttributeError(name)

        def f(*args):
            self.calls.append(name)
            if name in self.override:
                return self.override[name]
            return args if name == "all_scalars" else args[0]

        return f


@pytest.fixture
def scalars(pkgdir, component, engine):
    m = guest_package(pkgdir, "scalars")
    logs: list[str] = []
    nums = Numbers()
    imports = m.Imports(host_add=lambda a, b: (a + b) % 2**32, log=logs.append, numbers=nums)
    w = m.Scalars.load(engine, component("scalars"), imports=imports)
    return m, w, nums, logs


def f32_bits(x: float) -> int:
    return struct.unpack("<I", struct.pack("<f", x))[0]


def test_world_exports(scalars):
    _, w, _, logs = scalars
    assert w.add(2, 3) == 5
    assert w.add(2**32 - 1, 2) == 1
    assert w.add_via_host(40, 2) == 42
    assert w.echo("héllo, wörld ✓") == "héllo, wörld ✓"
    assert w.concat("ab", "çd") == "abçd"
    assert w.byte_len("héllo") == len("héllo".encode())
    assert w.char_count("héllo") == 5
    assert w.sum(bytes([1, 2, 3, 250])) == 256
    assert w.sum(bytearray(b"\x01\x02")) == 3  # any bytes-like
    assert w.bytes_roundtrip(bytes([0, 1, 255])) == bytes([0, 1, 255])
    assert w.f32_to_bits(-0.0) == 0x80000000
    assert w.f32_from_bits(0x3FC00000) == 1.5
    assert w.f64_to_bits(1.5) == 0x3FF8000000000000
    assert math.isnan(w.f64_from_bits(0x7FF8000000000001))
    assert w.f32_to_bits(2) == f32_bits(2.0)  # an int is accepted for a float
    w.log_message("logged")
    assert logs == ["logged"]
    assert w.noop() is None


def test_numbers_both_ways(scalars):
    _, w, nums, _ = scalars
    n = w.numbers
    cases = {
        "bool": True, "u8": 255, "s8": -128, "u16": 65535, "s16": -32768, "u32": 2**32 - 1,
        "s32": -(2**31), "u64": 2**64 - 1, "s64": -(2**63), "f64": -2.5, "char": "🦀",
        "string": "ünï",
    }  # fmt: skip
    for kind, value in cases.items():
        assert getattr(n, f"roundtrip_{kind}")(value) == value, kind
    assert n.roundtrip_f32(1.25) == 1.25
    t = n.all_scalars(True, 1, -2, 3, -4, 5, -6, 7, -8, 9.5, -10.25, "x")
    assert t == (True, 1, -2, 3, -4, 5, -6, 7, -8, 9.5, -10.25, "x")
    assert "all_scalars" in nums.calls


@pytest.mark.parametrize(
    "call, message, kind",
    [
        (lambda w: w.add(-1, 0), r"add: a: -1 is out of range for u32 \(0..4294967295\)", ValueError),
        (lambda w: w.add(0, 2**32), r"add: b: 4294967296 is out of range for u32", ValueError),
        (lambda w: w.add(True, 0), r"add: a: expected an int \(u32\), got bool True", TypeError),
        (lambda w: w.add(1.0, 0), r"add: a: expected an int \(u32\), got float 1.0", TypeError),
        (lambda w: w.echo(b"x"), r"echo: s: expected a str, got bytes", TypeError),
        (lambda w: w.echo("a\ud800"), r"echo: s: unpaired surrogate at index 1", ValueError),
        (lambda w: w.sum([1, 2]), r"sum: xs: expected bytes, got list", TypeError),
        (lambda w: w.numbers.roundtrip_char("ab"), r"roundtrip-char: x: expected a str of one character", TypeError),
        (lambda w: w.numbers.roundtrip_char("\udc00"), r"roundtrip-char: x: U\+DC00 is a surrogate", ValueError),
        (lambda w: w.numbers.roundtrip_s64(2**63), r"roundtrip-s64: x: 9223372036854775808 is out of range", ValueError),
        (lambda w: w.numbers.roundtrip_f64("1"), r"roundtrip-f64: x: expected a float, got str", TypeError),
    ],
)  # fmt: skip
def test_export_argument_errors(scalars, call, message, kind):
    _, w, _, _ = scalars
    with pytest.raises(kind, match=message):
        call(w)
    assert w.add(1, 1) == 2  # the instance is still usable


@pytest.mark.parametrize(
    "name, value, call, message, kind",
    [
        ("roundtrip_u32", 2**32 + 2, lambda n: n.roundtrip_u32(1),
         r"roundtrip-u32: result: 4294967298 is out of range", ValueError),
        ("roundtrip_string", 5, lambda n: n.roundtrip_string("x"),
         r"roundtrip-string: result: expected a str, got int 5", TypeError),
        ("roundtrip_char", "", lambda n: n.roundtrip_char("x"),
         r"roundtrip-char: result: expected a str of one character", TypeError),
        ("roundtrip_bool", 1, lambda n: n.roundtrip_bool(True),
         r"roundtrip-bool: result: expected a bool, got int 1", TypeError),
    ],
)  # fmt: skip
def test_host_results_are_checked(scalars, name, value, call, message, kind):
    """What a host import returns is checked like an argument (wasmtime-py alone would
    truncate 2**32 + 2 to 2). The guest was interrupted, so the instance is unusable after."""
    m, w, nums, _ = scalars
    nums.override[name] = value
    with pytest.raises(kind, match=message):
        call(w.numbers)
    with pytest.raises(m.WitTrapError, match="add: .*cannot enter component instance"):
        w.add(1, 2)


def test_host_exception_propagates(pkgdir, component, engine):
    m = guest_package(pkgdir, "scalars")

    class Boom(Exception):
        pass

    def host_add(a: int, b: int) -> int:
        raise Boom("unlucky")

    w = m.Scalars.load(engine, component("scalars"), imports=m.Imports(host_add=host_add, log=print, numbers=Numbers()))
    with pytest.raises(Boom, match="unlucky"):
        w.add_via_host(1, 2)


def test_load_errors(pkgdir, component, engine, tmp_path):
    m = guest_package(pkgdir, "scalars")
    imports = m.Imports(host_add=lambda a, b: a + b, log=print, numbers=Numbers())
    with pytest.raises(TypeError, match="engine_or_store: expected a wasmtime Engine or Store"):
        m.Scalars.load("engine", component("scalars"), imports=imports)
    with pytest.raises(TypeError, match="imports: expected Scalars's Imports, got dict"):
        m.Scalars.load(engine, component("scalars"), imports={})
    with pytest.raises(TypeError, match="the component does not export the function `add`"):
        m.Scalars.load(engine, component("hello"), imports=imports)
    import wasmtime

    store = wasmtime.Store(engine)
    w = m.Scalars.load(store, component("scalars").read_bytes(), imports=imports)
    assert w.store is store and w.add(1, 2) == 3
