"""TypeScript declarations (`index.d.ts` body): type definitions per namespace, the `Imports`
the host provides and the `Exports` the guest provides, with their JSDoc.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from witgen.abi.plan import Direction, WorldPlan
from witgen.model import (
    Alias,
    Function,
    FunctionItem,
    Future,
    InterfaceItem,
    Prim,
    Record,
    Resolve,
    Resource,
    Result_,
    TypeItem,
)

from . import names as N
from .asyncgen import is_async_world
from .tstypes import TsNamer, doc_comment
from .world import export_aliases, resource_of

SIDES = {"e": Direction.EXPORT, "i": Direction.IMPORT}

#: the types and functions of the async runtime, declared by an async world's package
ASYNC_DECLS = """
/** A stream the guest gives JS: a ReadableStream that is also async iterable (`for await`). */
export type WitStream<T> = ReadableStream<T> & AsyncIterable<T>;
/** A stream JS gives the guest: a ReadableStream or an (async) iterable of its elements. */
export type WitStreamSource<T> = ReadableStream<T> | AsyncIterable<T> | Iterable<T>;
/** A future the guest gives JS: a Promise of its value; `drop()` closes it unread. */
export type WitFuture<T> = Promise<T> & { drop(): void };
/** A future JS gives the guest: its value, or a Promise of it. */
export type WitFutureSource<T> = T | PromiseLike<T>;
/** Options of an async export call: `signal` cancels the call (the guest's task). */
export interface WitCallOptions {
  signal?: AbortSignal;
}
/** What an async import gets last: `signal` aborts when the guest cancels the call. */
export interface WitImportOptions {
  readonly signal: AbortSignal;
}
/** An `error-context` value: an Error carrying its debug message. */
export declare class WitErrorContext extends Error {}
/** The async runtime of an instance now: handles in its table, tasks waiting, what settles if it
 * dies, calls queued, runs of stream elements and future values that went through JS. */
export declare function asyncStats(exports: Exports): {
  handles: number;
  tasks: number;
  pending: number;
  queued: number;
  hostChunks: number;
};
"""


def global_names(dispose: bool, is_async: bool) -> str:
    """The global names the declarations use that a TS lib may lack (`lib: es2022` alone has no
    `Symbol.dispose`, `ReadableStream` or `AbortSignal`), declared empty: they merge with the
    full declarations of `esnext`, `dom` and `@types/node`."""
    lines = ["  interface SymbolConstructor { readonly dispose: unique symbol; }\n"] if dispose else []
    if is_async:
        lines += ["  interface ReadableStream<R> {}\n", "  interface AbortSignal {}\n"]
    if not lines:
        return ""
    doc = "/** Names the types above use, for TS libs without them (they merge with the full ones). */\n"
    return doc + "declare global {\n" + "".join(lines) + "}\n"


def result_kind(resolve: Resolve, func: Function) -> Result_ | None:
    """The `result` kind of `func`'s result type, if it is one (its `err` is thrown)."""
    if func.result is None:
        return None
    t = resolve.unalias(func.result)
    k = None if isinstance(t, Prim) else resolve.types[t].kind
    return k if isinstance(k, Result_) else None


