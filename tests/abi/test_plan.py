"""The ABI plan against independent facts.

- Every function plan of the stress worlds against wasm-tools' dummy module of the world
  (`component embed --dummy-names legacy`, sync and async-callback/stackful): the core name,
  module and type of each function, post-return, task.return, callback and future/stream
  intrinsic must be an import/export of that module.
- Layouts, flat slots and value shapes worked out by hand from CanonicalABI.md
  (`elem_size`, `alignment`, `flatten_type`, `join`, `flatten_functype`).
"""

from __future__ import annotations

import functools
from pathlib import Path

import pytest
from support.dummy_oracle import Interface, dummy_interface
from support.wasm_tools_json import resolve_from_wasm_tools
from support.wit_cases import FEATURES

import witgen
from witgen.abi.flat import CoreType
from witgen.abi.plan import Direction, FuncPlan, ResultPassing, WorldPlan, world_plan
from witgen.abi.shapes import (
    EnumShape,
    FlagsShape,
    ListShape,
    MapShape,
    RecordShape,
    VariantKind,
    VariantShape,
)
from witgen.abi.typeinfo import typeinfo_of
from witgen.model import Prim, Resolve

I32, I64, F32, F64 = CoreType.I32, CoreType.I64, CoreType.F32, CoreType.F64
STRESS = Path(__file__).resolve().parent / "data" / "abi-stress.wit"


@functools.cache
def _dummy(world: str, async_abi: str) -> Interface:
    return dummy_interface(STRESS, f"witgen:abi-stress/{world}@0.1.0", async_abi, FEATURES)


def _types(ts: tuple[CoreType, ...]) -> tuple[str, ...]:
    return tuple(t.value for t in ts)


def _check_sync(fp: FuncPlan, sync: Interface) -> None:
    sig = (_types(fp.signature.params), _types(fp.signature.results))
    if fp.direction is Direction.IMPORT:
        assert (fp.module, fp.core_name, *sig) in sync.imports
    else:
        assert (fp.core_name, *sig) in sync.exports
        post = {name for name, *_ in sync.exports if name == f"cabi_post_{fp.core_name}"}
        assert {fp.post_return} == post


def _check_async(fp: FuncPlan, callback: Interface, stackful: Interface) -> None:
    a = fp.async_
    assert a is not None
    sig = (_types(a.signature.params), _types(a.signature.results))
    intrinsics = {
        (a.intrinsics_module, it.name, _types(it.signature.params), _types(it.signature.results))
        for it in a.intrinsics
    }
    assert intrinsics <= set(callback.imports)
    if fp.direction is Direction.IMPORT:
        assert (a.intrinsics_module, a.core_name, *sig) in callback.imports
        return
    assert (a.core_name, *sig) in callback.exports
    assert (a.callback, ("i32", "i32", "i32"), ("i32",)) in callback.exports
    assert a.task_return is not None and a.stackful_signature is not None
    task = (a.task_return_module, a.task_return_name, _types(a.task_return.params), ())
    assert task in callback.imports
    stack = (_types(a.stackful_signature.params), _types(a.stackful_signature.results))
    assert (a.stackful_name, *stack) in stackful.exports


@pytest.mark.parametrize("world", ["imports-only", "exports-only", "both", "world-resources"])
def test_stress_plans_match_dummy(world: str, wasm_tools: str) -> None:
    resolve = resolve_from_wasm_tools(STRESS, FEATURES)
    plan = world_plan(resolve, resolve.select_world(world))
    sync, callback, stackful = (_dummy(world, abi) for abi in ("sync", "callback", "stackful"))
    assert plan.functions
    for fp in plan.functions:
        _check_sync(fp, sync)
        if fp.func.is_async:
            _check_async(fp, callback, stackful)


# --- hand-computed ----------------------------------------------------------------------------

WIT = """
package t:plan;

interface types {
  record mixed { a: u8, b: u64, c: u16 }
  variant v { a(u32), b(f32), c(u64), d }
  flags full { FLAGS }
  enum big { CASES }
  resource res;
}

world w {
  use types.{mixed, v, full, big, res};
  import get: func() -> string;
  import put: func(s: string);
  import take: func(r: borrow<res>) -> u32;
  export run: func() -> u32;
  export name: func() -> string;
  export rec: func(m: mixed, o: option<f64>, r: result<string, u8>) -> v;
  export many: func(PARAMS, z: u64);
  export shapes: func(f: full, b: big, l: list<u16>, s: list<string>, m: map<u8, u64>);
  export later: async func(a: u32) -> string;
  import later-import: async func(a: u32) -> string;
}
"""
WIT = (
    WIT.replace("FLAGS", ", ".join(f"x{i}" for i in range(32)))  # the most wit-parser allows
    .replace("CASES", ", ".join(f"e{i}" for i in range(300)))
    .replace("PARAMS", ", ".join(f"p{i}: u8" for i in range(16)))
)


