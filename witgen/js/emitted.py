"""The registry of what `index.js` will contain beyond the per-function code: the runtime helpers
used (`used`, emitted by `runtime.emit`), the per-type helper functions (`helpers`, in first-use
order) and the constant tables of names (`consts`).
"""

from __future__ import annotations

import json
from collections.abc import Callable

from witgen.abi.plan import Direction

#: the suffix per-type helper names carry when the type holds handles (their side differs)
SIDE = {Direction.EXPORT: "e", Direction.IMPORT: "i"}

#: a DataView accessor of an unsigned integer of each size
UINT = {1: "Uint8", 2: "Uint16", 4: "Uint32"}


class Emitted:
    """Runtime helpers, per-type helpers and constant tables, each emitted once."""

    def __init__(self) -> None:
        self.used: set[str] = {"WitTrapError", "WitGuestError", "fail", "trap"}
        self.helpers: dict[str, str] = {}
        self.consts: dict[str, str] = {}
        #: the parts of the async runtime used (`runtime_async.PARTS`)
        self.async_parts: set[str] = set()

    def use(self, *names: str) -> None:
        """Mark runtime helpers as used."""
        self.used.update(names)

    def const(self, prefix: str, tid: int, values: tuple[str, ...] | list[str]) -> str:
        """The name of the constant array `values` of type `tid` (`EN3`, `FL7`, `TG2`)."""
        name = f"{prefix}{tid}"
        if name not in self.consts:
            self.consts[name] = f"const {name} = [{', '.join(json.dumps(v) for v in values)}];\n"
        return name

    def helper(self, name: str, build: Callable[[], str], reserve: bool = True) -> str:
        """`name`, after emitting `build()` as its code on first use.

        With `reserve` the slot is taken before `build` runs, so the helpers it needs come
        after it; without, they come before it.
        """
        if name not in self.helpers:
            if reserve:
                self.helpers[name] = ""
            self.helpers[name] = build()
        return name

    def helper_suffix(self, tid: int, has_handle: bool, direction: Direction) -> str:
        """The per-type helper suffix: the type id, plus the side when handles matter."""
        return f"{tid}{SIDE[direction]}" if has_handle else f"{tid}"
