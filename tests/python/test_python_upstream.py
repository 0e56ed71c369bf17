"""The two wasmtime-py limits the python target works around, reproduced with plain
`wasmtime.component` (no witgen code): proof that they are upstream, and a tripwire for the day
they are fixed.

1. A host function with two borrow parameters (`counter.merge` of the `resources` guest) fails
   inside wasmtime 50's C API before Python sees the call, whatever the host does; wasmtime-py
   51 runs it. The generated package names the limit (`test_two_borrows_named`).
2. wasmtime-py lowers an untagged result to the first case whose Python classes accept the
   value: for `result<option<point>, list<string>>` that is always `ok` (option's classes
   include `object`), so no value reaches the guest as `err` — neither the bare list nor a
   `Variant("err", ...)`. The generated package refuses that case before the call
   (test_python_compound.py::test_wasmtime_py_cannot_pass_some_cases).
"""

from __future__ import annotations

from importlib.metadata import version

import pytest
from py_support import guest_package

wasmtime = pytest.importorskip("wasmtime")
wc = pytest.importorskip("wasmtime.component")

MAJOR = int(version("wasmtime").split(".")[0])


def _instance(engine, comp, define):
    store = wasmtime.Store(engine)
    linker = wc.Linker(engine)
    with linker.root() as root:
        define(root)
    linker.define_unknown_imports_as_traps(wc.Component.from_file(engine, str(comp)))
    inst = linker.instantiate(store, wc.Component.from_file(engine, str(comp)))
    return store, inst


def _export(store, inst, iface: str, name: str):
    idx = inst.get_export_index(store, iface)
    return inst.get_func(store, inst.get_export_index(store, name, idx))


def test_two_borrow_parameters_upstream(component, engine):
    values: dict[int, int] = {}
    calls: list[str] = []

    def make(v: int):
        values[len(values) + 1] = v
        return wc.ResourceHost.own(len(values), 1)

    def merge(store, a, b):
        calls.append("merge")
        total = values[a.to_host(store).rep] + values[b.to_host(store).rep]
        return make(total)

    def define(root):
        with root.add_instance("witgen:resources/host-res") as i:
            i.add_resource("counter", wc.ResourceType.host(1), lambda s, rep: None)
            i.add_func("[constructor]counter", lambda s, start: make(start))
            i.add_func("[method]counter.get", lambda s, h: values[h.to_host(s).rep])
            i.add_func("[static]counter.merge", merge)

    store, inst = _instance(engine, component("resources"), define)
    f = _export(store, inst, "witgen:resources/guest-res", "merge-counters")
    if MAJOR >= 51:
        assert f(store, 2, 5) == 7 and calls == ["merge"]
        return
    with pytest.raises(wasmtime.WasmtimeError, match="deferred host scope has no call context"):
        f(store, 2, 5)
    assert calls == []  # it fails before the host function runs


def test_two_borrows_named(pkgdir, component, engine):
    """The generated package: 7 where wasmtime-py can; else an error naming the limit and the
    host function."""
    m = guest_package(pkgdir, "resources")
    from test_python_resources import HostRes

    w = m.Resources.load(engine, component("resources"), imports=m.Imports(host_res=HostRes(m)))
    if MAJOR >= 51:
        assert w.guest_res.merge_counters(3, 4) == 7
        return
    msg = (
        r"merge-counters: wasmtime-py 50\.\S+ cannot run a host function that takes more than one "
        r"borrow handle \(`counter.merge`\)"
    )
    with pytest.raises(m.WitTrapError, match=msg) as e:
        w.guest_res.merge_counters(3, 4)
    assert "deferred host scope" in str(e.value.__cause__)


def test_result_err_cannot_be_lowered_upstream(component, engine):
    seen: list[object] = []

    def identity(store, x):
        seen.append(x)
        return x

    def define(root):
        with root.add_instance("witgen:compound/api") as i:
            i.add_func("roundtrip-result-nested", identity)

    store, inst = _instance(engine, component("compound"), define)
    f = _export(store, inst, "witgen:compound/api", "roundtrip-result-nested")
    assert f(store, None) is None  # ok(none) passes
    for err in (["a"], wc.Variant("err", ["a"])):
        with pytest.raises(ValueError, match="value not valid for this variant"):
            f(store, err)  # lowered as `ok`: the list is no option<point>
    assert seen == [None]
