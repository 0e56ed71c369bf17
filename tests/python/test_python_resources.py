"""Resources both ways through the generated package of the `resources` C guest: the guest's
`blob` as a Python class (methods, statics, own moves, drop, use after drop), the host's
`counter` as any object matching its Protocol. Expected values follow from the WIT docs and
match what tests/wasmtime's Rust host prints for the same calls (`test_resources_both_ways`)."""

from __future__ import annotations

import pytest
from py_support import guest_package


class Counter:
    def __init__(self, start: int) -> None:
        self.value = start
        self.dropped = False

    def get(self) -> int:
        return self.value

    def incr(self, by: int) -> None:
        self.value += by

    def drop(self) -> None:
        self.dropped = True


class HostRes:
    def __init__(self, m) -> None:
        self.m = m
        self.made: list[Counter] = []
        self.consumed: list[Counter] = []

    def new_counter(self, start: int) -> Counter:
        c = Counter(start)
        self.made.append(c)
        return c

    def counter_merge(self, a: Counter, b: Counter) -> Counter:
        return self.new_counter(a.get() + b.get())

    def make_counters(self, n: int) -> list[Counter]:
        return [self.new_counter(i) for i in range(n)]

    def consume_counters(self, cs: list[Counter]) -> int:
        self.consumed += cs
        return sum(c.get() for c in cs)

    def tag_counter(self, tag: str, c: Counter):
        return self.m.TaggedCounter(tag, c)

    def maybe_counter(self, start: int | None) -> Counter:
        if start is None:
            raise self.m.WitResultError("no start")
        return self.new_counter(start)


@pytest.fixture
def world(pkgdir, component, engine):
    m = guest_package(pkgdir, "resources")
    host = HostRes(m)
    w = m.Resources.load(engine, component("resources"), imports=m.Imports(host_res=host))
    return m, w, host


def test_guest_blob_class(world):
    m, w, _ = world
    g = w.guest_res
    with g.new_blob(b"abc") as b:
        assert isinstance(b, m.Blob)
        assert b.len() == 3
        b.append(b"de")
        assert b.bytes_() == b"abcde"
        c = b.clone_blob()
        assert g.live_count() == 2
        assert g.blob_concat(b, c).bytes_() == b"abcdeabcde"
        assert g.blob_into_bytes(c) == b"abcde"  # own parameter: moved into the guest
        with pytest.raises(TypeError, match=r"blob.len: self: this Blob was already dropped"):
            c.len()
    with pytest.raises(TypeError, match="already dropped"):
        b.len()
    b.drop()  # again: no-op
    import gc

    gc.collect()
    assert g.live_count() == 1  # the concat result was never dropped: the guest still has it


def test_blobs_in_records_variants_results_options(world):
    m, w, _ = world
    g = w.guest_res
    h = g.make_holder("lbl", b"xy")
    assert isinstance(h, m.Holder) and h.label == "lbl" and h.item.bytes_() == b"xy"
    assert g.open_holder(h) == b"xy"  # moves h.item
    with pytest.raises(TypeError, match="already dropped"):
        h.item.len()
    empty, full, many = (g.make_slot(k) for k in range(3))
    assert isinstance(empty, m.SlotEmpty)
    assert isinstance(full, m.SlotFull) and isinstance(full.value, m.Blob)
    assert isinstance(many, m.SlotMany) and all(isinstance(b, m.Blob) for b in many.value)
    assert g.slot_len(m.SlotFull(g.new_blob(b"1234"))) == 4
    assert g.try_blob(True).len() >= 0
    with pytest.raises(m.WitResultError) as e:
        g.try_blob(False)
    assert isinstance(e.value.value, str)
    assert isinstance(g.maybe_blob(True), m.Blob) and g.maybe_blob(False) is None
    bs = g.make_blobs(3)
    assert g.total_len(bs) == sum(b.len() for b in bs)


def test_host_counters(world):
    m, w, host = world
    g = w.guest_res
    assert g.use_counter(5, 10) == 15
    assert host.made[-1].dropped  # the guest dropped it: our drop() ran
    assert g.sum_counters([Counter(3), Counter(4)]) == 7  # lent as borrows
    assert g.take_counter(Counter(3)) == 3
    assert g.cycle_counters(4) == 6
    assert g.tagged("t", 9) == ("t", 9)
    with pytest.raises(m.WitResultError) as e:
        g.maybe(None)
    assert e.value.value == "no start"
    assert g.maybe(3) == 3
    c = g.new_counter(77)
    assert isinstance(c, Counter) and c.get() == 77


def test_resource_errors(world, pkgdir, component, engine):
    m, w, _ = world
    g = w.guest_res
    with pytest.raises(TypeError, match=r"blob.concat: b: expected a Blob, got str"):
        g.blob_concat(g.new_blob(b""), "x")
    with pytest.raises(TypeError, match=r"total-len: bs\[1\]: expected a Blob, got int 5"):
        g.total_len([g.new_blob(b""), 5])
    other = m.Resources.load(engine, component("resources"), imports=m.Imports(host_res=HostRes(m)))
    b = other.guest_res.new_blob(b"z")
    with pytest.raises(TypeError, match="belongs to another instance"):
        g.total_len([b])
    with pytest.raises(TypeError, match=r"take-counter: c: expected a counter object, got NoneType"):
        g.take_counter(None)


def test_failed_argument_moves_nothing(world):
    """A call whose arguments fail their checks moves and drops nothing; an own value (a
    holder's blob) is moved once the call is made."""
    m, w, _ = world
    g = w.guest_res
    b = g.new_blob(b"ab")
    with pytest.raises(TypeError, match=r"make-holder: data: expected bytes"):
        g.make_holder("x", "not bytes")
    h = m.Holder("l", b)
    with pytest.raises(TypeError, match=r"open-holder: h: expected a Holder"):
        g.open_holder(("l", b))
    assert g.open_holder(h) == b"ab"  # moved now
    with pytest.raises(TypeError, match="already dropped"):
        b.len()
    c = g.new_blob(b"xyz")
    with pytest.raises(TypeError, match=r"blob.concat: b: expected a Blob"):
        g.blob_concat(c, None)
    assert c.len() == 3
