"""Sizes, alignments, flattening and core signatures on cases worked out by hand.

Every expected value below was computed by hand from CanonicalABI.md (`elem_size`,
`alignment`, `flatten_type`, `join`, `flatten_functype`), not by running witgen.
"""

from __future__ import annotations

import gc

import pytest

from witgen.abi import (
    AbiVariant,
    CoreType,
    export_signature,
    flatten_type,
    import_signature,
    layout_of,
    memo,
    names,
    needs_post_return,
    post_return_signature,
    signature,
    task_return_signature,
    world_contract,
)
from witgen.abi.futures import futures_and_streams
from witgen.abi.layout import align_to, discriminant_size
from witgen.model import (
    Case,
    Enum_,
    EnumCase,
    Field,
    FixedList,
    Flag,
    Flags,
    Function,
    FunctionItem,
    Future,
    Handle,
    Interface,
    InterfaceItem,
    List,
    Map,
    Option_,
    Package,
    PackageName,
    Param,
    Prim,
    Record,
    Resolve,
    Resource,
    Result_,
    Stream,
    Tuple,
    Type,
    TypeDef,
    Variant,
    World,
)

P = Prim
I32, I64, F32, F64 = CoreType.I32, CoreType.I64, CoreType.F32, CoreType.F64


class Types:
    """A `Resolve` whose type arena is filled by hand."""

    def __init__(self) -> None:
        self.resolve = Resolve()

    def add(self, kind, name: str | None = None) -> int:
        self.resolve.types.append(TypeDef(name, kind, None))
        return len(self.resolve.types) - 1

    def record(self, *types: Type) -> int:
        return self.add(Record([Field(f"f{i}", t) for i, t in enumerate(types)]))

    def variant(self, *payloads: Type | None) -> int:
        return self.add(Variant([Case(f"c{i}", t) for i, t in enumerate(payloads)]))

    def flags(self, n: int) -> int:
        return self.add(Flags([Flag(f"f{i}") for i in range(n)]))

    def enum(self, n: int) -> int:
        return self.add(Enum_([EnumCase(f"e{i}") for i in range(n)]))

    def size_align(self, t: Type) -> tuple[int, int]:
        lay = layout_of(self.resolve)
        return (lay.size(t), lay.align(t))

    def flat(self, t: Type) -> list[CoreType]:
        return flatten_type(self.resolve, t)


@pytest.fixture
def ts() -> Types:
    return Types()


# --- layout ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("prim", "size", "align"),
    [
        (P.BOOL, 1, 1),
        (P.U8, 1, 1),
        (P.S8, 1, 1),
        (P.U16, 2, 2),
        (P.S16, 2, 2),
        (P.U32, 4, 4),
        (P.S32, 4, 4),
        (P.F32, 4, 4),
        (P.CHAR, 4, 4),
        (P.U64, 8, 8),
        (P.S64, 8, 8),
        (P.F64, 8, 8),
        (P.STRING, 8, 4),
        (P.ERROR_CONTEXT, 4, 4),
    ],
)
def test_primitive_layout(ts: Types, prim: Prim, size: int, align: int) -> None:
    assert ts.size_align(prim) == (size, align)


def test_record_padding(ts: Types) -> None:
    # u8 @0, u32 @4, u16 @8 -> 10 bytes, rounded up to align 4 -> 12
    r = ts.record(P.U8, P.U32, P.U16)
    assert ts.size_align(r) == (12, 4)
    assert layout_of(ts.resolve).record_offsets([P.U8, P.U32, P.U16]) == [0, 4, 8]
    # u8 @0, u64 @8 -> 16, align 8
    assert ts.size_align(ts.record(P.U8, P.U64)) == (16, 8)
    # empty record: size 0, align 1
    assert ts.size_align(ts.record()) == (0, 1)


def test_tuple_layout(ts: Types) -> None:
    # u8 @0, u16 @2, u8 @4 -> 5 -> 6 (align 2)
    assert ts.size_align(ts.add(Tuple([P.U8, P.U16, P.U8]))) == (6, 2)
    # string @0 (8 bytes), f64 @8 -> 16, align 8
    assert ts.size_align(ts.add(Tuple([P.STRING, P.F64]))) == (16, 8)