class Declarations:
    """The body of `index.d.ts`."""

    def __init__(self, plan: WorldPlan, namer: TsNamer) -> None:
        self.plan = plan
        self.r = plan.resolve
        self.world = self.r.worlds[plan.world]
        self.namer = namer

    def ts_params(self, func: Function, mode: str, ctx: str, skip_self: bool) -> str:
        params = func.params[1:] if skip_self else func.params
        return ", ".join(
            f"{N.param_name(p.name)}: {self.namer.ts(p.type, mode, ctx)}" for p in params
        )

    def ts_result(self, func: Function, mode: str, ctx: str) -> str:
        rk = result_kind(self.r, func)
        if rk is not None:
            return self.namer.ts(rk.ok, mode, ctx)
        if func.is_async and mode == "out" and func.result is not None:
            # a Promise of a Promise is a Promise of the value: an async export returning
            # future<T> resolves to T
            t = self.r.unalias(func.result)
            k = None if isinstance(t, Prim) else self.r.types[t].kind
            if isinstance(k, Future):
                return "void" if k.type is None else self.namer.ts(k.type, mode, ctx)
        return self.namer.ts(func.result, mode, ctx)

    def ts_signature(self, func: Function, exported: bool, ctx: str) -> str:
        """`(params): result` of a method; an async one takes options last and may wait."""
        pm, rm = ("in", "out") if exported else ("out", "in")
        params = self.ts_params(func, pm, ctx, func.base_kind == "method")
        res = self.ts_result(func, rm, ctx)
        if not func.is_async:
            return f"({params}): {res}"
        sep = ", " if params else ""
        if exported:
            return f"({params}{sep}opts?: WitCallOptions): Promise<{res}>"
        return f"({params}{sep}opts: WitImportOptions): {self.namer.paren(res)} | PromiseLike<{res}>"

    def ts_doc(self, func: Function, ind: str, exported: bool, ctx: str) -> str:
        extra = []
        rk = result_kind(self.r, func)
        if rk is not None:
            err = (
                self.namer.ts(rk.err, "out" if exported else "in", ctx)
                if rk.err is not None
                else "undefined"
            )
            if exported:
                extra.append(f"@throws {{WitResultError<{err}>}} the `err` case of the WIT result")
            else:
                extra.append(
                    f"To return the `err` case of the WIT result, throw `new WitResultError<{err}>(payload)`."
                )
        return doc_comment(func.docs, ind, extra)

    def ts_method(
        self, func: Function, exported: bool, ctx: str, ind: str, static: bool = False
    ) -> str:
        name = N.prop(N.func_name(func))
        return self.ts_doc(func, ind, exported, ctx) + f"{ind}{name}{self.ts_signature(func, exported, ctx)};\n"

    def ts_typedef(self, tid: int, ctx: str, ind: str, funcs: Iterable[Function]) -> str:
        td = self.r.types[tid]
        k = td.kind
        name = N.type_name(td.name or "")
        doc = doc_comment(td.docs, ind)
        if isinstance(k, Resource):
            side = "e" if self.plan.guest_defines(tid, SIDES[ctx]) else "i"
            lines = [doc, f"{ind}export interface {name} {{\n"]
            if side == "e":
                lines.append(f"{ind}  readonly [brand{tid}]: {json.dumps(name)};\n")
            for f in funcs:
                if f.base_kind == "method" and resource_of(self.r, f) == tid:
                    lines.append(self.ts_method(f, side == "e", ctx, ind + "  "))
            if side == "e":
                lines.append(
                    f"{ind}  /** Drops the resource (runs its WIT destructor); later use is an error. */\n"
                )
                lines.append(f"{ind}  [Symbol.dispose](): void;\n")
            else:
                lines.append(f"{ind}  /** Called when the guest drops its last handle. */\n")
                lines.append(f"{ind}  [Symbol.dispose]?(): void;\n")
            lines.append(f"{ind}}}\n")
            return "".join(lines)
        if isinstance(k, Alias):
            target = k.type
            out = f"{doc}{ind}export type {name} = {self.namer.ts(target, 'out', ctx)};\n"
            if self.namer.differs(self.r.unalias(target)) and not isinstance(
                self.r.unalias(target), Prim
            ):
                out += f"{ind}export namespace {name} {{ type In = {self.namer.ts(target, 'in', ctx)}; }}\n"
            elif isinstance(self.r.unalias(target), Prim) and self.namer.ts(
                target, "in", ctx
            ) != self.namer.ts(target, "out", ctx):
                out += f"{ind}export namespace {name} {{ type In = {self.namer.ts(target, 'in', ctx)}; }}\n"
            return out
        body_out = self.namer.ts_kind(k, "out", ctx)
        if isinstance(k, Record):
            out = f"{doc}{ind}export interface {name} {self.indent(body_out, ind)}\n"
        else:
            out = f"{doc}{ind}export type {name} = {self.indent(body_out, ind)};\n"
        if self.namer.differs(tid):
            out += f"{ind}export namespace {name} {{\n{ind}  type In = {self.indent(self.namer.ts_kind(k, 'in', ctx), ind + '  ')};\n{ind}}}\n"
        return out

    @staticmethod
    def indent(s: str, ind: str) -> str:
        return s.replace("\n", "\n" + ind) if ind else s

    def dts(self) -> str:
        is_async = is_async_world(self.plan)
        body = "".join(self._types() + self._imports() + self._exports())
        if is_async:
            body += ASYNC_DECLS
        return body + global_names("[Symbol.dispose]" in body, is_async)

    def _types(self) -> list[str]:
        """Brands of guest-implemented resources, world-level types, interface namespaces."""
        r = self.r
        out: list[str] = []
        for _key, item in self.world.exports.items():
            if isinstance(item, InterfaceItem):
                for tid in r.interfaces[item.id].types.values():
                    if isinstance(r.types[tid].kind, Resource):
                        out.append(f"declare const brand{tid}: unique symbol;\n")
        if out:
            out.append("\n")
        for _key, item in self.world.imports.items():
            if isinstance(item, TypeItem):
                out.append(self.ts_typedef(item.id, "i", "", self.world_level_funcs()))
        for (iid, side), ns in self.namer.ns.items():
            iface = r.interfaces[iid]
            what = f"Types of `{r.interface_name(iid) or ns.name}`"
            what += " (as exported by the guest)." if side == "e" else "."
            out.append("\n" + doc_comment(iface.docs, "", [what]))
            out.append(f"export namespace {ns.name} {{\n")
            for tid in iface.types.values():
                out.append(self.ts_typedef(tid, side, "  ", iface.functions.values()))
            out.append("}\n")
        return out

    def _imports(self) -> list[str]:
        """`interface Imports`: what the host provides."""
        out = [
            "\n/** What the host provides: keys are the world's import names. */\n"
            "export interface Imports {\n"
        ]
        world_res_ctor: dict[int, list[Function]] = {}
        for _key, item in self.world.imports.items():
            if isinstance(item, FunctionItem):
                f = item.function
                if f.base_kind == "freestanding":
                    out.append(self.ts_method(f, False, "i", "  "))
                elif f.resource is not None:
                    world_res_ctor.setdefault(resource_of(self.r, f), []).append(f)
        for rid, fl in world_res_ctor.items():
            out.append(self.ts_res_static(rid, fl, "i", "  "))
        for key, item in self.world.imports.items():
            if isinstance(item, InterfaceItem):
                iface = self.r.interfaces[item.id]
                members = []
                statics: dict[int, list[Function]] = {}
                for f in iface.functions.values():
                    if f.base_kind == "freestanding":
                        members.append(self.ts_method(f, False, "i", "    "))
                    elif f.base_kind in ("constructor", "static"):
                        statics.setdefault(resource_of(self.r, f), []).append(f)
                for rid, fl in statics.items():
                    members.append(self.ts_res_static(rid, fl, "i", "    "))
                out.append(doc_comment(iface.docs, "  "))
                # an interface of types only needs no entry
                opt = "" if members else "?"
                name = json.dumps(self.r.world_key_name(key))
                out.append(f"  {name}{opt}: {{\n{''.join(members)}  }};\n")
        if len(out) == 1:  # not `{}`, which any value but null and undefined satisfies
            out.append("  [name: string]: never;\n")
        out.append("}\n")
        return out

    def _exports(self) -> list[str]:
        """`interface Exports`: what the guest provides."""
        r = self.r
        out = ["\n/** What the guest provides. */\nexport interface Exports {\n"]
        aliases = export_aliases(r, self.world)
        for _key, item in self.world.exports.items():
            if isinstance(item, FunctionItem):
                out.append(self.ts_method(item.function, True, "e", "  "))
        for key, item in self.world.exports.items():
            if not isinstance(item, InterfaceItem):
                continue
            iface = r.interfaces[item.id]
            full = json.dumps(r.world_key_name(key))
            out.append(doc_comment(iface.docs, "  "))
            out.append(f"  {full}: {{\n")
            for f in iface.functions.values():
                if f.base_kind == "freestanding":
                    out.append(self.ts_method(f, True, "e", "    "))
            for tid in iface.types.values():
                if isinstance(r.types[tid].kind, Resource):
                    fl = [
                        f
                        for f in iface.functions.values()
                        if f.base_kind in ("constructor", "static") and resource_of(r, f) == tid
                    ]
                    out.append(self.ts_res_static(tid, fl, "e", "    ", exported=True))
            out.append("  };\n")
            if key in aliases:
                out.append(
                    f"  /** Same as `{r.world_key_name(key)}`. */\n"
                    f"  {N.prop(aliases[key])}: Exports[{full}];\n"
                )
        out.append("}\n")
        return out

    def world_level_funcs(self) -> list[Function]:
        return [v.function for v in self.world.imports.values() if isinstance(v, FunctionItem)]

    def ts_res_static(
        self, rid: int, fl: list[Function], ctx: str, ind: str, exported: bool = False
    ) -> str:
        name = N.type_name(self.r.types[rid].name or "")
        ref = self.namer.tref(rid, ctx)
        lines = [f"{ind}{name}: {{\n"]
        pm = "in" if exported else "out"
        for f in fl:
            if f.base_kind == "constructor":
                lines.append(doc_comment(f.docs, ind + "  "))
                lines.append(f"{ind}  new({self.ts_params(f, pm, ctx, False)}): {ref};\n")
            else:
                lines.append(self.ts_method(f, exported, ctx, ind + "  "))
        if exported:
            lines.append(f"{ind}  readonly prototype: {ref};\n")
        lines.append(f"{ind}}};\n")
        return "".join(lines)
