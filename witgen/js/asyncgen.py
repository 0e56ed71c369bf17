"""The glue of an async world, rendered from the ABI plan's `AsyncPlan`s onto the async runtime
(`runtime_async`, docs/js.md "Async"):

- an `async func` export: a method returning a Promise (`st.A.call`: lower the arguments in the
  task, call `[async-lift]`, drive `[callback]`), its `[task-return]` lifting the result;
- a sync export of an async world runs as a synchronous task (`st.A.sync`);
- an `async func` import: the `[async-lower]` trampoline (`aImport`: the host function may return
  a Promise; it gets `{ signal }` last);
- the future/stream intrinsics of every function with such types, and the type-independent
  built-ins (`A_ROOT`).

A world is async when a function is `async` or a param/result holds a future, stream or
error-context; a sync world's glue never changes.
"""

from __future__ import annotations

import json

from witgen.abi.intrinsics import AsyncIntrinsic
from witgen.abi.names import ASYNC_LOWER_PREFIX
from witgen.abi.plan import Direction, FuncPlan, WorldPlan
from witgen.abi.shapes import AsyncValueShape
from witgen.abi.typeinfo import typeinfo_of
from witgen.model import InterfaceItem, TypeId, TypeItem

from .asyncvals import spell
from .calls import CallRenderer, returns_result
from .emitted import Emitted
from .lift import Lifter
from .lower import Lowerer

EXPORT, IMPORT = Direction.EXPORT, Direction.IMPORT

#: the type-independent built-ins the runtime provides from `$root` (asyncrt `A_ROOT`)
ROOT_BUILTINS = (
    "[waitable-set-new]",
    "[waitable-set-wait]",
    "[cancellable][waitable-set-wait]",
    "[waitable-set-poll]",
    "[cancellable][waitable-set-poll]",
    "[waitable-set-drop]",
    "[waitable-join]",
    "[subtask-drop]",
    "[subtask-cancel]",
    "[async-lower][subtask-cancel]",
    "[context-get-0]",
    "[context-set-0]",
    "[context-get-1]",
    "[context-set-1]",
    "[waitable-set-wait-i32]",
    "[waitable-set-poll-i32]",
    "[context-get-i32-0]",
    "[context-set-i32-0]",
    "[context-get-i32-1]",
    "[context-set-i32-1]",
    "[backpressure-inc]",
    "[backpressure-dec]",
    "[thread-yield]",
    "[cancellable][thread-yield]",
    "[error-context-new-utf8]",
    "[error-context-new-utf16]",
    "[error-context-new-latin1+utf16]",
    "[error-context-debug-message-utf8]",
    "[error-context-debug-message-utf16]",
    "[error-context-debug-message-latin1+utf16]",
    "[error-context-drop]",
)
#: the parts every async world has (the built-ins a guest may import whatever its types)
BASE_PARTS = ("ACore", "AImport", "AErrCtx")


def is_async_world(plan: WorldPlan) -> bool:
    """Whether the package needs the async runtime and its declarations: an async function,
    or a stream, future or error-context in a function's values or in a type the package
    declares (a world type no function uses is still declared in `index.d.ts`)."""
    info = typeinfo_of(plan.resolve)
    for fp in plan.functions:
        if fp.func.is_async:
            return True
        for t in [p.type for p in fp.func.params] + [fp.func.result]:
            f = info.facts(t)
            if f.has_future_or_stream or f.has_error_context:
                return True
    return any(
        info.facts(t).has_future_or_stream or info.facts(t).has_error_context
        for t in _declared_types(plan)
    )


def _declared_types(plan: WorldPlan) -> list[TypeId]:
    r = plan.resolve
    world = r.worlds[plan.world]
    out: list[TypeId] = []
    for item in [*world.imports.values(), *world.exports.values()]:
        if isinstance(item, TypeItem):
            out.append(item.id)
        elif isinstance(item, InterfaceItem):
            out += r.interfaces[item.id].types.values()
    return out


