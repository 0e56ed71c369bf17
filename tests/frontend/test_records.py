"""`witgen.records.record` behaves as `dataclasses.dataclass` does for the model's classes.

Each class is declared twice, once with each decorator, and every observable behaviour the
model relies on (construction, defaults and factories, `__post_init__`, `init=False` fields,
equality, repr, `match` by position, hashing, frozen assignment, slots) is compared with the
standard library's.
"""

from __future__ import annotations

import copy
import dataclasses
from typing import Any

import pytest

from witgen import model
from witgen.records import FrozenError, field, record


def _node_classes() -> tuple[Any, Any]:
    def make(deco: Any, fld: Any) -> Any:
        class Node:
            name: str
            kids: list[int] = fld(default_factory=list)
            docs: str | None = None
            depth: int = fld(default=0, init=False, repr=False, compare=False)

            def __post_init__(self) -> None:
                self.depth = len(self.kids)

        return deco(Node)

    return make(record, field), make(dataclasses.dataclass(slots=True), dataclasses.field)


def test_construction_defaults_repr_and_equality_match_dataclasses() -> None:
    ours, std = _node_classes()
    for args, kwargs in [(("a",), {}), (("a", [1, 2]), {}), (("a",), {"docs": "d"})]:
        a, b = ours(*args, **kwargs), std(*args, **kwargs)
        assert repr(a) == repr(b)
        assert (a.name, a.kids, a.docs, a.depth) == (b.name, b.kids, b.docs, b.depth)
    assert ours("a").kids is not ours("a").kids  # a fresh list per instance
    assert ours("a", [1]) == ours("a", [1]) and ours("a") != ours("b")
    x, y = ours("a"), ours("a")
    y.depth = 9  # compare=False
    assert x == y
    assert ours("a") != std("a") and ours("a").__eq__(object()) is NotImplemented
    assert ours.__match_args__ == std.__match_args__ == ("name", "kids", "docs")
    assert ours.__slots__ == std.__slots__
    with pytest.raises(TypeError):
        hash(ours("a"))
    with pytest.raises(AttributeError):
        ours("a").other = 1
    with pytest.raises(TypeError):
        ours()  # the missing argument is a TypeError, as with dataclasses
    with pytest.raises(TypeError):
        ours("a", [], None, 3)  # `depth` is not an argument


def test_match_by_position_uses_the_fields() -> None:
    match model.Result_(model.Prim.U8, None):
        case model.Result_(ok, err):
            assert (ok, err) == (model.Prim.U8, None)
        case _:
            pytest.fail("no match")


def test_frozen_records_hash_compare_copy_and_refuse_assignment() -> None:
    a, b = model.PackageName("wasi", "io", "0.2.0"), model.PackageName("wasi", "io", "0.2.0")
    std = dataclasses.make_dataclass(
        "PackageName", [("namespace", str), ("name", str), ("version", str | None, None)],
        frozen=True,
    )
    assert a == b and hash(a) == hash(b) and len({a, b}) == 1
    assert repr(a) == repr(std("wasi", "io", "0.2.0"))
    assert copy.deepcopy(a) == a
    with pytest.raises(FrozenError):
        a.name = "x"  # type: ignore[misc]
    with pytest.raises(AttributeError):
        del a.name


def test_a_field_without_default_after_one_with_is_refused() -> None:
    class Bad:
        a: int = 0
        b: int

    with pytest.raises(TypeError, match="follows"):
        record(Bad)
