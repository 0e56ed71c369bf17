"""The JS/TS generator: a resolved world -> `package.json`, `index.js`, `index.d.ts`.

The file skeletons are Jinja2 templates (`templates/`); `Gen` builds the code that goes into
them. Lifting and lowering code is specialised per WIT type: each compound type gets one helper
per direction it is used in (`s<id>` store, `l<id>` load, `f<id>` flatten, `g<id>` unflatten),
emitted once and called from every use; primitives are a call of a small shared checker
(`u32(v)`) inlined at the use. Names of core imports/exports come from
`witgen.abi.world_contract`; sizes, offsets and flat types from `witgen.abi`.

`Gen` is composed of one mixin per job, all sharing the state set up in `Gen.__init__`:
`model.py` (queries on the model), `tstypes.py` (TS types, namespace naming), `lower.py` (JS
value -> guest), `lift.py` (guest -> JS value), `calls.py` (export wrappers, import
trampolines), `world.py` (the world walk) and `dts.py` (TS declarations). This module holds the
options, the shared state and the registries of emitted code (`use`, `const`).
"""

from __future__ import annotations

import json

from witgen.abi import layout_of, world_contract
from witgen.errors import WitError
from witgen.model import InterfaceItem, Resolve

from .calls import Calls
from .dts import Declarations
from .lift import Lifting
from .lower import Lowering
from .model import Fn, ModelQueries
from .tstypes import TsTypes, doc_comment
from .world import WorldWalk

__all__ = ["Fn", "Gen", "doc_comment"]

ENCODINGS = ("utf8", "utf16", "latin1+utf16")
OPTIONS = ("name", "wasm", "wasm_sha256", "string_encoding", "version")


class Gen(ModelQueries, TsTypes, Lowering, Lifting, Calls, WorldWalk, Declarations):
    """The JS/TS generator of one world: `build()` gives the parts of `index.js`, `dts()` the
    body of `index.d.ts`."""

    def __init__(self, resolve: Resolve, world_id: int, options: dict) -> None:
        unknown = sorted(set(options) - set(OPTIONS))
        if unknown:
            raise WitError(
                f"js target: unknown option(s) {', '.join(unknown)}; known: {', '.join(OPTIONS)}"
            )
        self.r = resolve
        self.wid = world_id
        self.world = resolve.worlds[world_id]
        self.lay = layout_of(resolve)
        self.opts = options
        enc = options.get("string_encoding", "utf8")
        if enc not in ENCODINGS:
            raise WitError(
                f"js target: string_encoding must be one of {', '.join(ENCODINGS)}, not {enc!r}"
            )
        self.enc = enc
        self.lstr, self.rstr = {
            "utf8": ("lstr", "rstr"),
            "utf16": ("lstr16", "rstr16"),
            "latin1+utf16": ("lstrL", "rstrL"),
        }[enc]
        self.str_align = 1 if enc == "utf8" else 2
        self.used: set[str] = {"WitTrapError", "WitGuestError", "fail", "trap"}
        self.helpers: dict[str, str] = {}  # per-type helper name -> code
        self.consts: dict[str, str] = {}  # constant tables (names of enums, flags, tags)
        self.contract = world_contract(resolve, world_id)
        self.exported_ifaces = {
            item.id for item in self.world.exports.values() if isinstance(item, InterfaceItem)
        }
        self.imported_ifaces = {
            item.id for item in self.world.imports.values() if isinstance(item, InterfaceItem)
        }
        self.needs_memory = False
        self.needs_realloc = False
        self._check_async()
        self._name_namespaces()

    # --- registries of emitted code -------------------------------------------------------

    def const(self, prefix: str, tid: int, values: list[str]) -> str:
        name = f"{prefix}{self.uid(tid)}"
        if name not in self.consts:
            self.consts[name] = f"const {name} = [{', '.join(json.dumps(v) for v in values)}];\n"
        return name

    def use(self, *names: str) -> None:
        self.used.update(names)