@pytest.fixture(scope="module")
def plan(tmp_path_factory: pytest.TempPathFactory) -> WorldPlan:
    path = tmp_path_factory.mktemp("plan") / "w.wit"
    path.write_text(WIT)
    resolve = witgen.load(path)
    return world_plan(resolve, resolve.select_world("w"))


def _fn(plan: WorldPlan, name: str, direction: Direction) -> FuncPlan:
    return next(f for f in plan.functions if f.func.name == name and f.direction is direction)


def test_record_layout(plan: WorldPlan) -> None:
    # u8 at 0; u64 aligned to 8; u16 at 16; size 18 rounded to align 8 = 24
    shape = _fn(plan, "rec", Direction.EXPORT).params[0].shape
    assert isinstance(shape, RecordShape)
    assert [m.offset for m in shape.members] == [0, 8, 16]
    assert [(m.flat_start, m.flat_count) for m in shape.members] == [(0, 1), (1, 1), (2, 1)]
    assert (shape.size, shape.align, shape.flat) == (24, 8, (I32, I64, I32))


def test_variant_joins_and_coercions(plan: WorldPlan) -> None:
    # 4 cases: u8 discriminant; largest payload u64: payload at 8, size 16, align 8;
    # join(i32, f32) = i32, join(i32, i64) = i64
    fp = _fn(plan, "rec", Direction.EXPORT)
    assert fp.result is not None
    v = fp.result.shape
    assert isinstance(v, VariantShape) and v.kind is VariantKind.VARIANT
    assert (v.disc_size, v.payload_offset, v.size, v.align) == (1, 8, 16, 8)
    assert v.joined == (I64,)
    assert [c.coercions for c in v.cases] == [((I32, I64),), ((F32, I64),), ((I64, I64),), ()]
    assert v.cases[3].padding == (I64,)
    # one flat i32 + one i64: two values, so an export returns a pointer
    assert fp.result.passing is ResultPassing.RETURNED_POINTER


def test_option_and_result(plan: WorldPlan) -> None:
    params = _fn(plan, "rec", Direction.EXPORT).params
    opt, res = params[1].shape, params[2].shape
    assert isinstance(opt, VariantShape) and isinstance(res, VariantShape)
    assert (opt.payload_offset, opt.size, opt.align, opt.flat) == (8, 16, 8, (I32, F64))
    assert (res.payload_offset, res.size, res.align, res.flat) == (4, 12, 4, (I32, I32, I32))
    assert res.cases[1].coercions == ((I32, I32),) and res.cases[1].padding == (I32,)
    # mixed (3 flat) + option (2) + result (3): 8 flat params, no block; slots follow in order
    assert [p.flat_start for p in params] == [0, 3, 5]


def test_param_block(plan: WorldPlan) -> None:
    # 17 params flatten to 17 values > 16: one pointer to a record of them;
    # 16 u8 at 0..15, u64 aligned to 16: size 24, align 8
    fp = _fn(plan, "many", Direction.EXPORT)
    assert fp.block is not None and (fp.block.size, fp.block.align) == (24, 8)
    assert [p.offset for p in fp.params] == [*range(16), 16]
    assert fp.signature.params == (I32,)
    assert fp.needs_realloc  # the host allocates the block in the guest


def test_flags_enum_lists_maps(plan: WorldPlan) -> None:
    f, b, lu16, lstr, m = (p.shape for p in _fn(plan, "shapes", Direction.EXPORT).params)
    assert isinstance(f, FlagsShape) and (f.words, f.size, f.flat) == (1, 4, (I32,))
    assert isinstance(b, EnumShape) and (b.size, b.align) == (2, 2)  # 300 cases: u16
    assert isinstance(lu16, ListShape) and (lu16.elem_size, lu16.numeric) == (2, Prim.U16)
    assert isinstance(lstr, ListShape) and (lstr.elem_size, lstr.elem_align) == (8, 4)
    assert lstr.numeric is None
    assert isinstance(m, MapShape)
    assert (m.key_offset, m.value_offset, m.entry_size, m.entry_align) == (0, 8, 16, 8)


