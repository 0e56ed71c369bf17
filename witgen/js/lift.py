"""Lifting (guest -> JS value): per-type load (`_l<id>`) and unflatten (`_g<id>`) helpers, the
ptr/len lifting of strings, lists and maps, and handles received from the guest.
"""

from __future__ import annotations

import json

from witgen.abi import flatten_type
from witgen.abi.layout import discriminant_size, flags_word_count
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


#: (case's flat type, joined flat type) -> JS expression converting a joined value back
COERCE_OUT = {
    ("i32", "i64"): "Number(BigInt.asIntN(32, {x}))",
    ("f32", "i32"): "i2f({x})",
    ("f32", "i64"): "i2f(Number(BigInt.asIntN(32, {x})))",
    ("f64", "i64"): "l2d({x})",
}


class Lifting:
    """Guest memory or flat values -> JS value."""

    def load(self, t: Type, p: str, ctx: str) -> str:
        """An expression loading a value of `t` from address `p`."""
        self.needs_memory = True
        t = self.uid(t)
        if isinstance(t, Prim):
            if t is Prim.STRING:
                self.use(self.rstr)
                return (
                    f"{self.rstr}(st, st.dv.getUint32({p}, true), st.dv.getUint32({p} + 4, true))"
                )
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
                self.helpers[name] = (
                    f"function {name}(st, p) {{ return {self.load(t, 'p', ctx)}; }}\n"
                )
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
                obj = (
                    "{ "
                    + ", ".join(f"{N.prop(N.camel(f.name))}: x{i}" for i, f in enumerate(k.fields))
                    + " }"
                )
            else:
                obj = "[" + ", ".join(vals) + "]"
            lines.append(f"    return {obj};\n")
            lines.append(f"  }} catch (e) {{ throw seg(e, {json.dumps(segs)}[k]); }}\n")
            return "".join(lines).replace("let k = 0, x;", "let k = 0;")
        if isinstance(k, FixedList):
            size = self.lay.size(k.type)
            return (
                f"  const a = new Array({k.size});\n"
                f"  for (let i = 0; i < {k.size}; i++) {{ try {{ a[i] = {self.load(k.type, f'p + i * {size}', ctx)}; }} "
                'catch (e) { throw seg(e, "[" + i + "]"); } }\n  return a;\n'
            )
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
                    lines.append(
                        f"    case {i}: {{ let x; try {{ x = {self.load(pt, f'p + {poff}', ctx)}; }} "
                        f"catch (e) {{ throw seg(e, {seg}); }} return {self.make_case(t, i, 'x')}; }}\n"
                    )
            lines.append(f"  }}\n  throw badTag(d, {len(cases)});\n")
            return "".join(lines)
        raise WitError(f"js target: cannot load {type(k).__name__}")

    def make_case(self, t: int, i: int, payload: str | None) -> str:
        k = self.r.types[t].kind
        if isinstance(k, Option_):
            if i == 0:
                return "undefined"
            return f"{{ some: {payload} }}" if self.nested_option(t) else payload
        tag = json.dumps(self.cases(t)[i][0])
        return f"{{ tag: {tag} }}" if payload is None else f"{{ tag: {tag}, val: {payload} }}"

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
            return (
                f"rlist(st, {p}, {n}, {self.lay.size(k.type)}, {self.lay.align(k.type)}, "
                f"{self.load_fn(k.type, ctx)})"
            )
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
        if isinstance(k, (Enum_, Handle)) or (
            isinstance(k, Flags) and flags_word_count(len(k.flags)) == 1
        ):
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
            segs = (
                ["." + N.camel(f.name) for f in k.fields]
                if isinstance(k, Record)
                else [f"[{i}]" for i in range(len(types))]
            )
            lines.append("  let k = 0;\n  try {\n")
            pos = 0
            for i, ty in enumerate(types):
                lines.append(
                    f"    k = {i}; const x{i} = {self.lift_flat(ty, 'a', f'i + {pos}', ctx)};\n"
                )
                pos += len(flatten_type(self.r, ty))
            if isinstance(k, Record):
                obj = (
                    "{ "
                    + ", ".join(f"{N.prop(N.camel(f.name))}: x{i}" for i, f in enumerate(k.fields))
                    + " }"
                )
            else:
                obj = "[" + ", ".join(f"x{i}" for i in range(len(types))) + "]"
            lines.append(
                f"    return {obj};\n  }} catch (e) {{ throw seg(e, {json.dumps(segs)}[k]); }}\n"
            )
        elif isinstance(k, FixedList):
            n = len(flatten_type(self.r, k.type))
            lines.append(
                f"  const out = new Array({k.size});\n"
                f"  for (let j = 0; j < {k.size}; j++) {{ try {{ out[j] = {self.lift_flat(k.type, 'a', f'i + j * {n}', ctx)}; }} "
                'catch (e) { throw seg(e, "[" + j + "]"); } }\n  return out;\n'
            )
        elif isinstance(k, Flags):
            words = flags_word_count(len(k.flags))
            self.use("flags")
            names = self.const("FL", t, [N.camel(f.name) for f in k.flags])
            lines.append(
                f"  return flagsOut({names}, [{', '.join(f'a[i + {w}]' for w in range(words))}]);\n"
            )
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
                vals = [
                    self.coerce_out(f"a[i + {1 + j}]", h.value, joined[j].value)
                    for j, h in enumerate(have)
                ]
                seg = json.dumps(self.payload_seg(t, ci) or "")
                lines.append(
                    f"    case {ci}: {{ const b = [{', '.join(vals)}]; let x; "
                    f"try {{ x = {self.lift_flat(pt, 'b', 0, ctx)}; }} catch (e) {{ throw seg(e, {seg}); }} "
                    f"return {self.make_case(t, ci, 'x')}; }}\n"
                )
            lines.append(f"  }}\n  throw badTag(d, {len(cases)});\n")
        else:
            raise AssertionError(k)
        self.helpers[name] = f"function {name}(st, a, i) {{\n{''.join(lines)}}}\n"
        return name

    def coerce_out(self, x: str, have: str, want: str) -> str:
        """From the joined flat type `want` back to the case's own flat type `have`."""
        if have == want:
            return x
        self.use("flat")
        return COERCE_OUT[have, want].format(x=x)

    def lift_can_fail(self, t: Type | None) -> bool:
        if t is None:
            return False
        t = self.uid(t)
        if isinstance(t, Prim):
            return t in (Prim.CHAR, Prim.STRING)
        return True
