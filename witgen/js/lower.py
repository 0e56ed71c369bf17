"""Lowering (JS value -> guest), rendered from the ABI plan's shapes: per-type store (`_s<id>`) and
flatten (`_f<id>`) helpers, the ptr/len lowering of strings, lists and maps, handles given to the
guest, and the checks of JS values against their WIT types.
"""

from __future__ import annotations

import json

from witgen.abi.plan import Direction, WorldPlan
from witgen.abi.shapes import (
    AsyncValueShape,
    EnumShape,
    FixedListShape,
    FlagsShape,
    HandleShape,
    ListShape,
    MapShape,
    Member,
    PrimShape,
    RecordShape,
    Shape,
    VariantKind,
    VariantShape,
)
from witgen.model import Prim, Type

from . import names as N
from . import runtime
from .dataview import DV, le
from .emitted import UINT, Emitted
from .lift import Lifter, flag_names, member_segs, payload_seg
from .options import JsOptions

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

_OBJECT_CHECK = '  if (v === null || typeof v !== "object") throw tyErr("expected an object", v);\n'


def _array_check(n: int) -> str:
    return f'  if (!Array.isArray(v) || v.length !== {n}) throw tyErr("expected an array of length {n}", v);\n'


def _fixed_check(n: int) -> str:
    return (
        f"  if (!(Array.isArray(v) || ArrayBuffer.isView(v)) || v.length !== {n}) "
        f'throw tyErr("expected an array of length {n}", v);\n'
    )


