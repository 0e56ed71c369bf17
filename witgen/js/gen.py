"""The JS/TS generator of one world, composed of small renderers over the world's ABI plan.

Lifting and lowering code is specialised per WIT type: each compound type gets one helper per
direction it is used in (`s<id>` store, `l<id>` load, `f<id>` flatten, `g<id>` unflatten),
emitted once and called from every use; primitives are a call of a small shared checker
(`u32(v)`) inlined at the use. Every ABI fact (core names, signatures, offsets, flat types,
what needs memory or the guest's allocator) comes from `witgen.abi.plan.world_plan`.

The parts, each with explicit inputs:

- `JsOptions` (`options.py`): the checked options;
- `Emitted` (`emitted.py`): runtime helpers used, per-type helpers, constant tables;
- `TsNamer` (`tstypes.py`): TS namespaces and TS types of WIT types;
- `Lifter` (`lift.py`) and `Lowerer` (`lower.py`): guest -> JS and JS -> guest values;
- `CallRenderer` (`calls.py`): export wrappers and import trampolines;
- `AsyncCalls` (`asyncgen.py`), for an async world: async exports and imports, `[task-return]`,
  the built-ins; `AsyncValues` (`asyncvals.py`): streams, futures, error contexts;
- `WorldWalker` (`world.py`): the parts of `index.js`;
- `Declarations` (`dts.py`): the body of `index.d.ts`.
"""

from __future__ import annotations

from collections.abc import Mapping

from witgen.abi.plan import world_plan
from witgen.model import Resolve, WorldId

from . import runtime, runtime_async
from .asyncgen import AsyncCalls, is_async_world
from .calls import CallRenderer
from .dts import Declarations
from .emitted import Emitted
from .lift import Lifter
from .lower import Lowerer
from .options import parse_options
from .tstypes import TsNamer, doc_comment
from .world import Parts, WorldWalker

__all__ = ["Gen", "doc_comment"]


class Gen:
    """The JS/TS generator of one world: `build()` gives the parts of `index.js`, `dts()` the
    body of `index.d.ts`; `out` holds what they emitted besides."""

    def __init__(self, resolve: Resolve, world_id: WorldId, options: Mapping[str, object]) -> None:
        self.opts = parse_options(options)
        plan = world_plan(resolve, world_id)
        async_world = is_async_world(plan)
        if async_world:
            # its contract has the async built-ins and intrinsics; the glue and the load-time
            # check are the callback ABI's whatever `async_abi` says (the check also takes a
            # stackful lift in place of `[async-lift]` + `[callback]`), so one package runs both
            plan = world_plan(resolve, world_id, "callback")
        self.plan = plan
        self.world = resolve.worlds[world_id]
        self.out = Emitted()
        lift = Lifter(self.plan, self.out, self.opts)
        lower = Lowerer(self.plan, self.out, self.opts, lift)
        calls = CallRenderer(self.out, lower, lift)
        asyncs = AsyncCalls(plan, self.out, calls, lift, lower) if async_world else None
        self._walker = WorldWalker(self.plan, self.out, calls, asyncs)
        self._decls = Declarations(self.plan, TsNamer(resolve, self.world))

    def build(self) -> Parts:
        return self._walker.build()

    def dts(self) -> str:
        return self._decls.dts()

    def runtime_code(self) -> str:
        """The runtime helpers the glue uses, then the async runtime parts it uses."""
        parts = self.out.async_parts
        return runtime.emit(self.out.used | runtime_async.helpers(parts)) + runtime_async.emit(parts)
