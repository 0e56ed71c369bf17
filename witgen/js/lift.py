"""Lifting (guest -> JS value), rendered from the ABI plan's shapes: per-type load (`_l<id>`) and
unflatten (`_g<id>`) helpers, the ptr/len lifting of strings, lists and maps, and handles received
from the guest.
"""

from __future__ import annotations

import json
from collections.abc import Callable

from witgen.abi.plan import Direction, WorldPlan
from witgen.abi.shapes import (
    AsyncValueShape,
    EnumShape,
    FixedListShape,
    FlagsShape,
    HandleShape,
    ListShape,
    MapShape,
    PrimShape,
    RecordShape,
    Shape,
    VariantKind,
    VariantShape,
)
from witgen.model import Prim, Type

from . import names as N
from . import runtime
from .asyncvals import AsyncValues
from .dataview import DV, le
from .emitted import UINT, Emitted
from .options import JsOptions

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

#: a map shape and direction -> the name of its entry storer (`_m<id>`); the entry loader is
#: `_n<id>`, emitted with it (see `Lowerer.map_entry`)
MapEntries = Callable[[MapShape, Direction], str]


def member_segs(shape: RecordShape) -> list[str]:
    """The path segment of each member in error messages (`.field` or `[i]`)."""
    if shape.is_tuple:
        return [f"[{i}]" for i in range(len(shape.members))]
    return ["." + N.camel(m.name or "") for m in shape.members]


def payload_seg(shape: VariantShape) -> str:
    """The path segment of a case's payload in error messages."""
    if shape.kind is VariantKind.OPTION:
        return ".some" if shape.nested_option else ""
    return ".val"


def flag_names(shape: FlagsShape) -> list[str]:
    return [N.camel(f) for f in shape.names]