def test_lists_and_maps_are_pointer_and_length(ts: Types) -> None:
    assert ts.size_align(ts.add(List(P.U64))) == (8, 4)
    assert ts.size_align(ts.add(Map(P.STRING, P.U64))) == (8, 4)


def test_fixed_list_is_inline(ts: Types) -> None:
    assert ts.size_align(ts.add(FixedList(P.U16, 4))) == (8, 2)
    # point = {f32 @0, f64 @8, u8 @16} -> 17 -> 24 (align 8); two of them: 48
    point = ts.record(P.F32, P.F64, P.U8)
    assert ts.size_align(point) == (24, 8)
    assert ts.size_align(ts.add(FixedList(point, 2))) == (48, 8)


def test_option_and_result(ts: Types) -> None:
    # discriminant u8 then payload at its alignment
    assert ts.size_align(ts.add(Option_(P.U8))) == (2, 1)
    assert ts.size_align(ts.add(Option_(P.U32))) == (8, 4)
    assert ts.size_align(ts.add(Option_(P.U64))) == (16, 8)
    # result<u32, string>: payload align 4, max payload 8 -> 4 + 8 = 12
    assert ts.size_align(ts.add(Result_(P.U32, P.STRING))) == (12, 4)
    # bare result: just the discriminant
    assert ts.size_align(ts.add(Result_(None, None))) == (1, 1)


def test_discriminant_grows_with_case_count(ts: Types) -> None:
    assert [discriminant_size(n) for n in (1, 2, 256, 257, 65536, 65537)] == [1, 1, 1, 2, 2, 4]
    assert ts.size_align(ts.enum(3)) == (1, 1)
    assert ts.size_align(ts.enum(256)) == (1, 1)
    assert ts.size_align(ts.enum(257)) == (2, 2)
    # 257 cases, one u8 payload: u16 discriminant, payload @2, 3 bytes -> 4 (align 2)
    assert ts.size_align(ts.variant(P.U8, *([None] * 256))) == (4, 2)
    # variant { a(u8), b(u64) }: u8 discriminant, payload @8, 16 bytes, align 8
    assert ts.size_align(ts.variant(P.U8, P.U64)) == (16, 8)


@pytest.mark.parametrize(
    ("count", "size", "align"),
    [(1, 1, 1), (8, 1, 1), (9, 2, 2), (16, 2, 2), (17, 4, 4), (32, 4, 4)],
)
def test_flags_layout(ts: Types, count: int, size: int, align: int) -> None:
    assert ts.size_align(ts.flags(count)) == (size, align)


def test_handles_futures_streams_are_i32(ts: Types) -> None:
    res = ts.add(Resource(), "r")
    for kind in (Handle("own", res), Handle("borrow", res), Future(P.U64), Stream(None)):
        assert ts.size_align(ts.add(kind)) == (4, 4)


def test_nested_and_aliases(ts: Types) -> None:
    from witgen.model import Alias

    opt = ts.add(Option_(P.U8))  # 2/1
    inner = ts.record(opt, P.U64)  # opt @0, u64 @8 -> 16/8
    alias = ts.add(Alias(inner))
    assert ts.size_align(alias) == (16, 8)
    assert ts.flat(alias) == [I32, I32, I64]


def test_align_to() -> None:
    assert [align_to(x, 4) for x in (0, 1, 4, 5)] == [0, 4, 4, 8]


def test_layouts_are_memoized_per_resolve(ts: Types) -> None:
    assert layout_of(ts.resolve) is layout_of(ts.resolve)
    other = Types()
    assert layout_of(other.resolve) is not layout_of(ts.resolve)
    key = id(other.resolve)
    del other
    gc.collect()
    assert (key, "layout") not in memo._MEMOS


# --- flattening -----------------------------------------------------------------------------


def test_flatten_scalars_and_pointers(ts: Types) -> None:
    assert ts.flat(P.STRING) == [I32, I32]
    assert ts.flat(P.U64) == [I64]
    assert ts.flat(P.CHAR) == [I32]
    assert ts.flat(ts.add(List(P.STRING))) == [I32, I32]
    assert ts.flat(ts.add(Map(P.STRING, P.U8))) == [I32, I32]
    assert ts.flat(ts.record(P.U8, P.F32, P.F64)) == [I32, F32, F64]


