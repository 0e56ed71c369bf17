"""wasmtime-py behaviours the python target depends on, shown with plain `wasmtime.component`
(no witgen code).

1. A host function with two borrow parameters (`counter.merge` of the `resources` guest) failed
   inside wasmtime 50's C API before Python saw the call (`BUG: deferred host scope has no call
   context`); wasmtime-py 51, the version the target needs, runs it: these tests hold the fix,
   with plain wasmtime-py and through the generated package, and the package refuses an older
   wasmtime-py when it loads.
2. (still open upstream in 51) wasmtime-py lowers an untagged result to the first case whose Python classes accept the
   value: for `result<option<point>, list<string>>` that is always `ok` (option's classes
   include `object`), so no value reaches the guest as `err` — neither the bare list nor a
   `Variant("err", ...)`. The generated package refuses that case before the call
   (test_python_compound.py::test_wasmtime_py_cannot_pass_some_cases).
"""

from __future__ import annotations

import pytest
from py_support import guest_package

wasmtime = pytest.importorskip("wasmtime")
wc = pytest.importorskip("wasmtime.component")



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
    assert f(store, 2, 5) == 7 and calls == ["merge"]
    assert f(store, 30, 12) == 42 and calls == ["merge", "merge"]


def test_two_borrows_through_the_package(pkgdir, component, engine):
    """The generated package runs `merge-counters` (the guest calls the host's `counter.merge`
    with two borrows); the host's counters are all dropped afterwards."""
    m = guest_package(pkgdir, "resources")
    from test_python_resources import HostRes

    host = HostRes(m)
    w = m.Resources.load(engine, component("resources"), imports=m.Imports(host_res=host))
    assert w.guest_res.merge_counters(3, 4) == 7
    assert w.guest_res.merge_counters(1000, 2**31) == 2**31 + 1000
    # per call: the two counters the guest made and the merged one, all dropped by the guest
    assert [c.value for c in host.made] == [3, 4, 7, 1000, 2**31, 2**31 + 1000]
    assert all(c.dropped for c in host.made)


def test_old_wasmtime_py_refused(pkgdir):
    """An older wasmtime-py is refused by name when a world loads, not left to fail in a call."""
    m = guest_package(pkgdir, "resources")
    rt = __import__(m.__name__ + "._rt", fromlist=["_rt"])
    with pytest.raises(ImportError, match=r"need wasmtime-py >= 51 .*the installed wasmtime is 50\.0\.1"):
        rt.check_version("50.0.1")
    rt.check_version("51.0.0")
    rt.check_version("52.1.0")
    rt.check_version(None)  # a wasmtime without distribution metadata is not second-guessed


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
