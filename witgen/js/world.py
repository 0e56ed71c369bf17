"""The world walk: resource tables, how each core import is bound (trampolines and canonical
resource built-ins), the classes of exported resources and the exports object, as the parts
`index.js.j2` is rendered from.
"""

from __future__ import annotations

import json

from witgen.errors import WitError
from witgen.model import FunctionItem, InterfaceItem, Resource, TypeItem

from . import names as N
from .model import Fn


class WorldWalk:
    """Walks the world contract and collects the parts of `index.js`."""

    def build(self) -> dict:
        r = self.r
        fns = self.all_funcs()
        exp_fns = [f for f in fns if f.exported]
        ctx_js = {
            "bind": [],
            "tramps": [],
            "tables": [],
            "factories": [],
            "dtors": [],
            "exports_pre": [],
            "exports_obj": [],
            "rclasses": [],
        }

        # tables for every resource of the world, by side
        imp_res: list[tuple[object, int]] = []  # (world key or None, rid)
        for key, item in self.world.imports.items():
            if isinstance(item, InterfaceItem):
                for tid in r.interfaces[item.id].types.values():
                    if isinstance(r.types[tid].kind, Resource):
                        imp_res.append((key, tid))
            elif isinstance(item, TypeItem) and isinstance(r.types[item.id].kind, Resource):
                imp_res.append((None, item.id))
        exp_res: list[tuple[object, int]] = []
        for key, item in self.world.exports.items():
            if isinstance(item, InterfaceItem):
                for tid in r.interfaces[item.id].types.values():
                    if isinstance(r.types[tid].kind, Resource):
                        exp_res.append((key, tid))
        for key, rid in imp_res:
            self.use("Tbl")
            rname = r.types[rid].name
            obj = "I" if key is None else f"I[{json.dumps(r.world_key_name(key))}]"
            ctx_js["tables"].append(
                f"st.h{rid} = new Tbl({json.dumps(rname)}); "
                f"st.R{rid} = {obj}?.{N.type_name(rname)};"
            )
        for _key, rid in exp_res:
            self.use("Tbl")
            ctx_js["tables"].append(f"st.g{rid} = new Tbl({json.dumps(r.types[rid].name)});")

        # import trampolines and how each core import is bound
        bind: dict[str, dict[str, str]] = {}
        for n, item in enumerate(self.contract.imports):
            o = item.origin
            what_root = (
                "imports"
                if o.world_key is None
                else f"imports[{json.dumps(r.world_key_name(o.world_key))}]"
            )
            obj = (
                "I"
                if o.world_key is None
                else f"needObj(I, {json.dumps(r.world_key_name(o.world_key))}, {json.dumps(what_root)})"
            )
            if o.role == "func":
                fn = Fn(
                    o.function,
                    o.world_key,
                    False,
                    self.func_label(o.world_key, o.function),
                    item.name,
                )
                ctx_js["tramps"].append(self.trampoline(n, fn))
                func = o.function
                self.use("need")
                if func.kind == "freestanding":
                    m = N.camel(func.item_name)
                    pre = f"st.o{n} = {obj}; need(st.o{n}, {json.dumps(m)}, {json.dumps(what_root + '.' + m)});"
                elif func.kind in ("constructor", "static"):
                    rid = self.uid(func.resource)
                    cname = N.type_name(r.types[rid].name)
                    pre = f"st.R{rid} = need({obj}, {json.dumps(cname)}, {json.dumps(what_root + '.' + cname)});"
                    if func.kind == "static":
                        m = N.camel(func.item_name)
                        pre += f" need(st.R{rid}, {json.dumps(m)}, {json.dumps(what_root + '.' + cname + '.' + m)});"
                else:
                    pre = ""
                body = f"(st, I) => {{ {pre} return t{n}.bind(st); }}"
            elif o.role == "resource-drop" and not o.exported:
                rid = o.resource
                self.use("DISPOSE", "Tbl")
                label = json.dumps(f"[resource-drop]{r.types[rid].name}")
                ctx_js["tramps"].append(
                    f"function t{n}(h) {{\n  const st = this; let own, o;\n"
                    f"  try {{ own = st.h{rid}.s[h >>> 0] === 1; o = st.h{rid}.take(h, false); }} "
                    f'catch (e) {{ throw fail(st, e, {label}, "handle"); }}\n'
                    '  if (own && o != null && typeof o[DISPOSE] === "function") o[DISPOSE]();\n}\n'
                )
                body = f"(st) => t{n}.bind(st)"
            elif o.role in ("resource-drop", "resource-new", "resource-rep"):
                rid = o.resource
                self.use("Tbl")
                label = json.dumps(f"[{o.role}]{r.types[rid].name}")
                if o.role == "resource-new":
                    code = f"function t{n}(rep) {{ return this.g{rid}.add(rep, 1); }}\n"
                elif o.role == "resource-rep":
                    code = (
                        f"function t{n}(h) {{ const st = this; try {{ return st.g{rid}.get(h); }} "
                        f'catch (e) {{ throw fail(st, e, {label}, "handle"); }} }}\n'
                    )
                else:
                    code = (
                        f"function t{n}(h) {{\n  const st = this; let own, rep;\n"
                        f"  try {{ own = st.g{rid}.s[h >>> 0] === 1; rep = st.g{rid}.take(h, false); }} "
                        f'catch (e) {{ throw fail(st, e, {label}, "handle"); }}\n'
                        f"  if (own && st.D{rid} !== undefined) st.D{rid}(rep);\n}}\n"
                    )
                ctx_js["tramps"].append(code)
                body = f"(st) => t{n}.bind(st)"
            else:  # pragma: no cover - sync contracts have nothing else
                raise WitError(f"js target: unsupported core import {item.module} {item.name}")
            bind.setdefault(item.module, {})[item.name] = body

        # exports
        dtor_names = {
            e.origin.resource: e.name for e in self.contract.exports if e.origin.role == "dtor"
        }
        by_key: dict[object, list[Fn]] = {}
        for fn in exp_fns:
            by_key.setdefault(fn.key, []).append(fn)
        ncore = 0

        def core_ref(fn: Fn) -> tuple[str, str | None]:
            nonlocal ncore
            c = f"c{ncore}"
            p = f"p{ncore}" if fn.post else None
            line = f"const {c} = core(x, {json.dumps(fn.core)});"
            if p:
                line += f" const {p} = x[{json.dumps(fn.post)}];"
            ncore += 1
            return c, p, line

        for key, rid in exp_res:
            dt = dtor_names.get(rid)
            if dt:
                ctx_js["dtors"].append(f"st.D{rid} = x[{json.dumps(dt)}];")
            ctx_js["factories"].append(self.res_class(key, rid, by_key.get(key, []), core_ref))
            ctx_js["exports_pre"].append(f"st.C{rid} = mk{rid}(st);")

        top_members: list[str] = []
        for fn in by_key.get(None, []):
            c, p, line = core_ref(fn)
            ctx_js["exports_pre"].append(line)
            args = [f"a{i}" for i in range(len(fn.func.params))]
            body = self.export_body(fn, args, c, p, "      ")
            top_members.append(
                f"    {N.prop(N.camel(fn.func.name))}({', '.join(args)}) {{\n{body}    }},\n"
            )
        aliases = self.export_aliases()
        for i, (key, item) in enumerate(self.world.exports.items()):
            if not isinstance(item, InterfaceItem):
                continue
            members = []
            for fn in by_key.get(key, []):
                if fn.func.kind != "freestanding":
                    continue
                c, p, line = core_ref(fn)
                ctx_js["exports_pre"].append(line)
                args = [f"a{i}" for i in range(len(fn.func.params))]
                body = self.export_body(fn, args, c, p, "      ")
                members.append(
                    f"    {N.prop(N.camel(fn.func.name))}({', '.join(args)}) {{\n{body}    }},\n"
                )
            for k2, rid in exp_res:
                if k2 == key:
                    members.append(f"    {N.type_name(r.types[rid].name)}: st.C{rid},\n")
            ctx_js["exports_pre"].append(f"const e{i} = {{\n{''.join(members)}  }};")
            top_members.append(f"    {json.dumps(r.world_key_name(key))}: e{i},\n")
            if key in aliases:
                top_members.append(f"    {N.prop(aliases[key])}: e{i},\n")
        ctx_js["exports_obj"] = top_members
        ctx_js["bind"] = bind
        return ctx_js

    def export_aliases(self) -> dict:
        """camelCase short names of exported interfaces, where unambiguous."""
        taken = {
            N.camel(item.function.name)
            for item in self.world.exports.values()
            if isinstance(item, FunctionItem)
        }
        cands: dict[str, list] = {}
        for key, item in self.world.exports.items():
            if isinstance(item, InterfaceItem):
                iface = self.r.interfaces[item.id]
                short = iface.name if iface.name is not None else str(key)
                cands.setdefault(N.camel(short), []).append(key)
        out = {}
        for name, keys in cands.items():
            full = self.r.world_key_name(keys[0])
            if len(keys) == 1 and name not in taken and name != full:
                out[keys[0]] = name
        return out

    def res_class(self, key, rid: int, fns: list[Fn], core_ref) -> str:
        self.use("REP", "DISPOSE", "xres", "Tbl")
        cname = N.type_name(self.r.types[rid].name)
        pre, members = [], []
        ctor = None
        for fn in fns:
            if fn.func.resource is None or self.uid(fn.func.resource) != rid:
                continue
            c, p, line = core_ref(fn)
            pre.append("  " + line)
            func = fn.func
            if func.kind == "constructor":
                args = [f"a{i}" for i in range(len(func.params))]
                ctor = f"    constructor({', '.join(args)}) {{\n{self.export_body(fn, args, c, p, '      ', ctor_of=rid)}    }}\n"
            elif func.kind == "method":
                args = [f"a{i}" for i in range(1, len(func.params))]
                body = self.export_body(fn, ["this"] + args, c, p, "      ")
                members.append(
                    f"    {N.prop(N.camel(func.item_name))}({', '.join(args)}) {{\n{body}    }}\n"
                )
            else:
                args = [f"a{i}" for i in range(len(func.params))]
                body = self.export_body(fn, args, c, p, "      ")
                members.append(
                    f"    static {N.prop(N.camel(func.item_name))}({', '.join(args)}) {{\n{body}    }}\n"
                )
        if ctor is None:
            ctor = f"    constructor() {{ throw new TypeError({json.dumps(cname + ' has no constructor in WIT; get one from a function that returns it')}); }}\n"
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
