"""TypeScript declarations (`index.d.ts` body): type definitions per namespace, the `Imports`
the host provides and the `Exports` the guest provides, with their JSDoc.
"""

from __future__ import annotations

import json

from witgen.model import (
    Alias,
    Function,
    FunctionItem,
    InterfaceItem,
    Prim,
    Record,
    Resource,
    TypeItem,
)

from . import names as N
from .model import Fn
from .tstypes import doc_comment


class Declarations:
    """The body of `index.d.ts`."""

    def ts_params(self, func: Function, mode: str, ctx: str, skip_self: bool) -> str:
        params = func.params[1:] if skip_self else func.params
        return ", ".join(f"{N.param_name(p.name)}: {self.ts(p.type, mode, ctx)}" for p in params)

    def ts_result(self, func: Function, mode: str, ctx: str) -> str:
        rk = self.result_type(func)
        if rk is not None:
            return self.ts(rk.ok, mode, ctx)
        return self.ts(func.result, mode, ctx)

    def ts_doc(self, func: Function, ind: str, exported: bool, ctx: str) -> str:
        extra = []
        rk = self.result_type(func)
        if rk is not None:
            err = (
                self.ts(rk.err, "out" if exported else "in", ctx)
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
        pm, rm = ("in", "out") if exported else ("out", "in")
        skip = func.kind == "method"
        name = N.prop(N.camel(func.item_name))
        return (
            self.ts_doc(func, ind, exported, ctx)
            + f"{ind}{name}({self.ts_params(func, pm, ctx, skip)}): {self.ts_result(func, rm, ctx)};\n"
        )

    def ts_typedef(self, tid: int, ctx: str, ind: str, iface_funcs: dict | None) -> str:
        td = self.r.types[tid]
        k = td.kind
        name = N.type_name(td.name)
        if td.owner is None or td.owner.kind != "interface":
            name = self.world_type_names.get(tid, name)
        doc = doc_comment(td.docs, ind)
        if isinstance(k, Resource):
            side = self.res_side(tid, ctx)
            lines = [doc, f"{ind}export interface {name} {{\n"]
            if side == "e":
                lines.append(f"{ind}  readonly [brand{tid}]: {json.dumps(name)};\n")
            for f in (iface_funcs or {}).values():
                if f.kind == "method" and self.uid(f.resource) == tid:
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
            out = f"{doc}{ind}export type {name} = {self.ts(target, 'out', ctx)};\n"
            if self.differs(self.uid(target)) and not isinstance(self.uid(target), Prim):
                out += (
                    f"{ind}export namespace {name} {{ type In = {self.ts(target, 'in', ctx)}; }}\n"
                )
            elif isinstance(self.uid(target), Prim) and self.ts(target, "in", ctx) != self.ts(
                target, "out", ctx
            ):
                out += (
                    f"{ind}export namespace {name} {{ type In = {self.ts(target, 'in', ctx)}; }}\n"
                )
            return out
        body_out = self.ts_kind(k, "out", ctx)
        if isinstance(k, Record):
            out = f"{doc}{ind}export interface {name} {self.indent(body_out, ind)}\n"
        else:
            out = f"{doc}{ind}export type {name} = {self.indent(body_out, ind)};\n"
        if self.differs(tid):
            out += f"{ind}export namespace {name} {{\n{ind}  type In = {self.indent(self.ts_kind(k, 'in', ctx), ind + '  ')};\n{ind}}}\n"
        return out

    @staticmethod
    def indent(s: str, ind: str) -> str:
        return s.replace("\n", "\n" + ind) if ind else s

    def dts(self, exp_fns: list[Fn]) -> str:
        r = self.r
        out: list[str] = []
        # brands of guest-implemented resources
        for _key, item in self.world.exports.items():
            if isinstance(item, InterfaceItem):
                for tid in r.interfaces[item.id].types.values():
                    if isinstance(r.types[tid].kind, Resource):
                        out.append(f"declare const brand{tid}: unique symbol;\n")
        if out:
            out.append("\n")
        # world-level types
        for _key, item in self.world.imports.items():
            if isinstance(item, TypeItem):
                out.append(self.ts_typedef(item.id, "i", "", self.world_level_funcs()))
        # interface namespaces
        for (iid, side), ns in self.ns.items():
            iface = r.interfaces[iid]
            out.append(
                "\n"
                + doc_comment(
                    iface.docs,
                    "",
                    [
                        f"Types of `{r.interface_name(iid) or ns.name}`"
                        + (" (as exported by the guest)." if side == "e" else ".")
                    ],
                )
            )
            out.append(f"export namespace {ns.name} {{\n")
            for tid in iface.types.values():
                out.append(self.ts_typedef(tid, side, "  ", iface.functions))
            out.append("}\n")
        # Imports
        out.append(
            "\n/** What the host provides: keys are the world's import names. */\nexport interface Imports {\n"
        )
        world_res_ctor: dict[int, list[Function]] = {}
        for _key, item in self.world.imports.items():
            if isinstance(item, FunctionItem):
                f = item.function
                if f.kind == "freestanding":
                    out.append(self.ts_method(f, False, "i", "  "))
                elif f.resource is not None:
                    world_res_ctor.setdefault(self.uid(f.resource), []).append(f)
        for rid, fl in world_res_ctor.items():
            out.append(self.ts_res_static(rid, fl, "i", "  "))
        for key, item in self.world.imports.items():
            if isinstance(item, InterfaceItem):
                iface = r.interfaces[item.id]
                members = []
                statics: dict[int, list[Function]] = {}
                for f in iface.functions.values():
                    if f.kind == "freestanding":
                        members.append(self.ts_method(f, False, "i", "    "))
                    elif f.kind in ("constructor", "static"):
                        statics.setdefault(self.uid(f.resource), []).append(f)
                for rid, fl in statics.items():
                    members.append(self.ts_res_static(rid, fl, "i", "    "))
                out.append(doc_comment(iface.docs, "  "))
                # an interface of types only needs no entry
                opt = "" if members else "?"
                out.append(
                    f"  {json.dumps(r.world_key_name(key))}{opt}: {{\n{''.join(members)}  }};\n"
                )
        out.append("}\n")
        # Exports
        out.append("\n/** What the guest provides. */\nexport interface Exports {\n")
        aliases = self.export_aliases()
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
                if f.kind == "freestanding":
                    out.append(self.ts_method(f, True, "e", "    "))
            for tid in iface.types.values():
                if isinstance(r.types[tid].kind, Resource):
                    fl = [
                        f
                        for f in iface.functions.values()
                        if f.kind in ("constructor", "static") and self.uid(f.resource) == tid
                    ]
                    out.append(self.ts_res_static(tid, fl, "e", "    ", exported=True))
            out.append("  };\n")
            if key in aliases:
                out.append(
                    f"  /** Same as `{r.world_key_name(key)}`. */\n  {N.prop(aliases[key])}: Exports[{full}];\n"
                )
        out.append("}\n")
        return "".join(out)

    def world_level_funcs(self) -> dict:
        return {k: v.function for k, v in self.world.imports.items() if isinstance(v, FunctionItem)}

    def ts_res_static(
        self, rid: int, fl: list[Function], ctx: str, ind: str, exported: bool = False
    ) -> str:
        name = N.type_name(self.r.types[rid].name)
        ref = self.tref(rid, ctx)
        lines = [f"{ind}{name}: {{\n"]
        pm = "in" if exported else "out"
        for f in fl:
            if f.kind == "constructor":
                lines.append(doc_comment(f.docs, ind + "  "))
                lines.append(f"{ind}  new({self.ts_params(f, pm, ctx, False)}): {ref};\n")
            else:
                lines.append(self.ts_method(f, exported, ctx, ind + "  "))
        if exported:
            lines.append(f"{ind}  readonly prototype: {ref};\n")
        lines.append(f"{ind}}};\n")
        return "".join(lines)