class Lifter:
    """Guest memory or flat values -> JS value."""

    def __init__(self, plan: WorldPlan, out: Emitted, opts: JsOptions) -> None:
        self.plan = plan
        self.out = out
        self.opts = opts
        #: set by the `Lowerer`, which emits map entry helpers in pairs
        self.map_entries: MapEntries | None = None
        self.asyncs = AsyncValues(plan, out)
        self.asyncs.lift = self

    def load(self, t: Type, p: str, d: Direction) -> str:
        """An expression loading a value of `t` from address `p`."""
        shape = self.plan.shape(t)
        match shape:
            case PrimShape(prim=Prim.STRING):
                self.out.use(self.opts.rstr)
                return (
                    f"{self.opts.rstr}(st, st.dv.getUint32({p}, true), "
                    f"st.dv.getUint32({p} + 4, true))"
                )
            case PrimShape(prim=Prim.ERROR_CONTEXT) | AsyncValueShape():
                return self.lift_flat_direct(shape, f"st.dv.getUint32({p}, true)", d)
            case PrimShape(prim=prim):
                dv, size = DV[prim]
                raw = f"st.dv.get{dv}({p}{le(size)})"
                if prim is Prim.BOOL:
                    return f"{raw} !== 0"
                if prim is Prim.CHAR:
                    self.out.use("chr")
                    return f"rchr({raw})"
                return raw
            case EnumShape() | HandleShape():
                return self._load_direct(shape, p, d)
            case FlagsShape() if 0 < shape.size <= 4:
                return self._load_direct(shape, p, d)
        return f"{self.load_fn(t, d)}(st, {p})"

    def _load_direct(self, shape: Shape, p: str, d: Direction) -> str:
        raw = f"st.dv.get{UINT[shape.size]}({p}{le(shape.size)})"
        return self.lift_flat_direct(shape, raw, d)

    def load_fn(self, t: Type, d: Direction) -> str:
        shape = self.plan.shape(t)
        if isinstance(shape, PrimShape):
            name = f"_l_{shape.prim.value.replace('-', '_')}"
            return self.out.helper(
                name,
                lambda: f"function {name}(st, p) {{ return {self.load(t, 'p', d)}; }}\n",
                reserve=False,
            )
        name = f"_l{self.out.helper_suffix(shape.tid, shape.facts.has_handle, d)}"
        return self.out.helper(
            name, lambda: f"function {name}(st, p) {{\n{self._load_body(shape, d)}}}\n"
        )

    def _load_body(self, shape: Shape, d: Direction) -> str:
        self.out.use("Fault")
        match shape:
            case RecordShape():
                return self._load_record(shape, d)
            case FixedListShape():
                load = self.load(shape.element, f"p + i * {shape.elem_size}", d)
                return (
                    f"  const a = new Array({shape.length});\n"
                    f"  for (let i = 0; i < {shape.length}; i++) {{ try {{ a[i] = {load}; }} "
                    'catch (e) { throw seg(e, "[" + i + "]"); } }\n  return a;\n'
                )
            case ListShape() | MapShape():
                lifted = self.lift_ptr_len(
                    shape, "st.dv.getUint32(p, true)", "st.dv.getUint32(p + 4, true)", d
                )
                return f"  return {lifted};\n"
            case EnumShape() | HandleShape() | AsyncValueShape():
                return f"  return {self.load(shape.tid, 'p', d)};\n"
            case FlagsShape():
                names = self.out.const("FL", shape.tid, flag_names(shape))
                self.out.use("flags")
                ws = ", ".join(f"st.dv.getInt32(p + {4 * w}, true)" for w in range(shape.words))
                return f"  return flagsOut({names}, [{ws}]);\n"
            case VariantShape():
                return self._load_variant(shape, d)
        raise AssertionError(f"js target: cannot load {type(shape).__name__}")

    def _load_record(self, shape: RecordShape, d: Direction) -> str:
        lines = ["  let k = 0;\n  try {\n"]
        for i, m in enumerate(shape.members):
            lines.append(f"    k = {i}; const x{i} = {self.load(m.type, f'p + {m.offset}', d)};\n")
        lines.append(f"    return {self._build(shape)};\n")
        lines.append(f"  }} catch (e) {{ throw seg(e, {json.dumps(member_segs(shape))}[k]); }}\n")
        return "".join(lines)

    @staticmethod
    def _build(shape: RecordShape) -> str:
        """The JS object/array of a record/tuple from its members' values `x0`, `x1`, ..."""
        if shape.is_tuple:
            return "[" + ", ".join(f"x{i}" for i in range(len(shape.members))) + "]"
        fields = (f"{N.prop(N.camel(m.name or ''))}: x{i}" for i, m in enumerate(shape.members))
        return "{ " + ", ".join(fields) + " }"

    def _load_variant(self, shape: VariantShape, d: Direction) -> str:
        self.out.use("tagIn")
        get = f"st.dv.get{UINT[shape.disc_size]}(p{le(shape.disc_size)})"
        lines = [f"  const d = {get};\n  switch (d) {{\n"]
        seg = json.dumps(payload_seg(shape))
        for i, case in enumerate(shape.cases):
            if case.type is None:
                lines.append(f"    case {i}: return {self.make_case(shape, i, None)};\n")
            else:
                load = self.load(case.type, f"p + {shape.payload_offset}", d)
                lines.append(
                    f"    case {i}: {{ let x; try {{ x = {load}; }} "
                    f"catch (e) {{ throw seg(e, {seg}); }} return {self.make_case(shape, i, 'x')}; }}\n"
                )
        lines.append(f"  }}\n  throw badTag(d, {len(shape.cases)});\n")
        return "".join(lines)

    @staticmethod
    def make_case(shape: VariantShape, i: int, payload: str | None) -> str:
        """The JS value of case `i` with JS payload expression `payload`."""
        if shape.kind is VariantKind.OPTION:
            if i == 0:
                return "undefined"
            return f"{{ some: {payload} }}" if shape.nested_option else str(payload)
        tag = json.dumps(shape.cases[i].name)
        return f"{{ tag: {tag} }}" if payload is None else f"{{ tag: {tag}, val: {payload} }}"

    def lift_ptr_len(self, shape: Shape, p: str, n: str, d: Direction) -> str:
        """A string/list/map from its pointer `p` and length `n`."""
        match shape:
            case PrimShape(prim=Prim.STRING):
                self.out.use(self.opts.rstr)
                return f"{self.opts.rstr}(st, {p}, {n})"
            case ListShape(numeric=Prim() as e) if e.value in runtime.NUMERIC_ARRAYS:
                self.out.use("rnum", f"K_{e.value}")
                return f"rnum(st, {p}, {n}, K_{e.value})"
            case ListShape():
                self.out.use("rlist")
                load = self.load_fn(shape.element, d)
                return f"rlist(st, {p}, {n}, {shape.elem_size}, {shape.elem_align}, {load})"
            case MapShape():
                self.out.use("rlist")
                assert self.map_entries is not None
                fn = self.map_entries(shape, d)
                size, align = shape.entry_size, shape.entry_align
                return f"new Map(rlist(st, {p}, {n}, {size}, {align}, _n{fn[2:]}))"
        raise AssertionError(shape)

    def lift_flat_direct(
        self, shape: Shape, x: str, d: Direction, what: str | None = None
    ) -> str:
        """JS value of a direct type (one flat value, no helper) from flat value `x` (`what`
        names a future/stream/error-context in errors)."""
        match shape:
            case PrimShape(prim=Prim.ERROR_CONTEXT) | AsyncValueShape():
                return self.asyncs.lift_expr(shape, x, d, what)
            case PrimShape(prim=prim):
                if prim is Prim.CHAR:
                    self.out.use("chr")
                return LIFT_FLAT_PRIM[prim].format(x)
            case EnumShape():
                self.out.use("enm")
                return f"enumOut({x}, {self.out.const('EN', shape.tid, shape.names)})"
            case FlagsShape():
                self.out.use("flags")
                return f"flagsOut({self.out.const('FL', shape.tid, flag_names(shape))}, [{x}])"
            case HandleShape():
                return self._lift_handle(shape, x, d)
        raise AssertionError(shape)

    def _lift_handle(self, shape: HandleShape, x: str, d: Direction) -> str:
        rid = shape.resource
        self.out.use("Tbl")
        if self.plan.guest_defines(rid, d):
            self.out.use("xres")
            if shape.own:
                return f"wrapRes(st.C{rid}, st.g{rid}.take({x}, true))"
            return f"borrowRes(st.C{rid}, st.g{rid}.get({x}))"
        if shape.own:
            return f"st.h{rid}.take({x}, true)"
        return f"st.h{rid}.get({x})"

    def lift_flat(self, t: Type, arr: str, off: int | str, d: Direction) -> str:
        """JS value of `t` from flat values `arr[off...]`."""

        def at(j: int) -> str:
            if isinstance(off, int):
                return f"{arr}[{off + j}]"
            return f"{arr}[{off} + {j}]"

        shape = self.plan.shape(t)
        if shape.facts.ptr_len:
            return self.lift_ptr_len(shape, at(0), at(1), d)
        if shape.facts.direct:
            return self.lift_flat_direct(shape, at(0), d)
        return f"{self.unflat_fn(shape, d)}(st, {arr}, {off})"

    def unflat_fn(self, shape: Shape, d: Direction) -> str:
        assert not isinstance(shape, PrimShape)
        name = f"_g{self.out.helper_suffix(shape.tid, shape.facts.has_handle, d)}"
        return self.out.helper(
            name, lambda: f"function {name}(st, a, i) {{\n{self._unflat_body(shape, d)}}}\n"
        )

    def _unflat_body(self, shape: Shape, d: Direction) -> str:
        self.out.use("Fault")
        match shape:
            case RecordShape():
                lines = ["  let k = 0;\n  try {\n"]
                for i, m in enumerate(shape.members):
                    x = self.lift_flat(m.type, "a", f"i + {m.flat_start}", d)
                    lines.append(f"    k = {i}; const x{i} = {x};\n")
                segs = json.dumps(member_segs(shape))
                lines.append(
                    f"    return {self._build(shape)};\n  }} catch (e) {{ throw seg(e, {segs}[k]); }}\n"
                )
                return "".join(lines)
            case FixedListShape():
                x = self.lift_flat(shape.element, "a", f"i + j * {shape.elem_flat_count}", d)
                return (
                    f"  const out = new Array({shape.length});\n"
                    f"  for (let j = 0; j < {shape.length}; j++) {{ try {{ out[j] = {x}; }} "
                    'catch (e) { throw seg(e, "[" + j + "]"); } }\n  return out;\n'
                )
            case FlagsShape():
                self.out.use("flags")
                names = self.out.const("FL", shape.tid, flag_names(shape))
                ws = ", ".join(f"a[i + {w}]" for w in range(shape.words))
                return f"  return flagsOut({names}, [{ws}]);\n"
            case VariantShape():
                return self._unflat_variant(shape, d)
        raise AssertionError(shape)

    def _unflat_variant(self, shape: VariantShape, d: Direction) -> str:
        self.out.use("tagIn")
        lines = ["  const d = a[i];\n  switch (d) {\n"]
        seg = json.dumps(payload_seg(shape))
        for ci, case in enumerate(shape.cases):
            if case.type is None:
                lines.append(f"    case {ci}: return {self.make_case(shape, ci, None)};\n")
                continue
            vals = [
                self._coerce_out(f"a[i + {1 + j}]", have.value, want.value)
                for j, (have, want) in enumerate(case.coercions)
            ]
            lines.append(
                f"    case {ci}: {{ const b = [{', '.join(vals)}]; let x; "
                f"try {{ x = {self.lift_flat(case.type, 'b', 0, d)}; }} catch (e) {{ throw seg(e, {seg}); }} "
                f"return {self.make_case(shape, ci, 'x')}; }}\n"
            )
        lines.append(f"  }}\n  throw badTag(d, {len(shape.cases)});\n")
        return "".join(lines)

    def _coerce_out(self, x: str, have: str, want: str) -> str:
        """From the joined flat type `want` back to the case's own flat type `have`."""
        if have == want:
            return x
        self.out.use("flat")
        return COERCE_OUT[have, want].format(x=x)

    def can_fail(self, t: Type | None) -> bool:
        """Whether lifting a value of `t` may throw (a bad char, string, tag or handle)."""
        if t is None:
            return False
        shape = self.plan.shape(t)
        if isinstance(shape, PrimShape):
            return shape.prim in (Prim.CHAR, Prim.STRING, Prim.ERROR_CONTEXT)
        return True
