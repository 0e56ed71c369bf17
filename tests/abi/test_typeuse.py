"""The facts a host binding reads about a type beyond its value: what it owns through
future/stream payloads (`typeinfo.py`'s `*_anywhere`) and how one world's functions use it
(`typeuse.py`). Expected values follow wit-bindgen-core's `TypeInfo` (types.rs), which
`bindgen!` derives `Copy`/`Clone`, lifetimes and error impls from."""

from __future__ import annotations

from pathlib import Path

import witgen
from witgen.abi.typeinfo import typeinfo_of
from witgen.abi.typeuse import TypeUses
from witgen.model import InterfaceItem, Resolve

WIT = """package t:u;
interface i {
  resource r;
  record plain { a: u32 }
  record text { s: string }
  type fs = future<string>;
  type sh = stream<own<r>>;
  type via = list<fs>;
  record in-arg { t: text }
  record out-only { p: plain }
  record lent { x: u32 }
  type e = plain;
  record behind { x: u32 }
  record holds-handle { h: borrow<r> }
  f: func(a: in-arg) -> result<out-only, e>;
  g: func(h: holds-handle);
}
interface x {
  use i.{lent, text};
  run: func(l: lent, t: text);
}
world w { import i; export x; }
"""


def _load(tmp_path: Path) -> tuple[Resolve, dict[str, int]]:
    path = tmp_path / "u.wit"
    path.write_text(WIT)
    resolve: Resolve = witgen.load(path)
    types: dict[str, int] = {}
    for item in resolve.worlds[0].imports.values():
        assert isinstance(item, InterfaceItem)
        types |= resolve.interfaces[item.id].types
    return resolve, types


def test_anywhere_facts_look_into_payloads(tmp_path: Path) -> None:
    resolve, t = _load(tmp_path)
    info = typeinfo_of(resolve)
    fs, sh, via = (info.facts(t[n]) for n in ("fs", "sh", "via"))
    assert fs.list_anywhere and not fs.touches_memory and not fs.handle_anywhere
    assert sh.handle_anywhere and not sh.has_handle and not sh.list_anywhere
    assert via.list_anywhere and via.touches_memory
    plain, text, holds = (info.facts(t[n]) for n in ("plain", "text", "holds-handle"))
    assert not plain.list_anywhere and not plain.handle_anywhere
    assert text.list_anywhere and not text.handle_anywhere
    assert holds.handle_anywhere and holds.has_borrow and not holds.list_anywhere


def test_uses_of_one_world(tmp_path: Path) -> None:
    resolve, t = _load(tmp_path)
    uses = TypeUses(resolve, 0)
    # an import's parameter and anything it holds reach the host by value
    assert uses.use(t["in-arg"]).owned and uses.use(t["text"]).owned
    # a result and the error of a result
    assert uses.use(t["out-only"]).owned and not uses.use(t["out-only"]).borrowed
    assert uses.use(t["plain"]).owned  # inside out-only, and the error alias's target
    assert uses.use(t["plain"]).error and not uses.use(t["out-only"]).error
    # only an export's parameter: borrowed, not owned
    assert uses.use(t["lent"]).borrowed and not uses.use(t["lent"]).owned
    assert uses.use(t["text"]).borrowed  # also an export's parameter
    # a type no function reaches, and a resource behind a handle
    assert uses.use(t["behind"]) == uses.use(t["r"])
    assert not uses.use(t["behind"]).owned and not uses.use(t["r"]).owned
    assert uses.use(t["holds-handle"]).owned
