"""A world that imports and exports the same interface with a resource (C guest `dual`): the
host implements the imported `kv` (Protocols `KvImports`, `Cell`), the guest exports its own
`kv` (class `GuestCell`, record `GuestLabeled`) built on the host's, so each guest call crosses
back into Python. Expected values follow from the guest's documented behaviour (guest.c: each
guest cell owns one host cell, labels get a "guest:" prefix, errors pass through)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest
from py_support import GUESTS, generate_package, import_package
from support.missing import missing


class HostCell:
    def __init__(self, host: HostKv, v: int) -> None:
        self.host, self.value, self.drops = host, v, 0

    def get(self) -> int:
        return self.value

    def set_(self, v: int) -> None:
        self.value = v

    def drop(self) -> None:
        self.drops += 1


class HostKv:
    def __init__(self, m) -> None:
        self.m = m
        self.made: list[HostCell] = []
        self.read_got: list[object] = []
        self.sums: list[tuple[int, int]] = []

    def new_cell(self, v: int) -> HostCell:
        c = HostCell(self, v)
        self.made.append(c)
        return c

    def cell_sum(self, a: HostCell, b: HostCell) -> HostCell:
        self.sums.append((a.value, b.value))
        return self.new_cell(a.value + b.value)

    def make(self, label: str, v: int):
        return self.m.Labeled(label.upper(), self.new_cell(v))

    def read(self, lab) -> int:
        self.read_got.append(lab)
        return lab.c.value

    def total(self, cs: list[HostCell]) -> int:
        return sum(c.value for c in cs)

    def even(self, v: int) -> HostCell:
        if v % 2:
            raise self.m.WitResultError(f"odd: {v}")
        return self.new_cell(v)

    def live(self) -> int:
        return sum(1 for c in self.made if not c.drops)


@pytest.fixture(scope="module")
def m(tmp_path_factory):
    out = tmp_path_factory.mktemp("dualpkg")
    generate_package(GUESTS / "dual" / "world.wit", "dual", out / "wit_dual")
    return import_package(out, "wit_dual")


@pytest.fixture
def world(m, component, engine):
    host = HostKv(m)
    w = m.Dual.load(engine, component("dual"), imports=m.Imports(kv=host))
    return w, host


def test_two_roles_of_one_resource(m):
    """One WIT `cell`: a Protocol the host implements and a class wrapping guest handles;
    `labeled` (holding a cell) likewise; the import and export objects are distinct."""
    assert issubclass(m.GuestCell, m._rt.GuestResource)
    assert getattr(m.Cell, "_is_protocol", False) and getattr(m.KvImports, "_is_protocol", False)
    assert m.Labeled is not m.GuestLabeled
    assert {"Cell", "GuestCell", "Labeled", "GuestLabeled", "KvImports", "KvExports"} <= set(m.__all__)
    assert m.Labeled.__init__.__annotations__["c"] == "Cell"
    assert m.GuestLabeled.__init__.__annotations__["c"] == "GuestCell"


def test_values_both_ways_and_drops(world, m):
    w, host = world
    kv = w.kv
    a = kv.new_cell(5)  # guest constructor -> host constructor
    assert isinstance(a, m.GuestCell) and [c.value for c in host.made] == [5]
    a.set_(7)
    assert a.get() == 7 and host.made[0].value == 7
    b = kv.new_cell(30)
    s = kv.cell_sum(a, b)  # two guest borrows in, two host borrows out (wasmtime-py >= 51)
    assert s.get() == 37 and host.sums == [(7, 30)]
    assert kv.total([a, b, s]) == 74  # a list of borrows each way
    assert kv.live() == 3 and host.live() == 3
    a.drop()
    assert kv.live() == 2 and host.made[0].drops == 1  # the guest cell dropped its host cell
    for c in (b, s):
        c.drop()
    assert kv.live() == 0 and host.live() == 0
    assert [c.drops for c in host.made] == [1, 1, 1]


def test_record_with_handle_both_ways(world, m):
    w, host = world
    lab = w.kv.make("box", 9)
    assert isinstance(lab, m.GuestLabeled) and isinstance(lab.c, m.GuestCell)
    assert lab.label == "guest:BOX" and lab.c.get() == 9
    inner = host.made[-1]
    assert w.kv.read(lab) == 9  # the guest hands the host its own cell back
    (got,) = host.read_got
    assert isinstance(got, m.Labeled) and got.label == "guest:BOX" and got.c is inner
    with pytest.raises(TypeError, match="already dropped"):
        lab.c.get()  # moved into the guest by `read`
    assert w.kv.live() == 0
    assert inner.drops == 0  # given to the host as an owned value: the host's now, not dropped


def test_result_both_ways(world, m):
    w, host = world
    with w.kv.even(4) as c:
        assert c.get() == 4 and host.made[-1].value == 4
    assert host.made[-1].drops == 1 and w.kv.live() == 0
    with pytest.raises(m.WitResultError) as e:
        w.kv.even(3)
    assert e.value.value == "odd: 3"


def test_sides_do_not_mix(world, m):
    """A host object where the guest's class is expected (and the reverse record) is a
    TypeError naming the function and path; nothing reaches the guest."""
    w, host = world
    with pytest.raises(TypeError, match=r"total: cs\[0\]: expected a GuestCell, got HostCell"):
        w.kv.total([HostCell(host, 1)])
    with pytest.raises(TypeError, match=r"read: l: expected a GuestLabeled, got Labeled"):
        w.kv.read(m.Labeled("x", HostCell(host, 1)))
    c = w.kv.new_cell(2)
    with pytest.raises(TypeError, match=r"read: l\.c: expected a GuestCell, got HostCell"):
        w.kv.read(m.GuestLabeled("x", HostCell(host, 1)))
    assert c.get() == 2 and w.kv.live() == 1


#: more shapes of a two-sided interface for the type checkers: handles inside options, tuples,
#: lists and variants, a result of sided types, and an import-only interface using its types
SHAPES = """package a:b;
interface i {
  resource r { constructor(n: u8); m: func(o: borrow<r>) -> option<r>; }
  record q { x: r, n: u8 }
  variant v { a(r), b, c(list<q>) }
  f: func(x: q) -> v;
  g: func(x: list<tuple<r, v>>) -> result<q, v>;
}
interface j { use i.{r, q}; h: func(x: q) -> r; }
world w { import i; export i; import j; }
"""

USER = '''
from __future__ import annotations

import wasmtime
from wit_dual import Cell, Dual, GuestCell, GuestLabeled, Imports, Labeled, WitResultError


class MyCell:
    def __init__(self, v: int) -> None:
        self.v = v

    def get(self) -> int:
        return self.v

    def set_(self, v: int) -> None:
        self.v = v


class MyKv:
    def new_cell(self, v: int) -> Cell:
        return MyCell(v)

    def cell_sum(self, a: Cell, b: Cell) -> Cell:
        return MyCell(a.get() + b.get())

    def make(self, label: str, v: int) -> Labeled:
        return Labeled(label, MyCell(v))

    def read(self, l: Labeled) -> int:
        return l.c.get()

    def total(self, cs: list[Cell]) -> int:
        return sum(c.get() for c in cs)

    def even(self, v: int) -> Cell:
        if v % 2:
            raise WitResultError("odd")
        return MyCell(v)

    def live(self) -> int:
        return 0


def run(path: str) -> int:
    w = Dual.load(wasmtime.Engine(), path, imports=Imports(kv=MyKv()))
    c: GuestCell = w.kv.new_cell(1)
    lab: GuestLabeled = w.kv.make("a", 2)
    return c.get() + w.kv.read(lab) + w.kv.total([c])
'''


def test_typed_both_sides(m, tmp_path, component, engine):
    """mypy --strict and pyright strict on the package and on user code implementing the
    Protocols and using the guest's classes; the user code then runs."""
    pkg = tmp_path / "wit_dual"
    generate_package(GUESTS / "dual" / "world.wit", "dual", pkg)
    (tmp_path / "shapes.wit").write_text(SHAPES)
    generate_package(tmp_path / "shapes.wit", "w", tmp_path / "wit_shapes")
    (tmp_path / "user.py").write_text(USER)
    env = {**os.environ, "PYTHONPATH": str(tmp_path)}
    proc = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--cache-dir", os.devnull,
         "-pwit_dual", "-pwit_shapes", "-muser"],
        cwd=tmp_path, capture_output=True, text=True, env=env,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stdout[-4000:]
    # a host object where the guest's class is expected: the sides are distinct types
    bad = USER.replace("w.kv.total([c])", "w.kv.total([MyCell(1)])")
    assert bad != USER
    (tmp_path / "bad.py").write_text(bad)
    proc = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--cache-dir", os.devnull,
         "-mbad"],
        cwd=tmp_path, capture_output=True, text=True, env=env,
    )  # fmt: skip
    assert proc.returncode == 1 and 'has incompatible type "MyCell"; expected "GuestCell"' in proc.stdout, (
        proc.stdout
    )
    proc = subprocess.run(
        [sys.executable, "-c", f"import user; print(user.run({str(component('dual'))!r}))"],
        cwd=tmp_path, capture_output=True, text=True, env=env,
    )
    assert proc.returncode == 0 and proc.stdout.strip() == "4", proc.stderr[-3000:]
    pyright = shutil.which("pyright")
    if pyright is None:
        missing("pyright not found (npm install -g pyright); mypy --strict passed")
    (tmp_path / "pyrightconfig.json").write_text('{"typeCheckingMode": "strict"}\n')
    proc = subprocess.run(
        [pyright, "wit_dual", "wit_shapes", "user.py"], cwd=tmp_path, capture_output=True,
        text=True, env=env,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stdout[-4000:]