def test_result_passing_and_post_return(plan: WorldPlan) -> None:
    get = _fn(plan, "get", Direction.IMPORT)
    name = _fn(plan, "name", Direction.EXPORT)
    run = _fn(plan, "run", Direction.EXPORT)
    assert get.result is not None and get.result.passing is ResultPassing.RETURN_POINTER
    assert get.signature.params == (I32,) and get.signature.results == ()
    assert name.result is not None and name.result.passing is ResultPassing.RETURNED_POINTER
    assert run.result is not None and run.result.passing is ResultPassing.FLAT
    assert (name.post_return, name.post_return_required) == ("cabi_post_name", True)
    assert (run.post_return, run.post_return_required) == ("cabi_post_run", False)


def test_realloc_comes_from_every_allocation(plan: WorldPlan) -> None:
    # the known bug: only an import's returned string allocates, and that must count
    assert _fn(plan, "get", Direction.IMPORT).needs_realloc
    assert not _fn(plan, "put", Direction.IMPORT).needs_realloc  # the host only reads it
    assert not _fn(plan, "name", Direction.EXPORT).needs_realloc  # the host only reads it
    assert not _fn(plan, "run", Direction.EXPORT).needs_realloc
    assert _fn(plan, "rec", Direction.EXPORT).needs_realloc  # a string in a param


def test_realloc_of_the_bug_world(tmp_path: Path) -> None:
    path = tmp_path / "w.wit"
    path.write_text(
        "package t:b;\nworld w { import get: func() -> string; export run: func() -> u32; }\n"
    )
    resolve = witgen.load(path)
    plan = world_plan(resolve, 0)
    assert plan.needs_realloc and plan.needs_memory


def test_handles_and_sides(plan: WorldPlan) -> None:
    take = _fn(plan, "take", Direction.IMPORT)
    facts = take.params[0].shape.facts
    assert facts.has_borrow and not facts.has_own and facts.direct
    assert take.lends_handles
    res = plan.resolve.types[plan.resolve.unalias(take.params[0].type)].kind
    rid = res.resource  # type: ignore[union-attr]
    # `types` is only imported: its resources are the host's on both sides
    assert not plan.guest_defines(rid, Direction.EXPORT)
    assert not plan.guest_defines(rid, Direction.IMPORT)


def test_async_contract(plan: WorldPlan) -> None:
    # export: params (i32) flat; callback lift returns an i32 status; the string result goes
    # through task.return as two i32 params
    later = _fn(plan, "later", Direction.EXPORT).async_
    assert later is not None
    assert (later.core_name, later.signature.params, later.signature.results) == (
        "[async-lift]later",
        (I32,),
        (I32,),
    )
    assert later.task_return is not None and later.task_return.params == (I32, I32)
    assert later.callback == "[callback][async-lift]later"
    # import: param (i32), then a results pointer; returns an i32 status
    imp = _fn(plan, "later-import", Direction.IMPORT).async_
    assert imp is not None
    assert (imp.core_name, imp.signature.params, imp.signature.results) == (
        "[async-lower]later-import",
        (I32, I32),
        (I32,),
    )


def test_typeinfo_does_not_look_into_futures(tmp_path: Path) -> None:
    path = tmp_path / "f.wit"
    path.write_text(
        "package t:f;\ninterface i {\n  type fs = future<string>;\n  type ls = list<fs>;\n"
        "  type ec = option<error-context>;\n}\nworld w { import i; }\n"
    )
    resolve: Resolve = witgen.load(path)
    iface = resolve.interfaces[next(iter(resolve.worlds[0].imports.values())).id]  # type: ignore[union-attr]
    info = typeinfo_of(resolve)
    fs, ls, ec = (info.facts(iface.types[n]) for n in ("fs", "ls", "ec"))
    assert fs.has_future_or_stream and not fs.touches_memory and fs.first_async_value == "future"
    assert ls.touches_memory and ls.ptr_len and ls.has_future_or_stream
    assert ec.has_error_context and not ec.direct and ec.first_async_value == "error-context"


def test_memos_do_not_keep_the_resolve_alive(tmp_path: Path) -> None:
    import gc

    from witgen.abi import memo

    path = tmp_path / "w.wit"
    path.write_text("package t:m;\nworld w { export run: func(s: string) -> list<u8>; }\n")
    resolve = witgen.load(path)
    world_plan(resolve, 0)
    key = id(resolve)
    assert {(key, n) for n in ("layout", "typeinfo", "shapes")} <= set(memo._MEMOS)
    del resolve
    gc.collect()
    assert not {k for k in memo._MEMOS if k[0] == key}
