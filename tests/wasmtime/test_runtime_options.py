"""The wasmtime target's `with` (onto another generated crate) and `ownership` options at run
time: Rust hosts on crates generated with them run the C guest `compound`, and must give the
results of hosts/compound.rs on the default crate, which test_runtime.py compares with
wasmtime-py; the world-level exports are compared with wasmtime-py here as well.

- hosts/with_compound.rs: `with = {"witgen:compound": "rt_compound::witgen::compound"}`, the
  imported interfaces taken from the crate `rt-compound`.
- hosts/borrow_compound.rs: `ownership = "borrowing"` (deeply borrowed export parameters).
- hosts/borrow_dup_compound.rs: `ownership = "borrowing-duplicate"` (`*Param<'a>` /
  `*Result` type pairs).

(`with` onto wasmtime-wasi: test_runtime_wasi.py.)
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hostrun import guest_component, host_values
from support.missing import missing

WORLD_EXPORTS = ("make-point", "color-index", "sum-points", "parse-number 42", "parse-number x")


def _world_exports_under_wasmtime_py(comp: Path) -> dict[str, str]:
    """The world-level exports hosts/compound.rs calls, printed as it prints them."""
    from support import guests as g

    try:
        from wasmtime.component import Record
    except ImportError:
        missing("wasmtime-py not found (pip install wasmtime)")

    def point(x, y):
        r = Record()
        r.x, r.y = x, y
        return r

    with g.WasmtimeGuest(comp, {}) as w:
        p = w.call("make-point", 4, -5)
        return {
            "make-point": f"{p.x} {p.y}",
            "color-index": str(w.call("color-index", "blue")),
            "sum-points": str(w.call("sum-points", [point(-3, 7), point(p.x, p.y)])),
            "parse-number 42": f"Ok({w.call('parse-number', '42')})",
            "parse-number x": f'Err("{w.call("parse-number", "x")}")',
        }


def test_with_onto_another_generated_crate(host_binaries):
    comp = guest_component("c", "compound")
    got = host_values(host_binaries["host-with_compound"], comp)
    base = host_values(host_binaries["host-compound"], comp)
    roundtrips = [k for k in got if k.startswith("call_")]
    assert len(roundtrips) == 6
    assert all(got[k] == "ok" for k in roundtrips), got
    # the guest called the mapped crate's Host implementation, once per export call
    assert got["host calls"] == (
        '["roundtrip_point", "roundtrip_mixed", "roundtrip_nested", "roundtrip_list_shapes", '
        '"roundtrip_result_nested", "roundtrip_result_both"]'
    )
    shapes = [f"make-shape {i}" for i in range(7)]
    assert {k: got[k] for k in (*WORLD_EXPORTS, *shapes)} == {
        k: base[k] for k in (*WORLD_EXPORTS, *shapes)
    }
    assert {k: got[k] for k in WORLD_EXPORTS} == _world_exports_under_wasmtime_py(comp)


@pytest.mark.parametrize("host", ["borrow_compound", "borrow_dup_compound"])
def test_borrowing_ownership(host_binaries, host):
    comp = guest_component("c", "compound")
    got = host_values(host_binaries[f"host-{host}"], comp)
    base = host_values(host_binaries["host-compound"], comp)
    if host == "borrow_dup_compound":
        # `shape` is returned and taken, so it has two Rust types here (`Shape` for params,
        # `ShapeResult` for results) and Debug names the type printed, as bindgen!'s does
        # (print_rust_enum_debug writes the mode's Rust name)
        shapes = {k: v for k, v in got.items() if k.startswith("make-shape")}
        assert shapes and all(v.startswith("ShapeResult::") for v in shapes.values()), shapes
        got = {k: v.replace("ShapeResult::", "Shape::", 1) for k, v in got.items()}
    # same calls, same results (each roundtrip is checked against what was sent in Rust)
    assert got == base
    roundtrips = [k for k in got if k.startswith("call_roundtrip")]
    assert len(roundtrips) >= 20 and all(got[k] == "ok" for k in roundtrips), got
    assert got["call_split3"] == "ok"
    assert {k: got[k] for k in WORLD_EXPORTS} == _world_exports_under_wasmtime_py(comp)