def test_flatten_variants_join(ts: Types) -> None:
    assert ts.flat(ts.add(Option_(P.F32))) == [I32, F32]
    # i64 joined with f32 -> i64
    assert ts.flat(ts.add(Result_(P.U64, P.F32))) == [I32, I64]
    # f32 joined with i32 -> i32
    assert ts.flat(ts.add(Result_(P.F32, P.U32))) == [I32, I32]
    # f32 joined with f64 -> i64
    assert ts.flat(ts.variant(P.F32, P.F64)) == [I32, I64]
    # position-wise: (f32, i32) vs (f32, f32) -> (f32, i32)
    a = ts.add(Tuple([P.F32, P.U32]))
    b = ts.add(Tuple([P.F32, P.F32]))
    assert ts.flat(ts.variant(a, b, None)) == [I32, F32, I32]
    # longer case wins the length: u8 vs string
    assert ts.flat(ts.variant(P.U8, P.STRING)) == [I32, I32, I32]
    # (u64) vs (f32, f32)
    assert ts.flat(ts.variant(P.U64, ts.add(Tuple([P.F32, P.F32])))) == [I32, I64, F32]
    assert ts.flat(ts.variant(None, None)) == [I32]


def test_flatten_flags_enum_fixed(ts: Types) -> None:
    assert ts.flat(ts.flags(3)) == [I32]
    assert ts.flat(ts.flags(32)) == [I32]
    assert ts.flat(ts.enum(300)) == [I32]
    assert ts.flat(ts.add(FixedList(P.U8, 3))) == [I32, I32, I32]
    assert ts.flat(ts.add(FixedList(P.STRING, 2))) == [I32] * 4


# --- signatures -----------------------------------------------------------------------------


def func(params: list[Type], result: Type | None = None, kind: str = "freestanding") -> Function:
    return Function("f", kind, [Param(f"p{i}", t) for i, t in enumerate(params)], result)


def test_sync_signatures(ts: Types) -> None:
    r = ts.resolve
    f = func([P.U32], P.U64)
    assert signature(r, f, AbiVariant.IMPORT).params == (I32,)
    assert signature(r, f, AbiVariant.IMPORT).results == (I64,)
    # a string result spills: return pointer param on import, returned pointer on export
    g = func([], P.STRING)
    imp = import_signature(r, g)
    assert (imp.params, imp.results, imp.retptr) == ((I32,), (), True)
    exp = export_signature(r, g)
    assert (exp.params, exp.results, exp.retptr) == ((), (I32,), True)
    assert post_return_signature(r, g).params == (I32,)
    assert needs_post_return(r, g)
    assert not needs_post_return(r, f)
    assert needs_post_return(r, func([], ts.add(List(P.U8)))) is True


def test_param_spilling(ts: Types) -> None:
    r = ts.resolve
    sixteen = func([P.U32] * 16)
    assert signature(r, sixteen, AbiVariant.IMPORT).params == (I32,) * 16
    seventeen = func([P.U32] * 17)
    sig = signature(r, seventeen, AbiVariant.IMPORT)
    assert (sig.params, sig.indirect_params) == ((I32,), True)
    # 8 strings = 16 flat values: still direct; 8 strings and a bool: through a pointer
    assert len(signature(r, func([P.STRING] * 8), AbiVariant.EXPORT).params) == 16
    assert signature(r, func([P.STRING] * 8 + [P.BOOL]), AbiVariant.EXPORT).params == (I32,)


