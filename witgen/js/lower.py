"""Lowering (JS value -> guest): per-type store (`_s<id>`) and flatten (`_f<id>`) helpers, the
ptr/len lowering of strings, lists and maps, handles given to the guest, and the checks of JS
values against their WIT types.
"""

from __future__ import annotations

import json

from witgen.abi import flatten_type
from witgen.abi.layout import align_to, discriminant_size, flags_word_count
from witgen.errors import WitError
from witgen.model import (
    Enum_,
    FixedList,
    Flags,
    Handle,
    List,
    Map,
    Option_,
    Prim,
    Record,
    Result_,
    Tuple,
    Type,
    Variant,
)

from . import names as N
from . import runtime
from .model import DV

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

ZERO = {"i32": "0", "i64": "0n", "f32": "0", "f64": "0"}


#: (case's flat type, joined flat type) -> JS expression widening a value to the joined type
COERCE_IN = {
    ("i32", "i64"): "BigInt({x} >>> 0)",
    ("f32", "i32"): "f2i({x})",
    ("f32", "i64"): "BigInt(f2i({x}) >>> 0)",
    ("f64", "i64"): "d2l({x})",
}


class Lowering:
    """JS value -> guest memory or flat values."""

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
                    body = (
                        f"const q = {self.lstr}(st, v); st.dv.setUint32(p, q, true); "
                        "st.dv.setUint32(p + 4, st.n, true);"
                    )
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
                check = '  if (v === null || typeof v !== "object") throw tyErr("expected an object", v);\n'
            else:
                segs = [f"[{i}]" for i in range(len(types))]
                vals = [f"v[{i}]" for i in range(len(types))]
                check = (
                    f"  if (!Array.isArray(v) || v.length !== {len(types)}) "
                    f'throw tyErr("expected an array of length {len(types)}", v);\n'
                )
            lines = [check, "  let k = 0;\n  try {\n"]
            for i, (ty, off) in enumerate(zip(types, offs, strict=False)):
                lines.append(f"    k = {i}; {self.store(ty, vals[i], f'p + {off}', ctx)}\n")
            lines.append(f"  }} catch (e) {{ throw seg(e, {json.dumps(segs)}[k]); }}\n")
            return "".join(lines)
        if isinstance(k, FixedList):
            size = self.lay.size(k.type)
            return (
                f"  if (!(Array.isArray(v) || ArrayBuffer.isView(v)) || v.length !== {k.size}) "
                f'throw tyErr("expected an array of length {k.size}", v);\n'
                f"  for (let i = 0; i < {k.size}; i++) {{ try {{ {self.store(k.type, 'v[i]', f'p + i * {size}', ctx)} }} "
                'catch (e) { throw seg(e, "[" + i + "]"); } }\n'
            )
        if isinstance(k, (List, Map)) or k is Prim.STRING:
            ptr = self.lower_ptr_len(t, "v", ctx)
            return f"  const q = {ptr}; st.dv.setUint32(p, q, true); st.dv.setUint32(p + 4, st.n, true);\n"
        if isinstance(k, Flags):
            words = flags_word_count(len(k.flags))
            names = self.const("FL", t, [N.camel(f.name) for f in k.flags])
            self.use("flags")
            if words == 0:
                return f"  flagsIn(v, {names}, 0);\n"
            return "".join(
                f"  st.dv.setInt32(p + {4 * w}, flagsIn(v, {names}, {w}), true);\n"
                for w in range(words)
            )
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
                arms.append(
                    f"    case {i}: try {{ {self.store(pt, pay, f'p + {poff}', ctx)} }} "
                    f"catch (e) {{ throw seg(e, {json.dumps(self.payload_seg(t, i))}); }} break;\n"
                )
            if arms:
                out.append("  switch (d) {\n" + "".join(arms) + "  }\n")
            return "".join(out)
        if isinstance(k, (Enum_, Handle)):
            return f"  {self.store(t, 'v', 'p', ctx)}\n"
        raise WitError(f"js target: cannot store {type(k).__name__}")

    def disc_of(self, t: int, v: str, d: str) -> str:
        """Statements setting `d` to the case index of JS value `v`."""
        k = self.r.types[t].kind
        if isinstance(k, Option_):
            if self.nested_option(t):
                return (
                    f"  const {d} = {v} === undefined || {v} === null ? 0 : 1;\n"
                    f'  if ({d} && (typeof {v} !== "object" || !("some" in {v}))) '
                    f'throw tyErr("expected undefined or {{ some: value }}", {v});\n'
                )
            return f"  const {d} = {v} === undefined || {v} === null ? 0 : 1;\n"
        self.use("tagIn")
        tags = self.const("TG", t, [c[0] for c in self.cases(t)])
        return f"  const {d} = tagIn({v}, {tags});\n"

    def payload_of(self, t: int, v: str, i: int) -> str:
        k = self.r.types[t].kind
        if isinstance(k, Option_):
            return f"{v}.some" if self.nested_option(t) else v
        return f"{v}.val"

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
            return (
                f"llist(st, {v}, {self.lay.size(k.type)}, {self.lay.align(k.type)}, "
                f"{self.store_fn(k.type, ctx)})"
            )
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
                '  if (!Array.isArray(v) || v.length !== 2) throw tyErr("expected a [key, value] entry", v);\n'
                f'  try {{ {self.store(k.key, "v[0]", f"p + {koff}", ctx)} }} catch (e) {{ throw seg(e, "[0]"); }}\n'
                f'  try {{ {self.store(k.value, "v[1]", f"p + {voff}", ctx)} }} catch (e) {{ throw seg(e, "[1]"); }}\n'
                "}\n"
            )
            # reading side
            rname = f"_n{self.hkey(t, ctx)}"
            self.helpers[rname] = (
                f"function {rname}(st, p) {{ return [{self.load(k.key, f'p + {koff}', ctx)}, "
                f"{self.load(k.value, f'p + {voff}', ctx)}]; }}\n"
            )
        return size, align, name

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
                lines.append(
                    '  if (v === null || typeof v !== "object") throw tyErr("expected an object", v);\n'
                )
            else:
                segs = [f"[{i}]" for i in range(len(types))]
                vals = [f"v[{i}]" for i in range(len(types))]
                lines.append(
                    f"  if (!Array.isArray(v) || v.length !== {len(types)}) "
                    f'throw tyErr("expected an array of length {len(types)}", v);\n'
                )
            lines.append("  let k = 0;\n  try {\n")
            for i, ty in enumerate(types):
                lines.append(f"    k = {i}; {self.lower_flat_push(ty, vals[i], 'o', ctx)}\n")
            lines.append(f"  }} catch (e) {{ throw seg(e, {json.dumps(segs)}[k]); }}\n")
        elif isinstance(k, FixedList):
            lines.append(
                f"  if (!(Array.isArray(v) || ArrayBuffer.isView(v)) || v.length !== {k.size}) "
                f'throw tyErr("expected an array of length {k.size}", v);\n'
                f"  for (let i = 0; i < {k.size}; i++) {{ try {{ {self.lower_flat_push(k.type, 'v[i]', 'o', ctx)} }} "
                'catch (e) { throw seg(e, "[" + i + "]"); } }\n'
            )
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
                coerce = [
                    self.coerce_in(f"x[{j}]", h.value, joined[j].value) for j, h in enumerate(have)
                ]
                pad = [ZERO[j.value] for j in joined[len(have) :]]
                pay = self.payload_of(t, "v", i)
                lines.append(
                    f"    case {i}: {{ const x = []; try {{ {self.lower_flat_push(pt, pay, 'x', ctx)} }} "
                    f"catch (e) {{ throw seg(e, {json.dumps(self.payload_seg(t, i))}); }} "
                    f"o.push({', '.join(coerce + pad)}); break; }}\n"
                )
            lines.append("  }\n")
        else:
            raise AssertionError(k)
        self.helpers[name] = f"function {name}(st, v, o) {{\n{''.join(lines)}}}\n"
        return name

    def coerce_in(self, x: str, have: str, want: str) -> str:
        """From the case's own flat type `have` to the joined flat type `want`."""
        if have == want:
            return x
        self.use("flat")
        return COERCE_IN[have, want].format(x=x)
