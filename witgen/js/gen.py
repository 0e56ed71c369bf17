"""The JS/TS generator: a resolved world -> `package.json`, `index.js`, `index.d.ts`.

The file skeletons are Jinja2 templates (`templates/`); this module builds the code that goes
into them. Lifting and lowering code is specialised per WIT type: each compound type gets one
helper per direction it is used in (`s<id>` store, `l<id>` load, `f<id>` flatten, `g<id>`
unflatten), emitted once and called from every use; primitives are a call of a small shared
checker (`u32(v)`) inlined at the use. Names of core imports/exports come from
`witgen.abi.world_contract`; sizes, offsets and flat types from `witgen.abi`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from witgen.abi import AbiVariant, flatten_type, layout_of, signature, world_contract
from witgen.abi.layout import align_to, discriminant_size, flags_word_count
from witgen.errors import WitError
from witgen.model import (
    Alias,
    Enum_,
    FixedList,
    Flags,
    Function,
    FunctionItem,
    Future,
    Handle,
    InterfaceItem,
    List,
    Map,
    Option_,
    Prim,
    Record,
    Resolve,
    Resource,
    Result_,
    Stream,
    Tuple,
    Type,
    TypeItem,
    Variant,
)

from . import names as N
from . import runtime

ENCODINGS = ("utf8", "utf16", "latin1+utf16")
OPTIONS = ("name", "wasm", "wasm_sha256", "string_encoding", "version")
SIMPLE_INTS = {Prim.U8, Prim.S8, Prim.U16, Prim.S16, Prim.U32, Prim.S32}
LIFT_FLAT_PRIM = {
    Prim.BOOL: "{0} !== 0",
    Prim.U8: "{0} & 255",
    Prim.S8: "{0} << 24 >> 24",
    Prim.U16: "{0} & 65535",
    Prim.S16: "{0} << 16 >> 16",
    Prim.U32: "{0} >>> 0",
    Prim.S32: "{0}",
    Prim.U64: "BigInt.asUintN(64, {0})",
    Prim.S64: "{0}",
    Prim.F32: "{0}",
    Prim.F64: "{0}",
    Prim.CHAR: "rchr({0})",
}
CHECK = {
    Prim.BOOL: "bool",
    Prim.U8: "u8",
    Prim.S8: "s8",
    Prim.U16: "u16",
    Prim.S16: "s16",
    Prim.U32: "u32",
    Prim.S32: "s32",
    Prim.U64: "u64",
    Prim.S64: "s64",
    Prim.F32: "flt",
    Prim.F64: "flt",
    Prim.CHAR: "chr",
}
DV = {
    Prim.BOOL: ("Uint8", 1),
    Prim.U8: ("Uint8", 1),
    Prim.S8: ("Int8", 1),
    Prim.U16: ("Uint16", 2),
    Prim.S16: ("Int16", 2),
    Prim.U32: ("Uint32", 4),
    Prim.S32: ("Int32", 4),
    Prim.U64: ("BigUint64", 8),
    Prim.S64: ("BigInt64", 8),
    Prim.F32: ("Float32", 4),
    Prim.F64: ("Float64", 8),
    Prim.CHAR: ("Uint32", 4),
}
ZERO = {"i32": "0", "i64": "0n", "f32": "0", "f64": "0"}


def doc_comment(docs: str | None, indent: str = "", extra: list[str] | None = None) -> str:
    lines = (docs or "").strip("\n").splitlines() if docs else []
    lines = [ln.rstrip().replace("*/", "*\\/") for ln in lines]
    if extra:
        if lines:
            lines.append("")
        lines.extend(extra)
    if not lines:
        return ""
    if len(lines) == 1:
        return f"{indent}/** {lines[0]} */\n"
    body = "".join(f"{indent} *{(' ' + ln) if ln else ''}\n" for ln in lines)
    return f"{indent}/**\n{body}{indent} */\n"


@dataclass
class Fn:
    """One WIT function as seen by the glue."""

    func: Function
    key: object  # world key, or None for world-level
    exported: bool
    label: str  # the WIT name used in error messages
    core: str  # core import field / export name
    post: str | None = None
    module: str | None = None  # core import module


@dataclass
class Ns:
    name: str
    iface: int
    side: str  # "i" | "e"
    types: list[int] = field(default_factory=list)


class Gen:
    def __init__(self, resolve: Resolve, world_id: int, options: dict) -> None:
        unknown = sorted(set(options) - set(OPTIONS))
        if unknown:
            raise WitError(f"js target: unknown option(s) {', '.join(unknown)}; known: {', '.join(OPTIONS)}")
        self.r = resolve
        self.wid = world_id
        self.world = resolve.worlds[world_id]
        self.lay = layout_of(resolve)
        self.opts = options
        enc = options.get("string_encoding", "utf8")
        if enc not in ENCODINGS:
            raise WitError(f"js target: string_encoding must be one of {', '.join(ENCODINGS)}, not {enc!r}")
        self.enc = enc
        self.lstr, self.rstr = {"utf8": ("lstr", "rstr"), "utf16": ("lstr16", "rstr16"),
                                "latin1+utf16": ("lstrL", "rstrL")}[enc]
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

    # --- model helpers ----------------------------------------------------------------------

    def kind(self, t: Type):
        t = self.r.unalias(t)
        return t if isinstance(t, Prim) else self.r.types[t].kind

    def uid(self, t: Type) -> Type:
        return self.r.unalias(t)

    def _check_async(self) -> None:
        def bad_type(t, seen) -> str | None:
            if t is None:
                return None
            if isinstance(t, Prim):
                return "error-context" if t is Prim.ERROR_CONTEXT else None
            if t in seen:
                return None
            seen.add(t)
            k = self.r.types[t].kind
            if isinstance(k, Future):
                return "future"
            if isinstance(k, Stream):
                return "stream"
            if isinstance(k, Handle):
                return None
            from witgen.model import kind_refs

            for x in kind_refs(k):
                found = bad_type(x, seen)
                if found:
                    return found
            return None

        for fn in self.all_funcs():
            what = None
            if fn.func.is_async:
                what = "async functions"
            else:
                for t in [p.type for p in fn.func.params] + [fn.func.result]:
                    found = bad_type(t, set())
                    if found:
                        what = f"`{found}` types"
                        break
            if what:
                raise WitError(
                    f"js target: function `{fn.label}` uses {what}, which the JS target does "
                    "not support yet (async support comes later)"
                )

    def func_label(self, key, func: Function) -> str:
        base = func.item_name
        if func.kind in ("method", "async-method", "static", "async-static"):
            res = self.r.types[func.resource].name
            base = f"{res}.{base}"
        elif func.kind == "constructor":
            base = f"{func.item_name}.constructor"
        return base

    def all_funcs(self) -> list[Fn]:
        out = []
        for item in self.contract.imports:
            o = item.origin
            if o.role == "func":
                out.append(Fn(o.function, o.world_key, False, self.func_label(o.world_key, o.function),
                              item.name, module=item.module))
        posts = {e.origin.function.name + "\0" + str(e.origin.world_key): e.name
                 for e in self.contract.exports if e.origin.role == "post-return"}
        for item in self.contract.exports:
            o = item.origin
            if o.role == "func":
                post = posts.get(o.function.name + "\0" + str(o.world_key))
                out.append(Fn(o.function, o.world_key, True, self.func_label(o.world_key, o.function),
                              item.name, post=post))
        return out

    def res_side(self, rid: int, ctx: str) -> str:
        td = self.r.types[rid]
        if ctx == "e" and td.owner is not None and td.owner.kind == "interface" \
                and td.owner.id in self.exported_ifaces:
            return "e"
        return "i"

    def has_handle(self, t: Type | None, seen=None) -> bool:
        if t is None or isinstance(t, Prim):
            return False
        seen = seen or set()
        if t in seen:
            return False
        seen.add(t)
        k = self.r.types[t].kind
        if isinstance(k, (Handle, Resource)):
            return True
        from witgen.model import kind_refs

        return any(self.has_handle(x, seen) for x in kind_refs(k))

    def hkey(self, t: Type, ctx: str) -> str:
        """Suffix for per-type helper names: the type id, plus the side when handles matter."""
        t = self.uid(t)
        return f"{t}{ctx}" if self.has_handle(t) else f"{t}"

    # --- naming of TS namespaces ------------------------------------------------------------

    def _name_namespaces(self) -> None:
        self.ns: dict[tuple[int, str], Ns] = {}
        wanted: list[tuple[int, str]] = []
        for item in self.world.imports.values():
            if isinstance(item, InterfaceItem):
                wanted.append((item.id, "i"))
        for item in self.world.exports.values():
            if isinstance(item, InterfaceItem):
                wanted.append((item.id, "e"))
        type_names = set()
        for iid, _ in wanted:
            for name in self.r.interfaces[iid].types:
                type_names.add(N.type_name(name))
        taken = set(type_names)
        # world-level type names share the top level with the namespaces
        for item in self.world.imports.values():
            if isinstance(item, TypeItem):
                taken.add(N.type_name(self.r.types[item.id].name or ""))
        self.world_type_names: dict[int, str] = {}
        for iid, side in wanted:
            iface = self.r.interfaces[iid]
            if iface.name is not None and iface.package is not None:
                pkg = self.r.packages[iface.package].name
                base = N.type_name(f"{pkg.namespace}-{pkg.name}-{iface.name}")
            else:
                items = list(self.world.imports.items()) + list(self.world.exports.items())
                key = next(k for k, v in items if isinstance(v, InterfaceItem) and v.id == iid)
                base = N.type_name(str(key))
            if side == "e" and (iid, "i") in wanted:
                base += "Exports"
            name = base
            while name in taken:
                name += "_"
            taken.add(name)
            self.ns[(iid, side)] = Ns(name, iid, side, list(iface.types.values()))
        self.top_names = taken

    def ns_of(self, tid: int, ctx: str) -> str | None:
        """TS namespace holding the named type `tid` in context `ctx` (None: top level)."""
        td = self.r.types[tid]
        if td.owner is None or td.owner.kind != "interface":
            return None
        iid = td.owner.id
        side = "e" if ctx == "e" and (iid, "e") in self.ns else "i"
        if (iid, side) not in self.ns:
            side = "e" if (iid, "e") in self.ns else "i"
        return self.ns[(iid, side)].name

    def tref(self, tid: int, ctx: str) -> str:
        td = self.r.types[tid]
        name = N.type_name(td.name)
        ns = self.ns_of(tid, ctx)
        if ns is None:
            name = self.world_type_names.get(tid, name)
            return name
        return f"{ns}.{name}"

    # --- TypeScript types -------------------------------------------------------------------

    def differs(self, t: Type, seen=None) -> bool:
        """Whether the input shape (JS -> WIT) of `t` differs from its output shape."""
        if t is None:
            return False
        if isinstance(t, Prim):
            return t in (Prim.U64, Prim.S64)
        seen = seen or set()
        if t in seen:
            return False
        seen.add(t)
        k = self.r.types[t].kind
        if isinstance(k, (Handle, Resource, Enum_, Flags)):
            return False
        if isinstance(k, List):
            e = self.kind(k.type)
            if isinstance(e, Prim) and e.value in runtime.NUMERIC_ARRAYS:
                return True
        if isinstance(k, Map):
            return True
        from witgen.model import kind_refs

        return any(self.differs(x, seen) for x in kind_refs(k))

    def ts(self, t: Type | None, mode: str, ctx: str) -> str:
        """TS type of `t`; mode "in" (a value JS gives) or "out" (a value JS receives)."""
        if t is None:
            return "void"
        if isinstance(t, Prim):
            if t in (Prim.U64, Prim.S64):
                return "number | bigint" if mode == "in" else "bigint"
            if t in (Prim.CHAR, Prim.STRING):
                return "string"
            if t is Prim.BOOL:
                return "boolean"
            return "number"
        td = self.r.types[t]
        k = td.kind
        if td.name is not None and not isinstance(k, Handle):
            if isinstance(k, Alias) and td.owner is None:
                return self.ts(k.type, mode, ctx)
            ref = self.tref(t, ctx)
            if mode == "in" and self.differs(t):
                return ref + ".In"
            return ref
        return self.ts_kind(k, mode, ctx)

    def ts_kind(self, k, mode: str, ctx: str) -> str:
        if isinstance(k, Alias):
            return self.ts(k.type, mode, ctx)
        if isinstance(k, Handle):
            return self.tref(self.uid(k.resource), ctx)
        if isinstance(k, Resource):
            raise AssertionError("resource types are named")
        if isinstance(k, Record):
            if not k.fields:
                return "{}"
            parts = []
            for f in k.fields:
                opt = "?" if isinstance(self.kind(f.type), Option_) else ""
                parts.append(doc_comment(f.docs, "  ") + f"  {N.prop(N.camel(f.name))}{opt}: {self.ts(f.type, mode, ctx)};\n")
            return "{\n" + "".join(parts) + "}"
        if isinstance(k, Tuple):
            return "[" + ", ".join(self.ts(x, mode, ctx) for x in k.types) + "]"
        if isinstance(k, Flags):
            if not k.flags:
                return "{}"
            return "{ " + " ".join(f"{N.prop(N.camel(f.name))}?: boolean;" for f in k.flags) + " }"
        if isinstance(k, Enum_):
            return " | ".join(json.dumps(c.name) for c in k.cases) or "never"
        if isinstance(k, Variant):
            alts = []
            for c in k.cases:
                if c.type is None:
                    alts.append(f"{{ tag: {json.dumps(c.name)} }}")
                else:
                    alts.append(f"{{ tag: {json.dumps(c.name)}; val: {self.ts(c.type, mode, ctx)} }}")
            return " | ".join(alts)
        if isinstance(k, Option_):
            inner = self.ts(k.type, mode, ctx)
            if isinstance(self.kind(k.type), Option_):
                return f"{{ some: {inner} }} | undefined"
            return f"{self.paren(inner)} | undefined"
        if isinstance(k, Result_):
            ok = "{ tag: \"ok\" }" if k.ok is None else f"{{ tag: \"ok\"; val: {self.ts(k.ok, mode, ctx)} }}"
            err = "{ tag: \"err\" }" if k.err is None else f"{{ tag: \"err\"; val: {self.ts(k.err, mode, ctx)} }}"
            return f"{ok} | {err}"
        if isinstance(k, List):
            e = self.kind(k.type)
            if isinstance(e, Prim) and e.value in runtime.NUMERIC_ARRAYS:
                arr = runtime.NUMERIC_ARRAYS[e.value]
                if mode == "in":
                    return f"{arr} | Array<{self.ts(k.type, mode, ctx)}>"
                return arr
            return f"Array<{self.ts(k.type, mode, ctx)}>"
        if isinstance(k, FixedList):
            inner = self.ts(k.type, mode, ctx)
            if k.size <= 16:
                return "[" + ", ".join([inner] * k.size) + "]"
            return f"Array<{inner}>"
        if isinstance(k, Map):
            kk, vv = self.ts(k.key, mode, ctx), self.ts(k.value, mode, ctx)
            return f"ReadonlyMap<{kk}, {vv}>" if mode == "in" else f"Map<{kk}, {vv}>"
        raise WitError(f"js target: unsupported type {type(k).__name__}")

    @staticmethod
    def paren(s: str) -> str:
        return f"({s})" if "|" in s or "=>" in s else s

    # --- JS: constants ----------------------------------------------------------------------

    def const(self, prefix: str, tid: int, values: list[str]) -> str:
        name = f"{prefix}{self.uid(tid)}"
        if name not in self.consts:
            self.consts[name] = f"const {name} = [{', '.join(json.dumps(v) for v in values)}];\n"
        return name

    def use(self, *names: str) -> None:
        self.used.update(names)

    # --- JS: lowering (JS value -> guest) ---------------------------------------------------

    def store(self, t: Type, v: str, p: str, ctx: str) -> str:
        """A statement storing JS value `v` at address `p`."""
        self.needs_memory = True
        t = self.uid(t)
        if isinstance(t, Prim):
            if t is Prim.STRING:
                return f"{self.store_fn(t, ctx)}(st, {v}, {p});"
            dv, _ = DV[t]
            self.use(CHECK[t])
            le = ", true" if DV[t][1] > 1 else ""
            return f"st.dv.set{dv}({p}, {CHECK[t]}({v}){le});"
        k = self.r.types[t].kind
        if isinstance(k, (Enum_, Handle, Flags)) and self.lay.size(t) <= 4:
            size = self.lay.size(t)
            if size == 0:
                return f"{self.lower_flat_expr(t, v, ctx)};"
            dv = {1: "Uint8", 2: "Uint16", 4: "Uint32"}[size]
            le = ", true" if size > 1 else ""
            return f"st.dv.set{dv}({p}, {self.lower_flat_expr(t, v, ctx)}{le});"
        return f"{self.store_fn(t, ctx)}(st, {v}, {p});"

    def store_fn(self, t: Type, ctx: str) -> str:
        """Name of a `(st, v, p)` function storing a value of `t` (generated on first use)."""
        t = self.uid(t)
        if isinstance(t, Prim):
            name = f"_s_{t.value}"
            if name not in self.helpers:
                if t is Prim.STRING:
                    self.use(self.lstr)
                    body = (f"const q = {self.lstr}(st, v); st.dv.setUint32(p, q, true); "
                            "st.dv.setUint32(p + 4, st.n, true);")
                else:
                    body = self.store(t, "v", "p", ctx)
                self.helpers[name] = f"function {name}(st, v, p) {{ {body} }}\n"
            return name
        name = f"_s{self.hkey(t, ctx)}"
        if name in self.helpers:
            return name
        self.helpers[name] = ""  # reserve (types are not recursive, but keep order stable)
        self.helpers[name] = f"function {name}(st, v, p) {{\n{self.store_body(t, ctx)}}}\n"
        return name

    def store_body(self, t: int, ctx: str) -> str:
        k = self.r.types[t].kind
        self.use("Fault")
        if isinstance(k, (Record, Tuple)):
            types = [f.type for f in k.fields] if isinstance(k, Record) else list(k.types)
            offs = self.lay.record_offsets(types)
            if isinstance(k, Record):
                segs = ["." + N.camel(f.name) for f in k.fields]
                vals = [N.member("v", N.camel(f.name)) for f in k.fields]
                check = "  if (v === null || typeof v !== \"object\") throw tyErr(\"expected an object\", v);\n"
            else:
                segs = [f"[{i}]" for i in range(len(types))]
                vals = [f"v[{i}]" for i in range(len(types))]
                check = (f"  if (!Array.isArray(v) || v.length !== {len(types)}) "
                         f"throw tyErr(\"expected an array of length {len(types)}\", v);\n")
            lines = [check, "  let k = 0;\n  try {\n"]
            for i, (ty, off) in enumerate(zip(types, offs, strict=False)):
                lines.append(f"    k = {i}; {self.store(ty, vals[i], f'p + {off}', ctx)}\n")
            lines.append(f"  }} catch (e) {{ throw seg(e, {json.dumps(segs)}[k]); }}\n")
            return "".join(lines)
        if isinstance(k, FixedList):
            size = self.lay.size(k.type)
            return (f"  if (!(Array.isArray(v) || ArrayBuffer.isView(v)) || v.length !== {k.size}) "
                    f"throw tyErr(\"expected an array of length {k.size}\", v);\n"
                    f"  for (let i = 0; i < {k.size}; i++) {{ try {{ {self.store(k.type, 'v[i]', f'p + i * {size}', ctx)} }} "
                    "catch (e) { throw seg(e, \"[\" + i + \"]\"); } }\n")
        if isinstance(k, (List, Map)) or k is Prim.STRING:
            ptr = self.lower_ptr_len(t, "v", ctx)
            return f"  const q = {ptr}; st.dv.setUint32(p, q, true); st.dv.setUint32(p + 4, st.n, true);\n"
        if isinstance(k, Flags):
            words = flags_word_count(len(k.flags))
            names = self.const("FL", t, [N.camel(f.name) for f in k.flags])
            self.use("flags")
            if words == 0:
                return f"  flagsIn(v, {names}, 0);\n"
            return "".join(f"  st.dv.setInt32(p + {4 * w}, flagsIn(v, {names}, {w}), true);\n" for w in range(words))
        if isinstance(k, (Variant, Option_, Result_)):
            cases = self.cases(t)
            disc = discriminant_size(len(cases))
            poff = self.lay.payload_offset(len(cases), [c[1] for c in cases])
            dv = {1: "Uint8", 2: "Uint16", 4: "Uint32"}[disc]
            le = ", true" if disc > 1 else ""
            out = [self.disc_of(t, "v", "d"), f"  st.dv.set{dv}(p, d{le});\n"]
            arms = []
            for i, (_tag, pt) in enumerate(cases):
                if pt is None:
                    continue
                pay = self.payload_of(t, "v", i)
                arms.append(f"    case {i}: try {{ {self.store(pt, pay, f'p + {poff}', ctx)} }} "
                            f"catch (e) {{ throw seg(e, {json.dumps(self.payload_seg(t, i))}); }} break;\n")
            if arms:
                out.append("  switch (d) {\n" + "".join(arms) + "  }\n")
            return "".join(out)
        if isinstance(k, (Enum_, Handle)):
            return f"  {self.store(t, 'v', 'p', ctx)}\n"
        raise WitError(f"js target: cannot store {type(k).__name__}")

    # variants, options and results share one shape: cases of (tag, payload type)
    def cases(self, t: int) -> list[tuple[str, Type | None]]:
        k = self.r.types[t].kind
        if isinstance(k, Variant):
            return [(c.name, c.type) for c in k.cases]
        if isinstance(k, Option_):
            return [("none", None), ("some", k.type)]
        if isinstance(k, Result_):
            return [("ok", k.ok), ("err", k.err)]
        raise AssertionError(k)

    def nested_option(self, t: int) -> bool:
        k = self.r.types[t].kind
        return isinstance(k, Option_) and isinstance(self.kind(k.type), Option_)

    def disc_of(self, t: int, v: str, d: str) -> str:
        """Statements setting `d` to the case index of JS value `v`."""
        k = self.r.types[t].kind
        if isinstance(k, Option_):
            if self.nested_option(t):
                return (f"  const {d} = {v} === undefined || {v} === null ? 0 : 1;\n"
                        f"  if ({d} && (typeof {v} !== \"object\" || !(\"some\" in {v}))) "
                        f"throw tyErr(\"expected undefined or {{ some: value }}\", {v});\n")
            return f"  const {d} = {v} === undefined || {v} === null ? 0 : 1;\n"
        self.use("tagIn")
        tags = self.const("TG", t, [c[0] for c in self.cases(t)])
        return f"  const {d} = tagIn({v}, {tags});\n"

    def payload_of(self, t: int, v: str, i: int) -> str:
        k = self.r.types[t].kind
        if isinstance(k, Option_):
            return f"{v}.some" if self.nested_option(t) else v
        return f"{v}.val"

    def payload_seg(self, t: int, i: int) -> str:
        k = self.r.types[t].kind
        if isinstance(k, Option_):
            return ".some" if self.nested_option(t) else ""
        return ".val"

    def make_case(self, t: int, i: int, payload: str | None) -> str:
        k = self.r.types[t].kind
        if isinstance(k, Option_):
            if i == 0:
                return "undefined"
            return f"{{ some: {payload} }}" if self.nested_option(t) else payload
        tag = json.dumps(self.cases(t)[i][0])
        return f"{{ tag: {tag} }}" if payload is None else f"{{ tag: {tag}, val: {payload} }}"

    def lower_ptr_len(self, t: Type, v: str, ctx: str) -> str:
        """An expression lowering a string/list/map into guest memory: returns ptr, sets st.n."""
        self.needs_memory = self.needs_realloc = True
        t = self.uid(t)
        if t is Prim.STRING:
            self.use(self.lstr)
            return f"{self.lstr}(st, {v})"
        k = self.r.types[t].kind
        if isinstance(k, List):
            e = self.kind(k.type)
            if isinstance(e, Prim) and e.value in runtime.NUMERIC_ARRAYS:
                self.use("lnum", f"K_{e.value}")
                return f"lnum(st, {v}, K_{e.value})"
            self.use("llist")
            return (f"llist(st, {v}, {self.lay.size(k.type)}, {self.lay.align(k.type)}, "
                    f"{self.store_fn(k.type, ctx)})")
        if isinstance(k, Map):
            self.use("llist", "mapIn")
            size, align, fn = self.map_entry(t, ctx)
            return f"llist(st, mapIn({v}), {size}, {align}, {fn})"
        raise AssertionError(k)

    def map_entry(self, t: int, ctx: str) -> tuple[int, int, str]:
        k = self.r.types[t].kind
        koff, voff = self.lay.record_offsets([k.key, k.value])
        align = max(self.lay.align(k.key), self.lay.align(k.value))
        size = align_to(voff + self.lay.size(k.value), align)
        name = f"_m{self.hkey(t, ctx)}"
        if name not in self.helpers:
            self.helpers[name] = (
                f"function {name}(st, v, p) {{\n"
                "  if (!Array.isArray(v) || v.length !== 2) throw tyErr(\"expected a [key, value] entry\", v);\n"
                f"  try {{ {self.store(k.key, 'v[0]', f'p + {koff}', ctx)} }} catch (e) {{ throw seg(e, \"[0]\"); }}\n"
                f"  try {{ {self.store(k.value, 'v[1]', f'p + {voff}', ctx)} }} catch (e) {{ throw seg(e, \"[1]\"); }}\n"
                "}\n")
            # reading side
            rname = f"_n{self.hkey(t, ctx)}"
            self.helpers[rname] = (
                f"function {rname}(st, p) {{ return [{self.load(k.key, f'p + {koff}', ctx)}, "
                f"{self.load(k.value, f'p + {voff}', ctx)}]; }}\n")
        return size, align, name

    def is_direct(self, t: Type) -> bool:
        """Types lowered to exactly one flat value by an expression (no statements)."""
        t = self.uid(t)
        if isinstance(t, Prim):
            return t is not Prim.STRING
        k = self.r.types[t].kind
        if isinstance(k, Flags):
            return flags_word_count(len(k.flags)) == 1
        return isinstance(k, (Enum_, Handle))

    def lower_flat_expr(self, t: Type, v: str, ctx: str) -> str:
        """One flat value for a direct type."""
        t = self.uid(t)
        if isinstance(t, Prim):
            self.use(CHECK[t])
            return f"{CHECK[t]}({v})"
        k = self.r.types[t].kind
        if isinstance(k, Enum_):
            self.use("enm")
            return f"enumIn({v}, {self.const('EN', t, [c.name for c in k.cases])})"
        if isinstance(k, Flags):
            self.use("flags")
            return f"flagsIn({v}, {self.const('FL', t, [N.camel(f.name) for f in k.flags])}, 0)"
        if isinstance(k, Handle):
            return self.lower_handle(k, v, ctx)
        raise AssertionError(k)

    def lower_handle(self, k: Handle, v: str, ctx: str) -> str:
        rid = self.uid(k.resource)
        side = self.res_side(rid, ctx)
        if side == "e":
            self.use("xres")
            if k.kind == "own":
                self.use("Tbl")
                return f"st.g{rid}.add(repOf(st.C{rid}, {v}, true), 1)"
            return f"repOf(st.C{rid}, {v}, false)"
        self.use("ires", "Tbl")
        name = json.dumps(N.type_name(self.r.types[rid].name))
        if k.kind == "own":
            return f"st.h{rid}.add(hostRes({v}, st.R{rid}, {name}), 1)"
        return f"lend(st, st.h{rid}, hostRes({v}, st.R{rid}, {name}))"

    def lower_flat_push(self, t: Type, v: str, o: str, ctx: str) -> str:
        """A statement pushing the flat values of `v` onto array `o`."""
        t = self.uid(t)
        if self.is_direct(t):
            return f"{o}.push({self.lower_flat_expr(t, v, ctx)});"
        if t is Prim.STRING:
            return f"{o}.push({self.lower_ptr_len(t, v, ctx)}, st.n);"
        k = self.r.types[t].kind
        if isinstance(k, (List, Map)):
            return f"{o}.push({self.lower_ptr_len(t, v, ctx)}, st.n);"
        return f"{self.flat_fn(t, ctx)}(st, {v}, {o});"

    def flat_fn(self, t: int, ctx: str) -> str:
        name = f"_f{self.hkey(t, ctx)}"
        if name in self.helpers:
            return name
        self.helpers[name] = ""
        k = self.r.types[t].kind
        self.use("Fault")
        lines = []
        if isinstance(k, (Record, Tuple)):
            types = [f.type for f in k.fields] if isinstance(k, Record) else list(k.types)
            if isinstance(k, Record):
                segs = ["." + N.camel(f.name) for f in k.fields]
                vals = [N.member("v", N.camel(f.name)) for f in k.fields]
                lines.append("  if (v === null || typeof v !== \"object\") throw tyErr(\"expected an object\", v);\n")
            else:
                segs = [f"[{i}]" for i in range(len(types))]
                vals = [f"v[{i}]" for i in range(len(types))]
                lines.append(f"  if (!Array.isArray(v) || v.length !== {len(types)}) "
                             f"throw tyErr(\"expected an array of length {len(types)}\", v);\n")
            lines.append("  let k = 0;\n  try {\n")
            for i, ty in enumerate(types):
                lines.append(f"    k = {i}; {self.lower_flat_push(ty, vals[i], 'o', ctx)}\n")
            lines.append(f"  }} catch (e) {{ throw seg(e, {json.dumps(segs)}[k]); }}\n")
        elif isinstance(k, FixedList):
            lines.append(f"  if (!(Array.isArray(v) || ArrayBuffer.isView(v)) || v.length !== {k.size}) "
                         f"throw tyErr(\"expected an array of length {k.size}\", v);\n"
                         f"  for (let i = 0; i < {k.size}; i++) {{ try {{ {self.lower_flat_push(k.type, 'v[i]', 'o', ctx)} }} "
                         "catch (e) { throw seg(e, \"[\" + i + \"]\"); } }\n")
        elif isinstance(k, Flags):
            names = self.const("FL", t, [N.camel(f.name) for f in k.flags])
            self.use("flags")
            words = flags_word_count(len(k.flags))
            if words == 0:
                lines.append(f"  flagsIn(v, {names}, 0);\n")
            for w in range(words):
                lines.append(f"  o.push(flagsIn(v, {names}, {w}));\n")
        elif isinstance(k, (Variant, Option_, Result_)):
            cases = self.cases(t)
            joined = flatten_type(self.r, t)[1:]
            lines.append(self.disc_of(t, "v", "d"))
            lines.append("  o.push(d);\n  switch (d) {\n")
            for i, (_tag, pt) in enumerate(cases):
                if pt is None:
                    pad = ", ".join(ZERO[j.value] for j in joined)
                    lines.append(f"    case {i}: {'o.push(' + pad + ');' if pad else ''} break;\n")
                    continue
                have = flatten_type(self.r, pt)
                coerce = [self.coerce_in(f"x[{j}]", h.value, joined[j].value) for j, h in enumerate(have)]
                pad = [ZERO[j.value] for j in joined[len(have):]]
                pay = self.payload_of(t, "v", i)
                lines.append(f"    case {i}: {{ const x = []; try {{ {self.lower_flat_push(pt, pay, 'x', ctx)} }} "
                             f"catch (e) {{ throw seg(e, {json.dumps(self.payload_seg(t, i))}); }} "
                             f"o.push({', '.join(coerce + pad)}); break; }}\n")
            lines.append("  }\n")
        else:
            raise AssertionError(k)
        self.helpers[name] = f"function {name}(st, v, o) {{\n{''.join(lines)}}}\n"
        return name

    def coerce_in(self, x: str, have: str, want: str) -> str:
        if have == want:
            return x
        self.use("flat")
        if (have, want) == ("i32", "i64"):
            return f"BigInt({x} >>> 0)"
        if (have, want) == ("f32", "i32"):
            return f"f2i({x})"
        if (have, want) == ("f32", "i64"):
            return f"BigInt(f2i({x}) >>> 0)"
        if (have, want) == ("f64", "i64"):
            return f"d2l({x})"
        raise AssertionError((have, want))

    def coerce_out(self, x: str, have: str, want: str) -> str:
        """From the joined flat type `want` back to the case's own flat type `have`."""
        if have == want:
            return x
        self.use("flat")
        if (have, want) == ("i32", "i64"):
            return f"Number(BigInt.asIntN(32, {x}))"
        if (have, want) == ("f32", "i32"):
            return f"i2f({x})"
        if (have, want) == ("f32", "i64"):
            return f"i2f(Number(BigInt.asIntN(32, {x})))"
        if (have, want) == ("f64", "i64"):
            return f"l2d({x})"
        raise AssertionError((have, want))

    # --- JS: lifting (guest -> JS value) ----------------------------------------------------

    def load(self, t: Type, p: str, ctx: str) -> str:
        """An expression loading a value of `t` from address `p`."""
        self.needs_memory = True
        t = self.uid(t)
        if isinstance(t, Prim):
            if t is Prim.STRING:
                self.use(self.rstr)
                return f"{self.rstr}(st, st.dv.getUint32({p}, true), st.dv.getUint32({p} + 4, true))"
            dv, size = DV[t]
            le = ", true" if size > 1 else ""
            raw = f"st.dv.get{dv}({p}{le})"
            if t is Prim.BOOL:
                return f"{raw} !== 0"
            if t is Prim.CHAR:
                self.use("chr")
                return f"rchr({raw})"
            return raw
        k = self.r.types[t].kind
        if isinstance(k, (Enum_, Handle)) or (isinstance(k, Flags) and 0 < self.lay.size(t) <= 4):
            size = self.lay.size(t)
            dv = {1: "Uint8", 2: "Uint16", 4: "Uint32"}[size]
            le = ", true" if size > 1 else ""
            return self.lift_flat_direct(t, f"st.dv.get{dv}({p}{le})", ctx)
        return f"{self.load_fn(t, ctx)}(st, {p})"

    def load_fn(self, t: Type, ctx: str) -> str:
        t = self.uid(t)
        if isinstance(t, Prim):
            name = f"_l_{t.value}"
            if name not in self.helpers:
                self.helpers[name] = f"function {name}(st, p) {{ return {self.load(t, 'p', ctx)}; }}\n"
            return name
        name = f"_l{self.hkey(t, ctx)}"
        if name in self.helpers:
            return name
        self.helpers[name] = ""
        self.helpers[name] = f"function {name}(st, p) {{\n{self.load_body(t, ctx)}}}\n"
        return name

    def load_body(self, t: int, ctx: str) -> str:
        k = self.r.types[t].kind
        self.use("Fault")
        if isinstance(k, (Record, Tuple)):
            types = [f.type for f in k.fields] if isinstance(k, Record) else list(k.types)
            offs = self.lay.record_offsets(types)
            if isinstance(k, Record):
                segs = ["." + N.camel(f.name) for f in k.fields]
            else:
                segs = [f"[{i}]" for i in range(len(types))]
            lines = ["  let k = 0, x;\n  try {\n"]
            vals = []
            for i, (ty, off) in enumerate(zip(types, offs, strict=False)):
                lines.append(f"    k = {i}; const x{i} = {self.load(ty, f'p + {off}', ctx)};\n")
                vals.append(f"x{i}")
            if isinstance(k, Record):
                obj = "{ " + ", ".join(f"{N.prop(N.camel(f.name))}: x{i}" for i, f in enumerate(k.fields)) + " }"
            else:
                obj = "[" + ", ".join(vals) + "]"
            lines.append(f"    return {obj};\n")
            lines.append(f"  }} catch (e) {{ throw seg(e, {json.dumps(segs)}[k]); }}\n")
            return "".join(lines).replace("let k = 0, x;", "let k = 0;")
        if isinstance(k, FixedList):
            size = self.lay.size(k.type)
            return (f"  const a = new Array({k.size});\n"
                    f"  for (let i = 0; i < {k.size}; i++) {{ try {{ a[i] = {self.load(k.type, f'p + i * {size}', ctx)}; }} "
                    "catch (e) { throw seg(e, \"[\" + i + \"]\"); } }\n  return a;\n")
        if isinstance(k, (List, Map)):
            return f"  return {self.lift_ptr_len(t, 'st.dv.getUint32(p, true)', 'st.dv.getUint32(p + 4, true)', ctx)};\n"
        if isinstance(k, (Enum_, Handle)):
            return f"  return {self.load(t, 'p', ctx)};\n"
        if isinstance(k, Flags):
            words = flags_word_count(len(k.flags))
            names = self.const("FL", t, [N.camel(f.name) for f in k.flags])
            self.use("flags")
            ws = ", ".join(f"st.dv.getInt32(p + {4 * w}, true)" for w in range(words))
            return f"  return flagsOut({names}, [{ws}]);\n"
        if isinstance(k, (Variant, Option_, Result_)):
            cases = self.cases(t)
            disc = discriminant_size(len(cases))
            poff = self.lay.payload_offset(len(cases), [c[1] for c in cases])
            dv = {1: "Uint8", 2: "Uint16", 4: "Uint32"}[disc]
            le = ", true" if disc > 1 else ""
            self.use("tagIn")
            lines = [f"  const d = st.dv.get{dv}(p{le});\n  switch (d) {{\n"]
            for i, (_tag, pt) in enumerate(cases):
                if pt is None:
                    lines.append(f"    case {i}: return {self.make_case(t, i, None)};\n")
                else:
                    seg = json.dumps(self.payload_seg(t, i) or "")
                    lines.append(f"    case {i}: {{ let x; try {{ x = {self.load(pt, f'p + {poff}', ctx)}; }} "
                                 f"catch (e) {{ throw seg(e, {seg}); }} return {self.make_case(t, i, 'x')}; }}\n")
            lines.append(f"  }}\n  throw badTag(d, {len(cases)});\n")
            return "".join(lines)
        raise WitError(f"js target: cannot load {type(k).__name__}")

    def lift_ptr_len(self, t: Type, p: str, n: str, ctx: str) -> str:
        self.needs_memory = True
        t = self.uid(t)
        if t is Prim.STRING:
            self.use(self.rstr)
            return f"{self.rstr}(st, {p}, {n})"
        k = self.r.types[t].kind
        if isinstance(k, List):
            e = self.kind(k.type)
            if isinstance(e, Prim) and e.value in runtime.NUMERIC_ARRAYS:
                self.use("rnum", f"K_{e.value}")
                return f"rnum(st, {p}, {n}, K_{e.value})"
            self.use("rlist")
            return (f"rlist(st, {p}, {n}, {self.lay.size(k.type)}, {self.lay.align(k.type)}, "
                    f"{self.load_fn(k.type, ctx)})")
        if isinstance(k, Map):
            self.use("rlist")
            size, align, fn = self.map_entry(t, ctx)
            return f"new Map(rlist(st, {p}, {n}, {size}, {align}, _n{fn[2:]}))"
        raise AssertionError(k)

    def lift_flat_direct(self, t: Type, x: str, ctx: str) -> str:
        """JS value of a type whose flat form is the one value `x` and needs no array."""
        t = self.uid(t)
        if isinstance(t, Prim):
            if t is Prim.CHAR:
                self.use("chr")
            return LIFT_FLAT_PRIM[t].format(x)
        k = self.r.types[t].kind
        if isinstance(k, Enum_):
            self.use("enm")
            return f"enumOut({x}, {self.const('EN', t, [c.name for c in k.cases])})"
        if isinstance(k, Flags):
            self.use("flags")
            return f"flagsOut({self.const('FL', t, [N.camel(f.name) for f in k.flags])}, [{x}])"
        if isinstance(k, Handle):
            return self.lift_handle(k, x, ctx)
        raise AssertionError(k)

    def lift_handle(self, k: Handle, x: str, ctx: str) -> str:
        rid = self.uid(k.resource)
        side = self.res_side(rid, ctx)
        self.use("Tbl")
        if side == "e":
            self.use("xres")
            if k.kind == "own":
                return f"wrapRes(st.C{rid}, st.g{rid}.take({x}, true))"
            return f"borrowRes(st.C{rid}, st.g{rid}.get({x}))"
        if k.kind == "own":
            return f"st.h{rid}.take({x}, true)"
        return f"st.h{rid}.get({x})"

    def lift_flat(self, t: Type, arr: str, off: int | str, ctx: str) -> str:
        """JS value of `t` from flat values `arr[off...]`."""
        t = self.uid(t)
        o = f"{off}" if isinstance(off, str) else str(off)

        def at(j: int) -> str:
            if isinstance(off, int):
                return f"{arr}[{off + j}]"
            return f"{arr}[{off} + {j}]"

        if isinstance(t, Prim):
            if t is Prim.STRING:
                return self.lift_ptr_len(t, at(0), at(1), ctx)
            return self.lift_flat_direct(t, at(0), ctx)
        k = self.r.types[t].kind
        if isinstance(k, (Enum_, Handle)) or (isinstance(k, Flags) and flags_word_count(len(k.flags)) == 1):
            return self.lift_flat_direct(t, at(0), ctx)
        if isinstance(k, (List, Map)):
            return self.lift_ptr_len(t, at(0), at(1), ctx)
        return f"{self.unflat_fn(t, ctx)}(st, {arr}, {o})"

    def unflat_fn(self, t: int, ctx: str) -> str:
        name = f"_g{self.hkey(t, ctx)}"
        if name in self.helpers:
            return name
        self.helpers[name] = ""
        k = self.r.types[t].kind
        self.use("Fault")
        lines = []
        if isinstance(k, (Record, Tuple)):
            types = [f.type for f in k.fields] if isinstance(k, Record) else list(k.types)
            segs = ["." + N.camel(f.name) for f in k.fields] if isinstance(k, Record) else [f"[{i}]" for i in range(len(types))]
            lines.append("  let k = 0;\n  try {\n")
            pos = 0
            for i, ty in enumerate(types):
                lines.append(f"    k = {i}; const x{i} = {self.lift_flat(ty, 'a', f'i + {pos}', ctx)};\n")
                pos += len(flatten_type(self.r, ty))
            if isinstance(k, Record):
                obj = "{ " + ", ".join(f"{N.prop(N.camel(f.name))}: x{i}" for i, f in enumerate(k.fields)) + " }"
            else:
                obj = "[" + ", ".join(f"x{i}" for i in range(len(types))) + "]"
            lines.append(f"    return {obj};\n  }} catch (e) {{ throw seg(e, {json.dumps(segs)}[k]); }}\n")
        elif isinstance(k, FixedList):
            n = len(flatten_type(self.r, k.type))
            lines.append(f"  const out = new Array({k.size});\n"
                         f"  for (let j = 0; j < {k.size}; j++) {{ try {{ out[j] = {self.lift_flat(k.type, 'a', f'i + j * {n}', ctx)}; }} "
                         "catch (e) { throw seg(e, \"[\" + j + \"]\"); } }\n  return out;\n")
        elif isinstance(k, Flags):
            words = flags_word_count(len(k.flags))
            self.use("flags")
            names = self.const("FL", t, [N.camel(f.name) for f in k.flags])
            lines.append(f"  return flagsOut({names}, [{', '.join(f'a[i + {w}]' for w in range(words))}]);\n")
        elif isinstance(k, (Variant, Option_, Result_)):
            cases = self.cases(t)
            joined = flatten_type(self.r, t)[1:]
            self.use("tagIn")
            lines.append("  const d = a[i];\n  switch (d) {\n")
            for ci, (_tag, pt) in enumerate(cases):
                if pt is None:
                    lines.append(f"    case {ci}: return {self.make_case(t, ci, None)};\n")
                    continue
                have = flatten_type(self.r, pt)
                vals = [self.coerce_out(f"a[i + {1 + j}]", h.value, joined[j].value) for j, h in enumerate(have)]
                seg = json.dumps(self.payload_seg(t, ci) or "")
                lines.append(f"    case {ci}: {{ const b = [{', '.join(vals)}]; let x; "
                             f"try {{ x = {self.lift_flat(pt, 'b', 0, ctx)}; }} catch (e) {{ throw seg(e, {seg}); }} "
                             f"return {self.make_case(t, ci, 'x')}; }}\n")
            lines.append(f"  }}\n  throw badTag(d, {len(cases)});\n")
        else:
            raise AssertionError(k)
        self.helpers[name] = f"function {name}(st, a, i) {{\n{''.join(lines)}}}\n"
        return name

    def lift_can_fail(self, t: Type | None) -> bool:
        if t is None:
            return False
        t = self.uid(t)
        if isinstance(t, Prim):
            return t in (Prim.CHAR, Prim.STRING)
        return True

    def touches_mem(self, t: Type | None, seen=None) -> bool:
        if t is None:
            return False
        t = self.uid(t)
        if isinstance(t, Prim):
            return t is Prim.STRING
        seen = seen or set()
        if t in seen:
            return False
        seen.add(t)
        k = self.r.types[t].kind
        if isinstance(k, (List, Map)):
            return True
        from witgen.model import kind_refs

        return any(self.touches_mem(x, seen) for x in kind_refs(k) if not isinstance(k, Handle))

    def result_type(self, func: Function):
        """(`Result_` kind, or None) of the function's top-level result."""
        if func.result is None:
            return None
        k = self.kind(func.result)
        return k if isinstance(k, Result_) else None

    # --- JS: export wrappers (JS calls the guest) -------------------------------------------

    def export_body(self, fn: Fn, args: list[str], core: str, post: str | None, ind: str,
                    ctor_of: int | None = None) -> str:
        func, ctx = fn.func, "e"
        sig = signature(self.r, func, AbiVariant.EXPORT)
        label = json.dumps(fn.label)
        roots = ["self" if (i == 0 and func.kind == "method") else N.camel(p.name) for i, p in enumerate(func.params)]
        out = [f"live(st, {label});"]
        call_args: list[str] = []
        if func.params:
            types = [p.type for p in func.params]
            lines = []
            if sig.indirect_params:
                self.needs_memory = self.needs_realloc = True
                self.use("alloc")
                offs = self.lay.record_offsets(types)
                align = max(self.lay.align(t) for t in types)
                size = align_to(offs[-1] + self.lay.size(types[-1]), align)
                out.append("let k = 0, q;")
                lines.append(f"q = alloc(st, {size}, {align});")
                for i, (t, off) in enumerate(zip(types, offs, strict=False)):
                    lines.append(f"k = {i}; {self.store(t, args[i], f'q + {off}', ctx)}")
                call_args = ["q"]
            elif all(self.is_direct(t) or self.touches_mem(t) and self.is_ptr_len(t) for t in types):
                xs = []
                for i, t in enumerate(types):
                    if self.is_direct(t):
                        lines.append(f"{self.kset(i)}x{len(xs)} = {self.lower_flat_expr(t, args[i], ctx)};")
                        xs.append(f"x{len(xs)}")
                    else:
                        a, b = f"x{len(xs)}", f"x{len(xs) + 1}"
                        lines.append(f"{self.kset(i)}{a} = {self.lower_ptr_len(t, args[i], ctx)}; {b} = st.n;")
                        xs += [a, b]
                out.append(f"let k = 0, {', '.join(xs)};")
                call_args = xs
            else:
                out.append("let k = 0; const o = [];")
                for i, t in enumerate(types):
                    lines.append(f"k = {i}; {self.lower_flat_push(t, args[i], 'o', ctx)}")
                call_args = ["...o"]
            out.append(f"try {{ {' '.join(lines)} }} catch (e) {{ throw fail(st, e, {label}, {json.dumps(roots)}[k]); }}")
        has_res = sig.results != ()
        out.append(f"let r; try {{ r = {core}({', '.join(call_args)}); }} catch (e) {{ throw trap(st, e, {label}); }}"
                   if has_res else
                   f"try {{ {core}({', '.join(call_args)}); }} catch (e) {{ throw trap(st, e, {label}); }}")
        if any(self.has_handle(p.type) for p in func.params):
            self.use("lend")
            out.append("if (st.lent.length) unlend(st);")
        t = func.result
        post_call = ""
        if post:
            self.use("post")
            post_call = f"if ({post} !== undefined) post(st, {post}, {'r' if has_res else 'undefined'}, {label});"
        if t is None:
            if post_call:
                out.append(post_call)
            return "".join(f"{ind}{ln}\n" for ln in out)
        if sig.retptr or self.touches_mem(t):
            self.needs_memory = True
            self.use("mem")
            out.append("mem(st);")
        if ctor_of is not None:
            self.use("Tbl", "xres")
            expr = f"st.g{ctor_of}.take(r, true)"
        elif sig.retptr:
            self.use("rng")
            size, align = self.lay.size(t), self.lay.align(t)
            expr = f"(rp = rng(st, r, {size}, {align}), {self.load(t, 'rp', ctx)})"
            out.append("let rp;")
        elif self.is_direct(t):
            expr = self.lift_flat_direct(t, "r", ctx)
        else:
            expr = self.lift_flat(t, "[r]", 0, ctx)
        if self.lift_can_fail(t) or sig.retptr or ctor_of is not None:
            out.append(f"let v; try {{ v = {expr}; }} catch (e) {{ throw fail(st, e, {label}, \"result\"); }}")
        else:
            out.append(f"const v = {expr};")
        if post_call:
            out.append(post_call)
        if ctor_of is not None:
            out.append(f"this[REP] = v; st.C{ctor_of}[FR].register(this, v, this);")
        elif self.result_type(func) is not None:
            self.use("WitResultError")
            out.append("if (v.tag === \"err\") throw new WitResultError(v.val);")
            out.append("return v.val;")
        else:
            out.append("return v;")
        return "".join(f"{ind}{ln}\n" for ln in out)

    @staticmethod
    def kset(i: int) -> str:
        return "" if i == 0 else f"k = {i}; "

    def is_ptr_len(self, t: Type) -> bool:
        t = self.uid(t)
        if isinstance(t, Prim):
            return t is Prim.STRING
        return isinstance(self.r.types[t].kind, (List, Map))

    # --- JS: import trampolines (the guest calls JS) ----------------------------------------

    def trampoline(self, n: int, fn: Fn) -> str:
        func, ctx = fn.func, "i"
        sig = signature(self.r, func, AbiVariant.IMPORT)
        label = json.dumps(fn.label)
        ncore = len(sig.params)
        args = [f"a{i}" for i in range(ncore)]
        out = ["const st = this;"]
        types = [p.type for p in func.params]
        roots = ["self" if (i == 0 and func.kind == "method") else N.camel(p.name) for i, p in enumerate(func.params)]
        if sig.indirect_params or sig.retptr or any(self.touches_mem(t) for t in types) or self.touches_mem(func.result):
            self.needs_memory = True
            self.use("mem")
            out.append("mem(st);")
        xs = [f"x{i}" for i in range(len(types))]
        if types:
            lines = []
            if sig.indirect_params:
                self.use("rng")
                offs = self.lay.record_offsets(types)
                align = max(self.lay.align(t) for t in types)
                size = align_to(offs[-1] + self.lay.size(types[-1]), align)
                lines.append(f"const q = rng(st, a0, {size}, {align});")
                for i, (t, off) in enumerate(zip(types, offs, strict=False)):
                    lines.append(f"k = {i}; x{i} = {self.load(t, f'q + {off}', ctx)};")
            else:
                pos = 0
                arr_needed = False
                for i, t in enumerate(types):
                    nflat = len(flatten_type(self.r, t))
                    if self.is_direct(t):
                        e = self.lift_flat_direct(t, f"a{pos}", ctx)
                    elif self.is_ptr_len(t):
                        e = self.lift_ptr_len(t, f"a{pos}", f"a{pos + 1}", ctx)
                    else:
                        arr_needed = True
                        e = self.lift_flat(t, "A", pos, ctx)
                    lines.append(f"k = {i}; x{i} = {e};")
                    pos += nflat
                if arr_needed:
                    out.append(f"const A = [{', '.join(args)}];")
            out.append(f"let k = 0, {', '.join(xs)};")
            out.append(f"try {{ {' '.join(lines)} }} catch (e) {{ throw fail(st, e, {label}, {json.dumps(roots)}[k]); }}")
        # the host call
        if func.kind == "constructor":
            call = f"new st.R{self.uid(func.resource)}({', '.join(xs)})"
        elif func.kind == "method":
            self.use("ires")
            call = (f"hostMethod(x0, {json.dumps(N.camel(func.item_name))}, {label}).call("
                    f"{', '.join(xs)})")
        elif func.kind == "static":
            call = f"{N.member(f'st.R{self.uid(func.resource)}', N.camel(func.item_name))}({', '.join(xs)})"
        else:
            call = f"{N.member(f'st.o{n}', N.camel(func.item_name))}({', '.join(xs)})"
        t = func.result
        if t is None:
            out.append(f"{call};")
            return f"function t{n}({', '.join(args)}) {{\n" + "".join(f"  {ln}\n" for ln in out) + "}\n"
        if self.result_type(func) is not None:
            self.use("WitResultError")
            out.append(f"let v; try {{ v = {{ tag: \"ok\", val: {call} }}; }} "
                       "catch (e) { if (!isResErr(e)) throw e; v = { tag: \"err\", val: e.payload }; }")
        else:
            out.append(f"const v = {call};")
        if sig.retptr:
            self.use("rng")
            size, align = self.lay.size(t), self.lay.align(t)
            ret = args[-1]
            out.append(f"try {{ const q = rng(st, {ret}, {size}, {align}); {self.store(t, 'v', 'q', ctx)} }} "
                       f"catch (e) {{ throw fail(st, e, {label}, \"result\"); }}")
        elif self.is_direct(t):
            out.append(f"try {{ return {self.lower_flat_expr(t, 'v', ctx)}; }} "
                       f"catch (e) {{ throw fail(st, e, {label}, \"result\"); }}")
        else:
            out.append(f"const o = []; try {{ {self.lower_flat_push(t, 'v', 'o', ctx)} }} "
                       f"catch (e) {{ throw fail(st, e, {label}, \"result\"); }}")
            out.append("return o[0];")
        return f"function t{n}({', '.join(args)}) {{\n" + "".join(f"  {ln}\n" for ln in out) + "}\n"

    # --- the world walk ---------------------------------------------------------------------

    def resource_funcs(self, iface_funcs: dict, rid: int) -> list[Function]:
        return [f for f in iface_funcs.values() if f.resource is not None and self.uid(f.resource) == rid]

    def build(self) -> dict:
        r = self.r
        fns = self.all_funcs()
        [f for f in fns if not f.exported]
        exp_fns = [f for f in fns if f.exported]
        ctx_js = {"bind": [], "tramps": [], "tables": [], "factories": [], "dtors": [],
                  "exports_pre": [], "exports_obj": [], "rclasses": []}

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
            ctx_js["tables"].append(f"st.h{rid} = new Tbl({json.dumps(rname)}); "
                                    f"st.R{rid} = {obj}?.{N.type_name(rname)};")
        for _key, rid in exp_res:
            self.use("Tbl")
            ctx_js["tables"].append(f"st.g{rid} = new Tbl({json.dumps(r.types[rid].name)});")

        # import trampolines and how each core import is bound
        bind: dict[str, dict[str, str]] = {}
        for n, item in enumerate(self.contract.imports):
            o = item.origin
            what_root = "imports" if o.world_key is None else f"imports[{json.dumps(r.world_key_name(o.world_key))}]"
            obj = "I" if o.world_key is None else \
                f"needObj(I, {json.dumps(r.world_key_name(o.world_key))}, {json.dumps(what_root)})"
            if o.role == "func":
                fn = Fn(o.function, o.world_key, False, self.func_label(o.world_key, o.function), item.name)
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
                    f"catch (e) {{ throw fail(st, e, {label}, \"handle\"); }}\n"
                    "  if (own && o != null && typeof o[DISPOSE] === \"function\") o[DISPOSE]();\n}\n")
                body = f"(st) => t{n}.bind(st)"
            elif o.role in ("resource-drop", "resource-new", "resource-rep"):
                rid = o.resource
                self.use("Tbl")
                label = json.dumps(f"[{o.role}]{r.types[rid].name}")
                if o.role == "resource-new":
                    code = f"function t{n}(rep) {{ return this.g{rid}.add(rep, 1); }}\n"
                elif o.role == "resource-rep":
                    code = (f"function t{n}(h) {{ const st = this; try {{ return st.g{rid}.get(h); }} "
                            f"catch (e) {{ throw fail(st, e, {label}, \"handle\"); }} }}\n")
                else:
                    code = (f"function t{n}(h) {{\n  const st = this; let own, rep;\n"
                            f"  try {{ own = st.g{rid}.s[h >>> 0] === 1; rep = st.g{rid}.take(h, false); }} "
                            f"catch (e) {{ throw fail(st, e, {label}, \"handle\"); }}\n"
                            f"  if (own && st.D{rid} !== undefined) st.D{rid}(rep);\n}}\n")
                ctx_js["tramps"].append(code)
                body = f"(st) => t{n}.bind(st)"
            else:  # pragma: no cover - sync contracts have nothing else
                raise WitError(f"js target: unsupported core import {item.module} {item.name}")
            bind.setdefault(item.module, {})[item.name] = body

        # exports
        dtor_names = {e.origin.resource: e.name for e in self.contract.exports if e.origin.role == "dtor"}
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
            top_members.append(f"    {N.prop(N.camel(fn.func.name))}({', '.join(args)}) {{\n{body}    }},\n")
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
                members.append(f"    {N.prop(N.camel(fn.func.name))}({', '.join(args)}) {{\n{body}    }},\n")
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
        taken = {N.camel(item.function.name) for item in self.world.exports.values()
                 if isinstance(item, FunctionItem)}
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
                members.append(f"    {N.prop(N.camel(func.item_name))}({', '.join(args)}) {{\n{body}    }}\n")
            else:
                args = [f"a{i}" for i in range(len(func.params))]
                body = self.export_body(fn, args, c, p, "      ")
                members.append(f"    static {N.prop(N.camel(func.item_name))}({', '.join(args)}) {{\n{body}    }}\n")
        if ctor is None:
            ctor = (f"    constructor() {{ throw new TypeError({json.dumps(cname + ' has no constructor in WIT; get one from a function that returns it')}); }}\n")
        fr = (f"  C[FR] = new FinalizationRegistry((rep) => {{ if (st.dead === null && st.D{rid} !== undefined) "
              f"try {{ st.D{rid}(rep); }} catch {{ /* the instance is unusable now */ }} }});\n")
        return (f"function mk{rid}(st) {{\n  const x = st.x;\n" + "\n".join(pre) + ("\n" if pre else "")
                + f"  const C = class {cname} {{\n{ctor}{''.join(members)}"
                f"    [DISPOSE]() {{ disposeRes(st, C, this, st.D{rid}); }}\n  }};\n{fr}  return C;\n}}\n")

    # --- TypeScript declarations ------------------------------------------------------------

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
            err = self.ts(rk.err, "out" if exported else "in", ctx) if rk.err is not None else "undefined"
            if exported:
                extra.append(f"@throws {{WitResultError<{err}>}} the `err` case of the WIT result")
            else:
                extra.append(f"To return the `err` case of the WIT result, throw `new WitResultError<{err}>(payload)`.")
        return doc_comment(func.docs, ind, extra)

    def ts_method(self, func: Function, exported: bool, ctx: str, ind: str, static: bool = False) -> str:
        pm, rm = ("in", "out") if exported else ("out", "in")
        skip = func.kind == "method"
        name = N.prop(N.camel(func.item_name))
        return (self.ts_doc(func, ind, exported, ctx)
                + f"{ind}{name}({self.ts_params(func, pm, ctx, skip)}): {self.ts_result(func, rm, ctx)};\n")

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
                lines.append(f"{ind}  /** Drops the resource (runs its WIT destructor); later use is an error. */\n")
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
                out += f"{ind}export namespace {name} {{ type In = {self.ts(target, 'in', ctx)}; }}\n"
            elif isinstance(self.uid(target), Prim) and self.ts(target, "in", ctx) != self.ts(target, "out", ctx):
                out += f"{ind}export namespace {name} {{ type In = {self.ts(target, 'in', ctx)}; }}\n"
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

    def differs_alias_fix(self) -> None:
        pass

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
            out.append("\n" + doc_comment(iface.docs, "", [f"Types of `{r.interface_name(iid) or ns.name}`"
                                                           + (" (as exported by the guest)." if side == "e" else ".")]))
            out.append(f"export namespace {ns.name} {{\n")
            for tid in iface.types.values():
                out.append(self.ts_typedef(tid, side, "  ", iface.functions))
            out.append("}\n")
        # Imports
        out.append("\n/** What the host provides: keys are the world's import names. */\nexport interface Imports {\n")
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
                out.append(f"  {json.dumps(r.world_key_name(key))}{opt}: {{\n{''.join(members)}  }};\n")
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
                    fl = [f for f in iface.functions.values()
                          if f.kind in ("constructor", "static") and self.uid(f.resource) == tid]
                    out.append(self.ts_res_static(tid, fl, "e", "    ", exported=True))
            out.append("  };\n")
            if key in aliases:
                out.append(f"  /** Same as `{r.world_key_name(key)}`. */\n  {N.prop(aliases[key])}: Exports[{full}];\n")
        out.append("}\n")
        return "".join(out)

    def world_level_funcs(self) -> dict:
        return {k: v.function for k, v in self.world.imports.items() if isinstance(v, FunctionItem)}

    def ts_res_static(self, rid: int, fl: list[Function], ctx: str, ind: str, exported: bool = False) -> str:
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