def test_async_signatures(ts: Types) -> None:
    r = ts.resolve
    four = func([P.U32] * 4, P.U32, kind="async-freestanding")
    sig = import_signature(r, four)
    assert (sig.params, sig.results) == ((I32,) * 5, (I32,))  # 4 params + results pointer
    five = func([P.U32] * 5, P.STRING, kind="async-freestanding")
    sig = import_signature(r, five)
    assert (sig.params, sig.results, sig.indirect_params) == ((I32, I32), (I32,), True)
    none = func([], None, kind="async-freestanding")
    assert import_signature(r, none).params == ()
    assert import_signature(r, none).results == (I32,)
    # exports: params as sync, callback returns an i32 status, stackful returns nothing
    lift = func([P.U64] * 5, P.STRING, kind="async-freestanding")
    assert export_signature(r, lift).params == (I64,) * 5
    assert export_signature(r, lift).results == (I32,)
    assert export_signature(r, lift, callback=False).results == ()
    # task.return takes the result as flat params
    assert task_return_signature(r, lift).params == (I32, I32)
    big = func([], ts.add(Tuple([P.U32] * 17)), kind="async-freestanding")
    assert task_return_signature(r, big).params == (I32,)
    # an async function can still be lowered/lifted with the sync ABI
    assert import_signature(r, five, async_=False).params == (I32,) * 6


def test_futures_and_streams_order(ts: Types) -> None:
    # foo(x: future<future<u32>>, y: u32) -> stream<u8>: inner future first
    inner = ts.add(Future(P.U32))
    outer = ts.add(Future(inner))
    stream = ts.add(Stream(P.U8))
    f = func([outer, P.U32], stream)
    assert futures_and_streams(ts.resolve, f) == [inner, outer, stream]


# --- names and the contract -----------------------------------------------------------------


def _tiny_world() -> tuple[Resolve, int]:
    ts = Types()
    r = ts.resolve
    r.packages.append(Package(PackageName("a", "b", "1.0.0"), {"i": 0}, {"w": 0}))
    res = ts.add(Resource(), "thing")
    own = ts.add(Handle("own", res))
    ctor = Function("[constructor]thing", "constructor", [], own, resource=res)
    get = Function("get", "freestanding", [Param("k", P.STRING)], P.STRING)
    r.interfaces.append(Interface("i", {"thing": res}, {"[constructor]thing": ctor, "get": get}, 0))
    run = Function("run", "freestanding", [], None)
    r.worlds.append(
        World("w", {0: InterfaceItem(0)}, {0: InterfaceItem(0), "run": FunctionItem(run)}, 0)
    )
    r.main_package = 0
    return r, 0


def test_contract_names_and_wat() -> None:
    r, w = _tiny_world()
    contract = world_contract(r, w)
    lines = contract.to_wat_lines()
    assert '(import "a:b/i@1.0.0" "get" (func (param i32 i32 i32)))' in lines
    assert '(import "a:b/i@1.0.0" "[constructor]thing" (func (result i32)))' in lines
    assert '(import "a:b/i@1.0.0" "[resource-drop]thing" (func (param i32)))' in lines
    assert (
        '(import "[export]a:b/i@1.0.0" "[resource-new]thing" (func (param i32) (result i32)))'
        in lines
    )
    assert '(export "a:b/i@1.0.0#get" (func (param i32 i32) (result i32)))' in lines
    assert '(export "cabi_post_a:b/i@1.0.0#get" (func (param i32)))' in lines
    assert '(export "a:b/i@1.0.0#[dtor]thing" (func (param i32)))' in lines
    assert '(export "run" (func))' in lines
    assert '(export "memory" (memory 0))' in lines
    assert '(export "cabi_realloc" (func (param i32 i32 i32 i32) (result i32)))' in lines
    assert '(export "_initialize" (func))' in lines
    get_export = next(e for e in contract.exports if e.name == "a:b/i@1.0.0#get")
    assert get_export.origin.world_key == 0 and get_export.origin.function is not None
    post = next(e for e in contract.exports if e.name == "cabi_post_run")
    assert post.required is False


def test_async_names() -> None:
    r, _ = _tiny_world()
    f = Function("[method]thing.poke", "async-method", [], None)
    assert names.import_func_name(f, True) == "[async-lower][method]thing.poke"
    assert (
        names.export_func_name(r, 0, f, "callback") == "[async-lift]a:b/i@1.0.0#[method]thing.poke"
    )
    assert names.callback_name(r, 0, f) == "[callback][async-lift]a:b/i@1.0.0#[method]thing.poke"
    assert names.task_return_name(f) == "[task-return][method]thing.poke"
    assert names.exported_intrinsic_module(r, None) == "[export]$root"
    assert names.future_stream_intrinsic_name("stream-read", 2, f, True) == (
        "[async-lower][stream-read-2][method]thing.poke"
    )
