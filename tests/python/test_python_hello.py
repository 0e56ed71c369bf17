"""The `hello` C guest through its generated package; the expected values are the ones
tests/wasmtime's Rust host prints for the same calls (`test_hello_guests`)."""

from __future__ import annotations

import pytest
from py_support import guest_package


def test_hello(pkgdir, component, engine):
    m = guest_package(pkgdir, "hello")
    logs: list[str] = []
    w = m.Hello.load(engine, component("hello"), imports=m.Imports(log=logs.append))
    assert w.greet("wörld") == "Hello, wörld!"
    assert logs == ["Hello, wörld!"]
    assert w.describe(m.Person("Ann", 31)) == "Ann is 31 years old"
    assert w.sum_list([1, -2, 2**31 - 1, 2**31 - 1]) == 2**32 - 3
    assert w.parse_age("42") == 42
    with pytest.raises(m.WitResultError) as e:
        w.parse_age("x")
    assert e.value.value == "not a number: x"
    assert w.oldest([m.Person("Ann", 31), m.Person("Bob", 47)]) == m.Person("Bob", 47)
    assert w.oldest([]) is None
    with pytest.raises(ValueError, match=r"describe: p.age: 300 is out of range for u8"):
        w.describe(m.Person("Ann", 300))
    with pytest.raises(TypeError, match=r"oldest: people\[1\]: expected a Person, got int 5"):
        w.oldest([m.Person("a", 1), 5])
