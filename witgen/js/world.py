"""The world walk: resource tables, how each core import is bound (trampolines and canonical
resource built-ins), the classes of exported resources and the exports object, as the parts
`index.js.j2` is rendered from.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import TypedDict

from witgen.abi.contract import CoreImport
from witgen.abi.plan import FuncPlan, WorldPlan
from witgen.errors import WitError
from witgen.model import (
    Function,
    FunctionItem,
    InterfaceItem,
    Prim,
    Resolve,
    Resource,
    TypeId,
    TypeItem,
    World,
    WorldKey,
)

from . import names as N
from .asyncgen import AsyncCalls
from .calls import CallRenderer
from .emitted import Emitted


class Parts(TypedDict):
    """The pieces of `index.js` the template joins."""

    bind: dict[str, dict[str, str]]
    tramps: list[str]
    tables: list[str]
    factories: list[str]
    dtors: list[str]
    exports_pre: list[str]
    exports_obj: list[str]


#: the variable names of an export's core function and post-return, and the line binding them
CoreRef = Callable[[FuncPlan], tuple[str, str | None, str]]


def label(resolve: Resolve, func: Function) -> str:
    """The WIT name of `func` in error messages."""
    res = resolve.types[func.resource].name if func.resource is not None else None
    return N.func_label(func, res)


def resource_of(resolve: Resolve, func: Function) -> TypeId:
    """The resource of a method, static function or constructor."""
    assert func.resource is not None
    rid = resolve.unalias(func.resource)
    assert not isinstance(rid, Prim)
    return rid


def export_aliases(resolve: Resolve, world: World) -> dict[WorldKey, str]:
    """camelCase short names of exported interfaces, where unambiguous."""
    taken = {
        N.camel(item.function.name)
        for item in world.exports.values()
        if isinstance(item, FunctionItem)
    }
    cands: dict[str, list[WorldKey]] = {}
    for key, item in world.exports.items():
        if isinstance(item, InterfaceItem):
            iface = resolve.interfaces[item.id]
            short = iface.name if iface.name is not None else str(key)
            cands.setdefault(N.camel(short), []).append(key)
    out = {}
    for name, keys in cands.items():
        full = resolve.world_key_name(keys[0])
        if len(keys) == 1 and name not in taken and name != full:
            out[keys[0]] = name
    return out


def world_resources(
    resolve: Resolve, world: World, exported: bool
) -> list[tuple[WorldKey | None, TypeId]]:
    """(world key or None, resource id) of every resource the world imports / exports."""
    out: list[tuple[WorldKey | None, TypeId]] = []
    for key, item in (world.exports if exported else world.imports).items():
        if isinstance(item, InterfaceItem):
            for tid in resolve.interfaces[item.id].types.values():
                if isinstance(resolve.types[tid].kind, Resource):
                    out.append((key, tid))
        elif not exported and isinstance(item, TypeItem):
            if isinstance(resolve.types[item.id].kind, Resource):
                out.append((None, item.id))
    return out


class WorldWalker:
    """Walks the world's plan and contract and collects the parts of `index.js`."""

    def __init__(
        self, plan: WorldPlan, out: Emitted, calls: CallRenderer, asyncs: AsyncCalls | None
    ) -> None:
        self.plan = plan
        self.r = plan.resolve
        self.world = self.r.worlds[plan.world]
        self.out = out
        self.calls = calls
        #: the async glue, for an async world
        self.asyncs = asyncs
        self.ncore = 0

    def build(self) -> Parts:
        parts = Parts(
            bind={}, tramps=[], tables=[], factories=[], dtors=[], exports_pre=[], exports_obj=[]
        )
        if self.asyncs is not None:
            parts["tables"].append("aInit(st, module);")
            # stream and future elements may hold strings and lists: memory and the allocator
            # are needed whatever the functions' own types
            parts["dtors"].append(
                "if (st.mem === null && x.memory instanceof WebAssembly.Memory) { st.mem = x.memory; "
                "st.dv = new DataView(st.mem.buffer); st.u8 = new Uint8Array(st.mem.buffer); }"
            )
            parts["dtors"].append(
                'if (st.ra === null && typeof x.cabi_realloc === "function") st.ra = x.cabi_realloc;'
            )
        imp_res = world_resources(self.r, self.world, exported=False)
        exp_res = world_resources(self.r, self.world, exported=True)
        for key, rid in imp_res:
            self.out.use("Tbl")
            rname = self.r.types[rid].name or ""
            obj = "I" if key is None else f"I[{json.dumps(self.r.world_key_name(key))}]"
            parts["tables"].append(
                f"st.h{rid} = new Tbl({json.dumps(rname)}); "
                f"st.R{rid} = {obj}?.{N.type_name(rname)};"
            )
        for _key, rid in exp_res:
            self.out.use("Tbl")
            parts["tables"].append(f"st.g{rid} = new Tbl({json.dumps(self.r.types[rid].name)});")
        self._bind_imports(parts)
        self._exports(parts, exp_res)
        return parts

    # --- imports ----------------------------------------------------------------------------

    def _bind_imports(self, parts: Parts) -> None:
        plans = iter(self.plan.imports)
        for n, item in enumerate(self.plan.contract.imports):
            o = item.origin
            if o.role == "func":
                fp = next(plans)
                parts["tramps"].append(self._trampoline(n, fp))
                body = f"(st, I) => {{ {self._import_lookup(n, fp)} return t{n}.bind(st); }}"
            elif o.role in ("resource-drop", "resource-new", "resource-rep"):
                parts["tramps"].append(self._resource_builtin(n, item))
                body = f"(st) => t{n}.bind(st)"
            elif o.role == "sync-lower" and self.asyncs is not None:
                fp = self._import_plan(item)
                lab = label(self.r, fp.func)
                call = self._host_call(n, fp.func)
                parts["tramps"].append(self.asyncs.sync_lower(n, fp, lab, call))
                body = (
                    f"(st, I) => {{ {self._import_lookup(n, fp)} "
                    f"return aSuspending(st, t{n}.bind(st)); }}"
                )
            elif o.role == "task-return" and self.asyncs is not None:
                fp = self._export_plan(item)
                body = self.asyncs.task_return(fp, label(self.r, fp.func))
            elif self.asyncs is not None and o.role in (
                "async-builtin",
                "future-intrinsic",
                "stream-intrinsic",
            ):
                continue  # all of them below
            else:  # pragma: no cover - the contract has nothing else
                raise WitError(f"js target: unsupported core import {item.module} {item.name}")
            parts["bind"].setdefault(item.module, {})[item.name] = body
        if self.asyncs is not None:
            for module, name, body in self.asyncs.bindings():
                parts["bind"].setdefault(module, {}).setdefault(name, body)

    def _import_plan(self, item: CoreImport) -> FuncPlan:
        """The plan of the async import a `sync-lower` import calls."""
        o = item.origin
        return next(
            fp
            for fp in self.plan.imports
            if fp.key == o.world_key and o.function is not None and fp.func.name == o.function.name
        )

    def _export_plan(self, item: CoreImport) -> FuncPlan:
        """The plan of the export a `[task-return]` import serves."""
        o = item.origin
        return next(
            fp
            for fp in self.plan.exports
            if fp.key == o.world_key and o.function is not None and fp.func.name == o.function.name
        )

    def _import_lookup(self, n: int, fp: FuncPlan) -> str:
        """Statements finding the host's implementation of import `fp` in the imports `I`."""
        func, key = fp.func, fp.key
        what_root = (
            "imports" if key is None else f"imports[{json.dumps(self.r.world_key_name(key))}]"
        )
        obj = (
            "I"
            if key is None
            else f"needObj(I, {json.dumps(self.r.world_key_name(key))}, {json.dumps(what_root)})"
        )
        self.out.use("need")
        if key is not None:
            self.out.use("needObj")
        if func.base_kind == "freestanding":
            m = N.func_name(func)
            return f"st.o{n} = {obj}; need(st.o{n}, {json.dumps(m)}, {json.dumps(what_root + '.' + m)});"
        if func.base_kind in ("constructor", "static"):
            rid = resource_of(self.r, func)
            cname = N.type_name(self.r.types[rid].name or "")
            pre = f"st.R{rid} = need({obj}, {json.dumps(cname)}, {json.dumps(what_root + '.' + cname)});"
            if func.base_kind == "static":
                m = N.func_name(func)
                pre += f" need(st.R{rid}, {json.dumps(m)}, {json.dumps(what_root + '.' + cname + '.' + m)});"
            return pre
        return ""

    def _trampoline(self, n: int, fp: FuncPlan) -> str:
        lab = label(self.r, fp.func)
        call = self._host_call(n, fp.func)
        if fp.async_ is not None and self.asyncs is not None:
            return self.asyncs.trampoline(n, fp, lab, call)
        return self.calls.trampoline(n, fp, lab, call)

    def _host_call(self, n: int, func: Function) -> str:
        """The JS call of the host's implementation of import `func` (bound as import `n`) with
        the lifted arguments `x0`, ...; an async function gets the options `o` last."""
        lab = label(self.r, func)
        xs = ", ".join(f"x{i}" for i in range(len(func.params)))
        if func.base_kind == "constructor":
            call = f"new st.R{resource_of(self.r, func)}({xs})"
        elif func.base_kind == "method":
            self.out.use("ires")
            call = f"hostMethod(x0, {json.dumps(N.func_name(func))}, {json.dumps(lab)}).call({xs})"
        elif func.base_kind == "static":
            cls = f"st.R{resource_of(self.r, func)}"
            call = f"{N.member(cls, N.func_name(func))}({xs})"
        else:
            call = f"{N.member(f'st.o{n}', N.func_name(func))}({xs})"
        if func.is_async and self.asyncs is not None:
            call = call[:-1] + (", o)" if xs else "o)")
        return call

    def _resource_builtin(self, n: int, item: CoreImport) -> str:
        o = item.origin
        rid = o.resource
        assert rid is not None
        self.out.use("Tbl")
        if o.role == "resource-drop" and not o.exported:
            self.out.use("DISPOSE")
            lab = json.dumps(f"[resource-drop]{self.r.types[rid].name}")
            return (
                f"function t{n}(h) {{\n  const st = this; let own, o;\n"
                f"  try {{ own = st.h{rid}.s[h >>> 0] === 1; o = st.h{rid}.take(h, false); }} "
                f'catch (e) {{ throw fail(st, e, {lab}, "handle"); }}\n'
                '  if (own && o != null && typeof o[DISPOSE] === "function") o[DISPOSE]();\n}\n'
            )
        lab = json.dumps(f"[{o.role}]{self.r.types[rid].name}")
        if o.role == "resource-new":
            return f"function t{n}(rep) {{ return this.g{rid}.add(rep, 1); }}\n"
        if o.role == "resource-rep":
            return (
                f"function t{n}(h) {{ const st = this; try {{ return st.g{rid}.get(h); }} "
                f'catch (e) {{ throw fail(st, e, {lab}, "handle"); }} }}\n'
            )
        return (
            f"function t{n}(h) {{\n  const st = this; let own, rep;\n"
            f"  try {{ own = st.g{rid}.s[h >>> 0] === 1; rep = st.g{rid}.take(h, false); }} "
            f'catch (e) {{ throw fail(st, e, {lab}, "handle"); }}\n'
            f"  if (own && st.D{rid} !== undefined) st.D{rid}(rep);\n}}\n"
        )

    # --- exports ----------------------------------------------------------------------------

    def _core_ref(self, fp: FuncPlan) -> tuple[str, str | None, str]:
        c = f"c{self.ncore}"
        if fp.async_ is not None and self.asyncs is not None:
            self.ncore += 1
            return c, None, self.asyncs.core_refs(fp, c)
        p = f"p{self.ncore}" if fp.post_return else None
        line = f"const {c} = core(x, {json.dumps(fp.core_name)});"
        if p:
            line += f" const {p} = x[{json.dumps(fp.post_return)}];"
        self.ncore += 1
        return c, p, line

    def _body(
        self, fp: FuncPlan, args: list[str], c: str, p: str | None, ctor_of: int | None = None
    ) -> tuple[str, list[str]]:
        """The body of the method calling export `fp` with `args` (the receiver first for a
        method), and the method's params (an async export takes call options last)."""
        lab = label(self.r, fp.func)
        params = args[1:] if args[:1] == ["this"] else list(args)
        if self.asyncs is None:
            return self.calls.export_body(fp, lab, args, c, p, "      ", ctor_of), params
        if fp.async_ is not None:
            return self.asyncs.export_body(fp, lab, args, c, "      "), [*params, "opts"]
        body = self.calls.export_body(fp, lab, args, c, p, "", ctor_of)
        return self.asyncs.sync_body(lab, body, "      "), params

    def _method(self, fp: FuncPlan, pre: list[str], member: str) -> str:
        """`member(args) { body },` of an exported freestanding function."""
        c, p, line = self._core_ref(fp)
        pre.append(line)
        body, params = self._body(fp, [f"a{i}" for i in range(len(fp.func.params))], c, p)
        return f"    {N.prop(N.camel(member))}({', '.join(params)}) {{\n{body}    }},\n"

    def _exports(self, parts: Parts, exp_res: list[tuple[WorldKey | None, TypeId]]) -> None:
        dtor_names = {
            e.origin.resource: " ?? ".join(f"x[{json.dumps(n)}]" for n in (e.name, *e.aliases))
            for e in self.plan.contract.exports
            if e.origin.role == "dtor"
        }
        by_key: dict[WorldKey | None, list[FuncPlan]] = {}
        for fp in self.plan.exports:
            by_key.setdefault(fp.key, []).append(fp)
        for key, rid in exp_res:
            dt = dtor_names.get(rid)
            if dt:
                parts["dtors"].append(f"st.D{rid} = {dt};")
            parts["factories"].append(self._res_class(rid, by_key.get(key, [])))
            parts["exports_pre"].append(f"st.C{rid} = mk{rid}(st);")
        top: list[str] = []
        for fp in by_key.get(None, []):
            top.append(self._method(fp, parts["exports_pre"], fp.func.name))
        aliases = export_aliases(self.r, self.world)
        for i, (key, item) in enumerate(self.world.exports.items()):
            if not isinstance(item, InterfaceItem):
                continue
            members = [
                self._method(fp, parts["exports_pre"], fp.func.name)
                for fp in by_key.get(key, [])
                if fp.func.base_kind == "freestanding"
            ]
            for k2, rid in exp_res:
                if k2 == key:
                    members.append(f"    {N.type_name(self.r.types[rid].name or '')}: st.C{rid},\n")
            parts["exports_pre"].append(f"const e{i} = {{\n{''.join(members)}  }};")
            top.append(f"    {json.dumps(self.r.world_key_name(key))}: e{i},\n")
            if key in aliases:
                top.append(f"    {N.prop(aliases[key])}: e{i},\n")
        if self.asyncs is not None:
            top.append("    [A_STATS]: () => st.A.stats(),\n")
        parts["exports_obj"] = top

    def _res_class(self, rid: TypeId, fps: list[FuncPlan]) -> str:
        self.out.use("REP", "DISPOSE", "xres", "Tbl")
        cname = N.type_name(self.r.types[rid].name or "")
        pre: list[str] = []
        members: list[str] = []
        ctor = None
        for fp in fps:
            func = fp.func
            if func.resource is None or resource_of(self.r, func) != rid:
                continue
            c, p, line = self._core_ref(fp)
            pre.append("  " + line)
            if func.base_kind == "constructor":
                args = [f"a{i}" for i in range(len(func.params))]
                body, params = self._body(fp, args, c, p, ctor_of=rid)
                ctor = f"    constructor({', '.join(params)}) {{\n{body}    }}\n"
            elif func.base_kind == "method":
                args = [f"a{i}" for i in range(1, len(func.params))]
                body, params = self._body(fp, ["this"] + args, c, p)
                members.append(
                    f"    {N.prop(N.func_name(func))}({', '.join(params)}) {{\n{body}    }}\n"
                )
            else:
                args = [f"a{i}" for i in range(len(func.params))]
                body, params = self._body(fp, args, c, p)
                members.append(
                    f"    static {N.prop(N.func_name(func))}({', '.join(params)}) {{\n{body}    }}\n"
                )
        if ctor is None:
            msg = json.dumps(
                cname + " has no constructor in WIT; get one from a function that returns it"
            )
            ctor = f"    constructor() {{ throw new TypeError({msg}); }}\n"
        fr = (
            f"  C[FR] = new FinalizationRegistry((rep) => {{ if (st.dead === null && st.D{rid} !== undefined) "
            f"try {{ st.D{rid}(rep); }} catch {{ /* the instance is unusable now */ }} }});\n"
        )
        return (
            f"function mk{rid}(st) {{\n  const x = st.x;\n"
            + "\n".join(pre)
            + ("\n" if pre else "")
            + f"  const C = class {cname} {{\n{ctor}{''.join(members)}"
            f"    [DISPOSE]() {{ disposeRes(st, C, this, st.D{rid}); }}\n  }};\n{fr}  return C;\n}}\n"
        )