class AsyncCalls:
    """The async parts of `index.js` (see the module docstring)."""

    def __init__(
        self, plan: WorldPlan, out: Emitted, calls: CallRenderer, lift: Lifter, lower: Lowerer
    ) -> None:
        self.plan = plan
        self.out = out
        self.calls = calls
        self.lift = lift
        self.lower = lower
        out.async_parts.update(BASE_PARTS)

    # --- exports ----------------------------------------------------------------------------

    def core_refs(self, fp: FuncPlan, c: str) -> str:
        """The line binding an async export's `[async-lift]` (`c`) and `[callback]` (`c`k), or
        its `[async-lift-stackful]` and null: the guest's exports say which (`aLift`)."""
        assert fp.async_ is not None
        base = fp.async_.core_name.removeprefix("[async-lift]").removeprefix("[async-lift-stackful]")
        return f"const [{c}, {c}k] = aLift(x, {json.dumps(base)});"

    def export_body(self, fp: FuncPlan, label: str, args: list[str], c: str, ind: str) -> str:
        """The body of the method calling `async func` export `fp`: a Promise of its result."""
        lab = json.dumps(label)
        lines: list[str] = []
        pre = ""
        if fp.lends_handles:
            # the borrows this call lends are returned when it settles (other calls' stay)
            self.out.use("lend")
            pre = f"{ind}let lent = [];\n"
            lines.append("const n0 = st.lent.length;")
        call_args = self.calls._lower_params(fp, args, lab, lines) if fp.params else []
        flat = call_args[0][3:] if call_args[:1] == ["...o"] else f"[{', '.join(call_args)}]"
        if fp.lends_handles:
            lines.append("lent = st.lent.splice(n0);")
        lines.append(f"return {flat};")
        inner = "".join(f"{ind}  {ln}\n" for ln in lines)
        then = ""
        if returns_result(fp):
            self.out.use("WitResultError")
            then = '.then((v) => { if (v.tag === "err") throw new WitResultError(v.val); return v.val; })'
        if fp.lends_handles:
            then += ".finally(() => { st.lent.push(...lent); unlend(st); })"
        return (
            f"{pre}{ind}return st.A.call({lab}, () => {{\n{inner}{ind}}}, {c}, {c}k, "
            f"opts?.signal){then};\n"
        )

    @staticmethod
    def sync_body(label: str, body: str, ind: str) -> str:
        """A sync export's `body` run as a synchronous task of the async runtime."""
        inner = "".join(f"{ind}  {ln}\n" for ln in body.splitlines())
        return f"{ind}return st.A.sync({json.dumps(label)}, () => {{\n{inner}{ind}}});\n"

    def task_return(self, fp: FuncPlan, label: str) -> str:
        """The BIND body of `[task-return]` of export `fp`: lifts its result."""
        lab = json.dumps(label)
        # a sync export has one in the contract too (a guest would not call it)
        sig = fp.task_return
        assert sig is not None, "every export has a [task-return] signature"
        res = fp.result
        if res is None:
            return f"(st) => aTaskReturn(st, {lab}, () => undefined)"
        shape = res.shape
        if sig.indirect_params:
            self.out.use("rng", "mem")
            load = self.lift.load(res.type, "q", EXPORT)
            params = "p"
            expr = f"(mem(st), q = rng(st, p, {shape.size}, {shape.align}), {load})"
            pre = "let q; "
        elif shape.facts.direct:
            params, pre = "a0", ""
            expr = self.lift.lift_flat_direct(shape, "a0", EXPORT, label)
        else:
            params, pre = "...A", ""
            expr = self.lift.lift_flat(res.type, "A", 0, EXPORT)
            if shape.facts.touches_memory:
                self.out.use("mem")
                expr = f"(mem(st), {expr})"
        return (
            f"(st) => aTaskReturn(st, {lab}, ({params}) => {{ {pre}try {{ return {expr}; }} "
            f'catch (e) {{ throw fail(st, e, {lab}, "result"); }} }})'
        )

    # --- imports ----------------------------------------------------------------------------

    def trampoline(self, n: int, fp: FuncPlan, label: str, call: str) -> str:
        """`function t<n>`: the `[async-lower]` core import of `fp`; `call` calls the host with
        the lifted arguments `x0`, ... and the options `o`."""
        assert fp.async_ is not None
        sig = fp.async_.signature
        lab = json.dumps(label)
        args = [f"a{i}" for i in range(len(sig.params))]
        out = ["const st = this;"]
        if fp.params:
            self.out.use("mem")
            out.append("mem(st);")
            if sig.indirect_params:
                self._lift_block(fp, lab, out)
            else:
                self.calls._lift_params(fp, args, lab, out)
        host = call
        if returns_result(fp):
            self.out.use("WitResultError")
            host = (
                f"{{ let v; try {{ v = {call}; }} catch (e) {{ if (!isResErr(e)) throw e; "
                'return { tag: "err", val: e.payload }; } '
                'return aThenable(v) ? Promise.resolve(v).then((x) => ({ tag: "ok", val: x }), '
                '(e) => { if (!isResErr(e)) throw e; return { tag: "err", val: e.payload }; }) '
                ': { tag: "ok", val: v }; }'
            )
        put = "() => {}"
        if fp.result is not None:
            self.out.use("rng", "mem")
            shape = fp.result.shape
            store = self.lower.store(fp.result.type, "v", "q", IMPORT)
            put = (
                f"(v) => {{ try {{ mem(st); const q = rng(st, {args[-1]}, {shape.size}, "
                f'{shape.align}); {store} }} catch (e) {{ throw fail(st, e, {lab}, "result"); }} }}'
            )
        out.append(f"return aImport(st, {lab}, (o) => {host}, {put});")
        return f"function t{n}({', '.join(args)}) {{\n" + "".join(f"  {ln}\n" for ln in out) + "}\n"

    def sync_lower(self, n: int, fp: FuncPlan, label: str, call: str) -> str:
        """`function t<n>`: the sync-lowered core import of `async func` `fp` (`f`, not
        `[async-lower]f`; the sync ABI's params and result): `aSyncLower` calls the host (`call`,
        with the lifted arguments `x0`, ... and the options `o`) and lowers its value, once a
        Promise settles, through `put(f)`, `f` giving the value or throwing the host's error."""
        lab, args, out = self.calls.import_head(fp, label)
        put: list[str] = []
        if fp.result is None:
            put.append("f();")
        else:
            self.calls._lower_result(fp, "f()", args, lab, put)
        out.append(f"return aSyncLower(st, {lab}, (o) => {call}, (f) => {{ {' '.join(put)} }});")
        return f"function t{n}({', '.join(args)}) {{\n" + "".join(f"  {ln}\n" for ln in out) + "}\n"

    def _lift_block(self, fp: FuncPlan, lab: str, out: list[str]) -> None:
        """Lift the params of an async-lowered import from the block at `a0`."""
        self.out.use("rng")
        assert fp.async_ is not None and fp.async_.block is not None
        block, offsets = fp.async_.block, fp.async_.block_offsets
        lines = [f"const q = rng(st, a0, {block.size}, {block.align});"]
        for i, (p, off) in enumerate(zip(fp.params, offsets, strict=True)):
            lines.append(f"k = {i}; x{i} = {self.lift.load(p.type, f'q + {off}', IMPORT)};")
        out.append(f"let k = 0, {', '.join(f'x{i}' for i in range(len(fp.params)))};")
        roots = json.dumps([p.name for p in fp.func.params])
        out.append(
            f"try {{ {' '.join(lines)} }} catch (e) {{ throw fail(st, e, {lab}, {roots}[k]); }}"
        )

    # --- built-ins --------------------------------------------------------------------------

    def intrinsic(self, it: AsyncIntrinsic, d: Direction, sync: bool = False) -> str:
        """The BIND body of a future/stream intrinsic (`sync`: the sync-lowered read or write)."""
        kind, op = it.op.split("-", 1)
        if sync:
            op += "-sync"
        shape = self.plan.shape(it.type_id)
        assert isinstance(shape, AsyncValueShape)
        elem = self.lift.asyncs.elem(shape.payload, d)
        what = json.dumps(spell(self.plan, it.type_id))
        if op == "forward":
            return (
                f'(st) => () => {{ throw aTrap(st, {what} + ": {kind}.forward is not supported by '
                'this runtime"); }'
            )
        self.out.async_parts.add("AFutures" if it.is_future else "AStreams")
        fn = "aFutureOps" if it.is_future else "aStreamOps"
        return f"(st) => {fn}(st, {elem}, {what})[{json.dumps(op)}]"

    def bindings(self) -> list[tuple[str, str, str]]:
        """(module, name, BIND body) of every built-in and intrinsic a guest of the world may
        import besides its functions, resources and `[task-return]`s."""
        out = [("$root", name, f"(st) => A_ROOT[{json.dumps(name)}](st)") for name in ROOT_BUILTINS]
        out.append(("[export]$root", "[task-cancel]", '(st) => A_ROOT["[task-cancel]"](st)'))
        for fp in self.plan.functions:
            for it in fp.intrinsics:
                out.append((fp.intrinsics_module, it.name, self.intrinsic(it, fp.direction)))
                if it.name.startswith(ASYNC_LOWER_PREFIX):
                    # the sync-lowered copy (it may block: a stackful task)
                    sync = self.intrinsic(it, fp.direction, sync=True)
                    out.append((fp.intrinsics_module, it.name.removeprefix(ASYNC_LOWER_PREFIX), sync))
        return out
