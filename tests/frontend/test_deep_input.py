"""Deep and long WIT that is valid (or fails in a known place) must not exhaust Python's stack.

The walks over `use` chains, `deps` chains and nested named types keep their own stacks. The
expected results (order, error locations) are what `wasm-tools component wit` 1.262 prints for
the same inputs.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

import witgen


def _use_chain(n: int) -> str:
    return "package a:b;\ninterface i0 { type t = u8; }\n" + "".join(
        f"interface i{k} {{ use i{k - 1}.{{t}}; }}\n" for k in range(1, n)
    )


def test_a_thousand_interfaces_each_using_the_last_elaborate_in_order(tmp_path: Path) -> None:
    wit = tmp_path / "a.wit"
    wit.write_text(_use_chain(1000) + "world w { import i999; export i999; }\n")
    r = witgen.load(wit)
    world = r.worlds[0]
    # wasm-tools: the world imports i0..i999, dependencies first, and exports i999
    assert [r.interfaces[k].name for k in world.imports] == [f"i{k}" for k in range(1000)]
    assert [r.interfaces[k].name for k in world.exports] == ["i999"]


def test_a_cycle_through_a_thousand_interfaces_is_reported_where_wasm_tools_reports_it(
    tmp_path: Path,
) -> None:
    wit = tmp_path / "a.wit"
    wit.write_text(
        _use_chain(1000).replace("interface i0 { type t = u8; }", "interface i0 { use i999.{t}; }")
    )
    with pytest.raises(witgen.WitError) as info:
        witgen.load(wit)
    assert info.value.message == "interface or world `i999` depends on itself"
    assert (info.value.line, info.value.col) == (1001, 11)


def _deps_chain(root: Path, n: int, cycle: bool) -> None:
    (root / "deps").mkdir(parents=True)
    (root / "a.wit").write_text("package p:p0;\ninterface i { use p:p1/i.{t}; }\n")
    for k in range(1, n):
        nxt = k + 1 if k < n - 1 else 1
        tail = f"use p:p{nxt}/i.{{u as t}};" if k < n - 1 or cycle else "type t = u8;"
        (root / "deps" / f"p{k}.wit").write_text(
            f"package p:p{k};\ninterface i {{\n  type u = u8;\n  {tail}\n}}\n"
        )


def test_a_chain_of_1200_packages_resolves_dependencies_first(tmp_path: Path) -> None:
    _deps_chain(tmp_path, 1200, cycle=False)
    r = witgen.load(tmp_path)
    assert [str(p.name) for p in r.packages] == [f"p:p{k}" for k in range(1199, -1, -1)]


@pytest.mark.parametrize("n", [3, 4, 1200])
def test_a_package_cycle_is_reported_at_the_edge_that_closes_it(tmp_path: Path, n: int) -> None:
    # wit-parser remembers the dependency edges on its path; p{n-1} names p1, already on it
    _deps_chain(tmp_path, n, cycle=True)
    with pytest.raises(witgen.WitError) as info:
        witgen.load(tmp_path)
    assert info.value.message == "package `p:p1` creates a dependency cycle"
    assert info.value.file == str(tmp_path / "deps" / f"p{n - 1}.wit")
    assert (info.value.line, info.value.col) == (4, 7)


def test_a_function_over_500_nested_records_resolves(tmp_path: Path) -> None:
    wit = tmp_path / "a.wit"
    wit.write_text(
        "package a:b;\ninterface i {\n  record r0 { x: u8 }\n"
        + "".join(f"  record r{k} {{ x: r{k - 1} }}\n" for k in range(1, 500))
        + "  f: func(a: r499) -> r499;\n}\n"
    )
    r = witgen.load(wit)
    assert len(r.types) == 500


def _nested_records(n: int) -> str:
    return (
        "package a:b;\ninterface i {\n  record r0 { x: u8 }\n"
        + "".join(f"  record r{k} {{ x: r{k - 1} }}\n" for k in range(1, n))
        + f"  f: func(a: r{n - 1}) -> r{n - 1};\n}}\nworld w {{ import i; export i; }}\n"
    )


@pytest.mark.parametrize("target", ["js", "wasmtime", "python"])
def test_generating_bindings_for_500_nested_records_is_a_located_depth_error(
    tmp_path: Path, target: str
) -> None:
    """wasm-tools refuses types nesting past 100 ("type nesting is too deep"); so does
    `generate_files`, at the first record too deep, before the target walks anything
    (tests/abi/test_typesize.py checks the limit against wasm-tools)."""
    from witgen.targets import generate_files

    wit = tmp_path / "a.wit"
    wit.write_text(_nested_records(500))
    r = witgen.load(wit)
    start = time.process_time()
    with pytest.raises(witgen.WitError, match="type nesting is too deep") as info:
        generate_files(target, r, 0, {})
    assert time.process_time() - start < 1
    assert info.value.message.startswith("type `r99` nests 101 levels deep")
    assert (info.value.file, info.value.line) == (str(wit), 102)


@pytest.mark.parametrize("target", ["js", "wasmtime", "python"])
def test_generating_bindings_for_records_nested_to_the_limit_works(
    tmp_path: Path, target: str
) -> None:
    from witgen.targets import generate_files

    wit = tmp_path / "a.wit"
    wit.write_text(_nested_records(94))  # r93 nests 95 deep; f, i, w and the wrapping add 5
    r = witgen.load(wit)
    files = generate_files(target, r, 0, {})
    assert any(b"r93" in data.lower().replace(b"_", b"") for data in files.values())


def _unchecked(target: str, r: witgen.model.Resolve) -> dict[str, bytes]:
    """The target's files without `generate_files`' type limits: the generators themselves
    must stay linear in the depth of what they are given."""
    from witgen.targets import get_target

    return get_target(target)(r, 0, {})


@pytest.mark.parametrize("target", ["js", "wasmtime", "python"])
def test_generating_bindings_for_1500_nested_option_aliases_takes_seconds(
    tmp_path: Path, target: str
) -> None:
    """`type tK = option<tK-1>`, 1,500 deep (past the component model's depth limit, which
    `generate_files` enforces; here the target runs on it directly): each level's flat types,
    shapes and annotations are computed once. Before, every level recomputed all the levels
    below it: 1,000 levels took 123 s for js (cubic), 9 s for wasmtime and 41 s for python; at
    1,500 levels now 0.4-1.3 s CPU (wasmtime before the fix: 6.1 s)."""
    from witgen.deepstack import call_deep

    n = 1500
    wit = tmp_path / "a.wit"
    wit.write_text(
        "package a:b;\ninterface i {\n  type t0 = u8;\n"
        + "".join(f"  type t{k} = option<t{k - 1}>;\n" for k in range(1, n))
        + f"  f: func(a: t{n - 1}) -> t{n - 1};\n}}\nworld w {{ import i; export i; }}\n"
    )
    r = witgen.load(wit)
    start = time.process_time()
    files = call_deep(lambda: _unchecked(target, r))
    assert time.process_time() - start < 3  # CPU seconds (all threads)
    # the outermost type is in the bindings: by name, or (python) spelled out level by level
    if target == "python":
        assert any(b"_rt.Some[" * (n - 2) in data for data in files.values())
    else:
        assert any(f"t{n - 1}".encode() in data.lower().replace(b"_", b"") for data in files.values())


def test_a_type_used_twice_at_each_of_22_levels_generates_in_linear_time(tmp_path: Path) -> None:
    """`type tK = result<tK-1, tK-1>`: 22 levels, 2^22 paths through the types (past the
    effective type size limit, which `generate_files` enforces; here the targets run on it
    directly). The walk for a function's futures and streams went down every path (8 CPU s
    in js); a type holding none is not entered now. (python spells such a type out in its
    annotations: 2^22 of them.)"""
    from functools import partial

    from witgen.deepstack import call_deep

    n = 22
    wit = tmp_path / "a.wit"
    wit.write_text(
        "package a:b;\ninterface i {\n  type t0 = u8;\n"
        + "".join(f"  type t{k} = result<t{k - 1}, t{k - 1}>;\n" for k in range(1, n))
        + f"  f: func(a: t{n - 1}) -> t{n - 1};\n}}\nworld w {{ import i; export i; }}\n"
    )
    r = witgen.load(wit)
    start = time.process_time()
    for target in ("js", "wasmtime"):
        files = call_deep(partial(_unchecked, target, r))
        assert any(f"t{n - 1}".encode() in data.lower() for data in files.values())
    assert time.process_time() - start < 3  # CPU seconds, both targets


def test_cli_abi_over_500_nested_records_exits_0(tmp_path: Path, capsys) -> None:
    from witgen.cli import main

    wit = tmp_path / "a.wit"
    wit.write_text(_nested_records(500))
    assert main(["abi", str(wit)]) == 0
    assert "(func" in capsys.readouterr().out


def test_recursion_beyond_the_deep_stack_is_a_wit_error() -> None:
    from witgen.deepstack import call_deep

    def down(n: int) -> int:
        return 0 if n == 0 else 1 + down(n - 1)

    assert call_deep(lambda: down(5_000)) == 5_000  # beyond the default limit of 1,000
    with pytest.raises(witgen.WitError, match="nests types more deeply"):
        call_deep(lambda: down(10_000_000))


def test_deeply_nested_toml_options_are_a_config_error(tmp_path: Path) -> None:
    from witgen.config import ConfigError, read_toml

    toml = tmp_path / "pyproject.toml"
    toml.write_text("[tool.witgen]\noptions = " + "{a = " * 3000 + "1" + "}" * 3000 + "\n")
    with pytest.raises(ConfigError, match="nested too deeply") as info:
        read_toml(toml)
    assert "pyproject.toml" in info.value.message


def test_ctrl_c_stops_the_work_on_the_deep_thread() -> None:
    import _thread
    import threading
    import time

    from witgen.deepstack import call_deep

    stopped = threading.Event()

    def work() -> None:
        try:
            time.sleep(0.2)  # the main thread is waiting by now
            _thread.interrupt_main()  # as if Ctrl-C came
            while True:
                time.sleep(0.01)
        finally:
            stopped.set()

    with pytest.raises(KeyboardInterrupt):
        call_deep(work)
    assert stopped.is_set()  # the worker ran its `finally` before call_deep returned