class Lowerer:
    """JS value -> guest memory or flat values."""

    def __init__(self, plan: WorldPlan, out: Emitted, opts: JsOptions, lift: Lifter) -> None:
        self.plan = plan
        self.out = out
        self.opts = opts
        self.lift = lift
        lift.map_entries = self.map_entry
        lift.asyncs.lower = self

    def store(self, t: Type, v: str, p: str, d: Direction) -> str:
        """A statement storing JS value `v` at address `p`."""
        shape = self.plan.shape(t)
        match shape:
            case PrimShape(prim=Prim.STRING):
                pass
            case PrimShape(prim=Prim.ERROR_CONTEXT) | AsyncValueShape():
                return f"st.dv.setUint32({p}, {self.lower_flat_expr(t, v, d)}, true);"
            case PrimShape(prim=prim):
                dv, size = DV[prim]
                self.out.use(CHECK[prim])
                return f"st.dv.set{dv}({p}, {CHECK[prim]}({v}){le(size)});"
            case EnumShape() | HandleShape() | FlagsShape() if shape.size <= 4:
                if shape.size == 0:
                    return f"{self.lower_flat_expr(t, v, d)};"
                x = self.lower_flat_expr(t, v, d)
                return f"st.dv.set{UINT[shape.size]}({p}, {x}{le(shape.size)});"
        return f"{self.store_fn(t, d)}(st, {v}, {p});"

    def store_fn(self, t: Type, d: Direction) -> str:
        """Name of a `(st, v, p)` function storing a value of `t` (generated on first use)."""
        shape = self.plan.shape(t)
        if isinstance(shape, PrimShape):
            name = f"_s_{shape.prim.value.replace('-', '_')}"
            return self.out.helper(
                name,
                lambda: f"function {name}(st, v, p) {{ {self._store_prim(shape.prim, d)} }}\n",
                False,
            )
        name = f"_s{self.out.helper_suffix(shape.tid, shape.facts.has_handle, d)}"
        return self.out.helper(
            name, lambda: f"function {name}(st, v, p) {{\n{self._store_body(shape, d)}}}\n"
        )

    def _store_prim(self, t: Prim, d: Direction) -> str:
        # `t` is the primitive itself, never an alias of it (an alias of `string` would come
        # back here through `store` forever)
        if t is Prim.STRING:
            self.out.use(self.opts.lstr)
            return (
                f"const q = {self.opts.lstr}(st, v); st.dv.setUint32(p, q, true); "
                "st.dv.setUint32(p + 4, st.n, true);"
            )
        return self.store(t, "v", "p", d)

    def _store_body(self, shape: Shape, d: Direction) -> str:
        self.out.use("Fault")
        match shape:
            case RecordShape():
                return self._store_record(shape, d)
            case FixedListShape():
                store = self.store(shape.element, "v[i]", f"p + i * {shape.elem_size}", d)
                return _fixed_check(shape.length) + (
                    f"  for (let i = 0; i < {shape.length}; i++) {{ try {{ {store} }} "
                    'catch (e) { throw seg(e, "[" + i + "]"); } }\n'
                )
            case ListShape() | MapShape():
                ptr = self.lower_ptr_len(shape, "v", d)
                return f"  const q = {ptr}; st.dv.setUint32(p, q, true); st.dv.setUint32(p + 4, st.n, true);\n"
            case FlagsShape():
                names = self.out.const("FL", shape.tid, flag_names(shape))
                self.out.use("flags")
                if shape.words == 0:
                    return f"  flagsIn(v, {names}, 0);\n"
                return "".join(
                    f"  st.dv.setInt32(p + {4 * w}, flagsIn(v, {names}, {w}), true);\n"
                    for w in range(shape.words)
                )
            case VariantShape():
                return self._store_variant(shape, d)
            case EnumShape() | HandleShape() | AsyncValueShape():
                return f"  {self.store(shape.tid, 'v', 'p', d)}\n"
        raise AssertionError(f"js target: cannot store {type(shape).__name__}")

    def _member_values(self, shape: RecordShape) -> tuple[str, list[str]]:
        """The input check of a record/tuple and the JS expression of each member."""
        if shape.is_tuple:
            return _array_check(len(shape.members)), [f"v[{i}]" for i in range(len(shape.members))]
        self.out.use("own")
        return _OBJECT_CHECK, [self._field(m) for m in shape.members]

    def _field(self, m: Member) -> str:
        """A record field read from the value's own properties; only an option may be absent."""
        shape = self.plan.shape(m.type)
        optional = isinstance(shape, VariantShape) and shape.kind is VariantKind.OPTION
        return f"{'own' if optional else 'field'}(v, {N.js_str(N.camel(m.name or ''))})"

    def _store_record(self, shape: RecordShape, d: Direction) -> str:
        check, vals = self._member_values(shape)
        lines = [check, "  let k = 0;\n  try {\n"]
        for i, m in enumerate(shape.members):
            lines.append(f"    k = {i}; {self.store(m.type, vals[i], f'p + {m.offset}', d)}\n")
        lines.append(f"  }} catch (e) {{ throw seg(e, {json.dumps(member_segs(shape))}[k]); }}\n")
        return "".join(lines)

    def _store_variant(self, shape: VariantShape, d: Direction) -> str:
        disc = shape.disc_size
        out = [self._disc_of(shape), f"  st.dv.set{UINT[disc]}(p, d{le(disc)});\n"]
        arms = []
        seg = json.dumps(payload_seg(shape))
        for i, case in enumerate(shape.cases):
            if case.type is None:
                continue
            pay = self._payload_of(shape)
            store = self.store(case.type, pay, f"p + {shape.payload_offset}", d)
            arms.append(
                f"    case {i}: try {{ {store} }} catch (e) {{ throw seg(e, {seg}); }} break;\n"
            )
        if arms:
            out.append("  switch (d) {\n" + "".join(arms) + "  }\n")
        return "".join(out)

    def _disc_of(self, shape: VariantShape) -> str:
        """Statements setting `d` to the case index of the JS value `v`."""
        if shape.kind is VariantKind.OPTION:
            none = "  const d = v === undefined || v === null ? 0 : 1;\n"
            if shape.nested_option:
                return none + (
                    '  if (d && (typeof v !== "object" || !Object.hasOwn(v, "some"))) '
                    'throw tyErr("expected undefined or { some: value }", v);\n'
                )
            return none
        self.out.use("tagIn")
        tags = self.out.const("TG", shape.tid, [c.name for c in shape.cases])
        return f"  const d = tagIn(v, {tags});\n"

    def _payload_of(self, shape: VariantShape) -> str:
        if shape.kind is VariantKind.OPTION:
            return "v.some" if shape.nested_option else "v"
        self.out.use("own")
        return 'own(v, "val")'

    def lower_ptr_len(self, shape: Shape, v: str, d: Direction) -> str:
        """An expression lowering a string/list/map into guest memory: returns ptr, sets st.n."""
        match shape:
            case PrimShape(prim=Prim.STRING):
                self.out.use(self.opts.lstr)
                return f"{self.opts.lstr}(st, {v})"
            case ListShape(numeric=Prim() as e) if e.value in runtime.NUMERIC_ARRAYS:
                self.out.use("lnum", f"K_{e.value}")
                return f"lnum(st, {v}, K_{e.value})"
            case ListShape():
                self.out.use("llist")
                put = self.store_fn(shape.element, d)
                return f"llist(st, {v}, {shape.elem_size}, {shape.elem_align}, {put})"
            case MapShape():
                self.out.use("llist", "mapIn")
                fn = self.map_entry(shape, d)
                return f"llist(st, mapIn({v}), {shape.entry_size}, {shape.entry_align}, {fn})"
        raise AssertionError(shape)

    def map_entry(self, shape: MapShape, d: Direction) -> str:
        """`_m<id>` storing a `[key, value]` entry; emits the entry loader `_n<id>` with it."""
        suffix = self.out.helper_suffix(shape.tid, shape.facts.has_handle, d)
        name = f"_m{suffix}"
        if name in self.out.helpers:
            return name
        koff, voff = shape.key_offset, shape.value_offset

        def storer() -> str:
            return (
                f"function {name}(st, v, p) {{\n"
                '  if (!Array.isArray(v) || v.length !== 2) throw tyErr("expected a [key, value] entry", v);\n'
                f'  try {{ {self.store(shape.key, "v[0]", f"p + {koff}", d)} }} catch (e) {{ throw seg(e, "[0]"); }}\n'
                f'  try {{ {self.store(shape.value, "v[1]", f"p + {voff}", d)} }} catch (e) {{ throw seg(e, "[1]"); }}\n'
                "}\n"
            )

        def loader() -> str:
            key = self.lift.load(shape.key, f"p + {koff}", d)
            value = self.lift.load(shape.value, f"p + {voff}", d)
            return f"function _n{suffix}(st, p) {{ return [{key}, {value}]; }}\n"

        self.out.helper(name, storer, reserve=False)
        self.out.helper(f"_n{suffix}", loader, reserve=False)
        return name

    def lower_flat_expr(self, t: Type, v: str, d: Direction, what: str | None = None) -> str:
        """One flat value of a direct type (`what` names a future/stream in errors)."""
        shape = self.plan.shape(t)
        match shape:
            case PrimShape(prim=Prim.ERROR_CONTEXT) | AsyncValueShape():
                return self.lift.asyncs.lower_expr(shape, v, d, what)
            case PrimShape(prim=prim):
                self.out.use(CHECK[prim])
                return f"{CHECK[prim]}({v})"
            case EnumShape():
                self.out.use("enm")
                return f"enumIn({v}, {self.out.const('EN', shape.tid, shape.names)})"
            case FlagsShape():
                self.out.use("flags")
                return f"flagsIn({v}, {self.out.const('FL', shape.tid, flag_names(shape))}, 0)"
            case HandleShape():
                return self._lower_handle(shape, v, d)
        raise AssertionError(shape)

    def _lower_handle(self, shape: HandleShape, v: str, d: Direction) -> str:
        rid = shape.resource
        if self.plan.guest_defines(rid, d):
            self.out.use("xres")
            if shape.own:
                self.out.use("Tbl")
                return f"st.g{rid}.add(repOf(st.C{rid}, {v}, true), 1)"
            return f"repOf(st.C{rid}, {v}, false)"
        self.out.use("ires", "Tbl")
        name = json.dumps(N.type_name(self.plan.resolve.types[rid].name or ""))
        if shape.own:
            return f"st.h{rid}.add(hostRes({v}, st.R{rid}, {name}), 1)"
        return f"lend(st, st.h{rid}, hostRes({v}, st.R{rid}, {name}))"

    def lower_flat_push(self, t: Type, v: str, o: str, d: Direction) -> str:
        """A statement pushing the flat values of `v` onto array `o`."""
        shape = self.plan.shape(t)
        if shape.facts.direct:
            return f"{o}.push({self.lower_flat_expr(t, v, d)});"
        if shape.facts.ptr_len:
            return f"{o}.push({self.lower_ptr_len(shape, v, d)}, st.n);"
        return f"{self.flat_fn(shape, d)}(st, {v}, {o});"

    def flat_fn(self, shape: Shape, d: Direction) -> str:
        assert not isinstance(shape, PrimShape)
        name = f"_f{self.out.helper_suffix(shape.tid, shape.facts.has_handle, d)}"
        return self.out.helper(
            name, lambda: f"function {name}(st, v, o) {{\n{self._flat_body(shape, d)}}}\n"
        )

    def _flat_body(self, shape: Shape, d: Direction) -> str:
        self.out.use("Fault")
        match shape:
            case RecordShape():
                check, vals = self._member_values(shape)
                lines = [check, "  let k = 0;\n  try {\n"]
                for i, m in enumerate(shape.members):
                    lines.append(f"    k = {i}; {self.lower_flat_push(m.type, vals[i], 'o', d)}\n")
                segs = json.dumps(member_segs(shape))
                lines.append(f"  }} catch (e) {{ throw seg(e, {segs}[k]); }}\n")
                return "".join(lines)
            case FixedListShape():
                push = self.lower_flat_push(shape.element, "v[i]", "o", d)
                return _fixed_check(shape.length) + (
                    f"  for (let i = 0; i < {shape.length}; i++) {{ try {{ {push} }} "
                    'catch (e) { throw seg(e, "[" + i + "]"); } }\n'
                )
            case FlagsShape():
                names = self.out.const("FL", shape.tid, flag_names(shape))
                self.out.use("flags")
                if shape.words == 0:
                    return f"  flagsIn(v, {names}, 0);\n"
                return "".join(f"  o.push(flagsIn(v, {names}, {w}));\n" for w in range(shape.words))
            case VariantShape():
                return self._flat_variant(shape, d)
        raise AssertionError(shape)

    def _flat_variant(self, shape: VariantShape, d: Direction) -> str:
        lines = [self._disc_of(shape), "  o.push(d);\n  switch (d) {\n"]
        seg = json.dumps(payload_seg(shape))
        for i, case in enumerate(shape.cases):
            pad = [ZERO[j.value] for j in case.padding]
            if case.type is None:
                push = f"o.push({', '.join(pad)});" if pad else ""
                lines.append(f"    case {i}: {push} break;\n")
                continue
            coerce = [
                self._coerce_in(f"x[{j}]", have.value, want.value)
                for j, (have, want) in enumerate(case.coercions)
            ]
            pay = self.lower_flat_push(case.type, self._payload_of(shape), "x", d)
            lines.append(
                f"    case {i}: {{ const x = []; try {{ {pay} }} "
                f"catch (e) {{ throw seg(e, {seg}); }} "
                f"o.push({', '.join(coerce + pad)}); break; }}\n"
            )
        lines.append("  }\n")
        return "".join(lines)

    def _coerce_in(self, x: str, have: str, want: str) -> str:
        """From the case's own flat type `have` to the joined flat type `want`."""
        if have == want:
            return x
        self.out.use("flat")
        return COERCE_IN[have, want].format(x=x)
