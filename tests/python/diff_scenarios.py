"""The scenarios of tests/python/diffhost/*.rs, run through the python target's packages.

Each suite calls the same exports with the same arguments, with host imports that behave like
the Rust host's, and returns the same `name = value` lines (canon.py's rendering; a failed call
is `error: ` and wasmtime's root cause). test_python_vs_rust.py compares them with the lines
the Rust host prints.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import wasmtime
from canon import Canon, function, quote

from witgen import model as M


def root_cause(e: BaseException) -> str:
    """The innermost message of a wasmtime error: the last of the numbered causes under
    `Caused by:`, or the first line there."""
    text = str(e.__cause__ if e.__cause__ is not None else e)
    if "Caused by:" in text:
        lines = [ln.strip() for ln in text.split("Caused by:")[-1].splitlines() if ln.strip()]
        chain = [ln for ln in lines if re.match(r"\d+: ", ln)]
        return re.sub(r"^\d+: ", "", chain[-1]) if chain else lines[0]
    return text.strip().replace("\n", " ")


class Lines:
    """The `name = value` lines of one suite."""

    def __init__(self, resolve: M.Resolve, world: str, m: Any) -> None:
        self.resolve = resolve
        self.world = world
        self.m = m
        self.canon = Canon(resolve, m)
        self.out: list[str] = []

    def put(self, name: str, text: str) -> None:
        self.out.append(f"{name} = {text}")

    def call(self, name: str, func: M.Function, thunk: Callable[[], Any]) -> Any:
        """Call `thunk` (a call of `func`) and add its outcome; returns the value (or None)."""
        result = func.result
        kind = self.resolve.types[result].kind if isinstance(result, int) else None
        try:
            v = thunk()
        except self.m.WitTrapError as e:
            self.put(name, "error: " + root_cause(e))
            return None
        except NotImplementedError as e:  # a value the package refuses to pass (docs/python.md)
            self.put(name, f"refused: {e}")
            return None
        except self.m.WitResultError as e:
            assert isinstance(kind, M.Result_), e
            self.put(name, f"err({self.canon.render(kind.err, e.value)})")
            return None
        if isinstance(kind, M.Result_):
            self.put(name, f"ok({self.canon.render(kind.ok, v)})")
        else:
            self.put(name, self.canon.render(result, v))
        return v

    def func(self, name: str, interface: str | None = None) -> M.Function:
        return function(self.resolve, self.world, name, interface)


# --- scalars ----------------------------------------------------------------------------------


class Numbers:
    """The host's `numbers`: identity."""

    def __getattr__(self, name: str) -> Callable[..., Any]:
        if name == "all_scalars":
            return lambda *a: a
        if name.startswith("roundtrip_"):
            return lambda x: x
        raise AttributeError(name)


def scalars(m: Any, resolve: M.Resolve, comp: Any, engine: wasmtime.Engine) -> list[str]:
    logs: list[str] = []
    imports = m.Imports(host_add=lambda a, b: (a + b) % 2**32, log=logs.append, numbers=Numbers())
    w = m.Scalars.load(engine, comp, imports=imports)
    L = Lines(resolve, "scalars", m)
    f = L.func
    L.call("add", f("add"), lambda: w.add(2, 3))
    L.call("add-wrap", f("add"), lambda: w.add(2**32 - 1, 2))
    L.call("add-via-host", f("add-via-host"), lambda: w.add_via_host(40, 2))
    L.call("echo", f("echo"), lambda: w.echo('héllo, wörld ✓\n"q"'))
    L.call("concat", f("concat"), lambda: w.concat("ab", "çd"))
    L.call("byte-len", f("byte-len"), lambda: w.byte_len("héllo"))
    L.call("char-count", f("char-count"), lambda: w.char_count("héllo🦀"))
    L.call("sum", f("sum"), lambda: w.sum(bytes([1, 2, 3, 250])))
    big = bytes(i * 7 % 256 for i in range(5000))
    L.call("sum-big", f("sum"), lambda: w.sum(big))
    L.call("bytes-roundtrip", f("bytes-roundtrip"), lambda: w.bytes_roundtrip(bytes([0, 1, 255])))
    L.call("bytes-empty", f("bytes-roundtrip"), lambda: w.bytes_roundtrip(b""))
    L.call("f32-to-bits", f("f32-to-bits"), lambda: w.f32_to_bits(-0.0))
    L.call("f32-from-bits", f("f32-from-bits"), lambda: w.f32_from_bits(0x3FC00000))
    L.call("f32-from-bits-inf", f("f32-from-bits"), lambda: w.f32_from_bits(0xFF800000))
    L.call("f64-to-bits", f("f64-to-bits"), lambda: w.f64_to_bits(1.5))
    L.call("f64-from-bits-nan", f("f64-from-bits"), lambda: w.f64_from_bits(0x7FF8000000000001))
    L.call("f64-from-bits-tiny", f("f64-from-bits"), lambda: w.f64_from_bits(1))
    L.call("log-message", f("log-message"), lambda: w.log_message("logged"))
    L.put("logs", "[" + ", ".join(quote(s) for s in logs) + "]")
    L.call("noop", f("noop"), w.noop)
    n = w.numbers

    def num(name: str, arg: Any) -> None:
        method = getattr(n, "roundtrip_" + name.split("-")[1])
        L.call(name, f("roundtrip-" + name.split("-")[1], "numbers"), lambda: method(arg))

    num("roundtrip-bool", True)
    num("roundtrip-u8", 255)
    num("roundtrip-s8", -128)
    num("roundtrip-u16", 65535)
    num("roundtrip-s16", -32768)
    num("roundtrip-u32", 2**32 - 1)
    num("roundtrip-s32", -(2**31))
    num("roundtrip-u64", 2**64 - 1)
    num("roundtrip-s64", -(2**63))
    num("roundtrip-f32", 1.25)
    num("roundtrip-f32-small", 1e-40)
    num("roundtrip-f64", -2.5)
    num("roundtrip-f64-inf", float("inf"))
    num("roundtrip-char", "🦀")
    num("roundtrip-char-nul", "\0")
    num("roundtrip-string", "ünï")
    num("roundtrip-string-empty", "")
    args = (True, 1, -2, 3, -4, 5, -6, 7, -8, 9.5, -10.25, "x")
    L.call("all-scalars", f("all-scalars", "numbers"), lambda: n.all_scalars(*args))
    return L.out


# --- compound ---------------------------------------------------------------------------------


class Api:
    """The host's `api`: identity (a function-level result returns ok, raises err)."""

    def __init__(self, m: Any) -> None:
        self.m = m

    def __getattr__(self, name: str) -> Callable[..., Any]:
        if name.startswith("roundtrip_result"):
            return self._unwrap
        if name.startswith("roundtrip_"):
            return lambda x: x
        raise AttributeError(name)

    def _unwrap(self, x: Any) -> Any:
        if isinstance(x, self.m.Err):
            raise self.m.WitResultError(x.value)
        return x.value

    def many_params(self, *args: Any) -> Any:
        return self.m.Many(*args)

    def split3(self, s: str) -> tuple[str, ...]:
        return tuple(s.split(","))


def _compound_api(L: Lines, m: Any, a: Any) -> None:
    def rt(name: str, arg: Any, fname: str | None = None) -> None:
        fname = fname or name.split(" ")[0]
        method = getattr(a, "roundtrip_" + fname.replace("-", "_"))
        L.call(name, L.func("roundtrip-" + fname, "api"), lambda: method(arg))

    p = m.Point(-3, 7)
    mixed = m.Mixed(200, 2**64 - 2, "mixed ✓", [1, 2, 65535], p, 1.5, True, "ж")
    rt("point", p)
    rt("mixed", mixed)
    rt("nested", m.Nested("n", p, [p, m.Point(0, 0)], mixed))
    rt("nested-bare", m.Nested("", p, [], None), "nested")
    rt("tuple", (9, "tuple", 2.25, p))
    rt("color", m.Color.BLUE)
    rt("small-flags", m.SmallFlags.A | m.SmallFlags.C)
    rt("small-flags-none", m.SmallFlags(0), "small-flags")
    rt("medium-flags", m.MediumFlags.M0 | m.MediumFlags.M8 | m.MediumFlags.M15)
    rt("large-flags", m.LargeFlags.L0 | m.LargeFlags.L16 | m.LargeFlags.L31)
    shapes = [
        m.ShapeCircle(1.5), m.ShapeRect((1.0, -2.0)), m.ShapeAt(p), m.ShapeNothing(),
        m.ShapeLabel("lbl"), m.ShapeCount(2**64 - 1), m.ShapeColor(m.Color.GREEN),
    ]  # fmt: skip
    for i, s in enumerate(shapes):
        rt(f"shape {i}", s)
    rt("signal", m.SignalWait())
    rt("option some", 5)
    rt("option none", None)
    rt("option-string", "s")
    rt("option-string empty", "")
    rt("nested-option none", None)
    rt("nested-option some-none", m.Some(None))
    rt("nested-option some-some", m.Some(3))
    rt("option-point", p)
    rt("result-unit ok", m.Ok(None))
    rt("result-unit err", m.Err(None))
    rt("result-ok ok", m.Ok(7))
    rt("result-ok err", m.Err(None))
    rt("result-err ok", m.Ok(None))
    rt("result-err err", m.Err("bad"))
    rt("result-both ok", m.Ok("fine"))
    rt("result-both err", m.Err(m.Color.RED))
    rt("result-nested ok-none", m.Ok(None))
    rt("result-nested ok-some", m.Ok(p))
    strings = ["a", "bb"]
    rt("result-nested err", m.Err(strings))
    rt("list-u32", [1, 2, 2**32 - 1])
    rt("list-f64", [1.5, -0.0, 1.7976931348623157e308])
    rt("list-points", [p, p])
    rt("list-strings", strings)
    rt("list-lists", [[1], [], [2, 3]])
    rt("list-shapes", shapes)
    rt("list-options", ["o", None])
    many = m.Many(1, -2, 3, -4, 5, -6, 7, -8, 9.5, -10.5, "k", True, "m", p, 15, strings,
                  m.Color.GREEN, m.SmallFlags.B)  # fmt: skip
    rt("many", many)
    L.call("split3", L.func("split3", "api"), lambda: a.split3("x,y,z"))


def compound(m: Any, resolve: M.Resolve, comp: Any, engine: wasmtime.Engine) -> list[str]:
    w = m.Compound.load(engine, comp, imports=m.Imports(api=Api(m)))
    L = Lines(resolve, "compound", m)
    _compound_api(L, m, w.api)
    L.call("make-point", L.func("make-point"), lambda: w.make_point(4, -5))
    L.call("color-index", L.func("color-index"), lambda: w.color_index(m.Color.BLUE))
    for which in range(8):
        L.call(f"make-shape {which}", L.func("make-shape"), lambda n=which: w.make_shape(n))
    ps = [m.Point(-3, 7), m.Point(2**31 - 1, 2**31 - 1)]
    L.call("sum-points", L.func("sum-points"), lambda: w.sum_points(ps))
    L.call("parse-number 42", L.func("parse-number"), lambda: w.parse_number("42"))
    L.call("parse-number x", L.func("parse-number"), lambda: w.parse_number("x"))
    return L.out


# --- resources --------------------------------------------------------------------------------


class Counter:
    def __init__(self, host: HostRes, value: int) -> None:
        self.host = host
        self.value = value

    def get(self) -> int:
        return self.value

    def incr(self, by: int) -> None:
        self.value += by

    def drop(self) -> None:
        self.host.forget(self)


class HostRes:
    """The host's `host-res`, keeping the live counters in creation order like the Rust host."""

    def __init__(self, m: Any) -> None:
        self.m = m
        self.live: list[Counter] = []
        self.dropped = 0

    def make(self, value: int) -> Counter:
        c = Counter(self, value)
        self.live.append(c)
        return c

    def forget(self, c: Counter) -> None:
        self.live.remove(c)
        self.dropped += 1

    def new_counter(self, start: int) -> Counter:
        return self.make(start)

    def counter_merge(self, a: Counter, b: Counter) -> Counter:
        return self.make(a.get() + b.get())

    def make_counters(self, n: int) -> list[Counter]:
        return [self.make(i) for i in range(n)]

    def consume_counters(self, cs: list[Counter]) -> int:
        total = 0
        for c in cs:
            total += c.get()
            self.forget(c)
        return total

    def tag_counter(self, tag: str, c: Counter) -> Any:
        return self.m.TaggedCounter(tag, c)

    def maybe_counter(self, start: int | None) -> Counter:
        if start is None:
            raise self.m.WitResultError("no start")
        return self.make(start)

    def state(self, L: Lines, name: str) -> None:
        L.put(f"{name} host live", "[" + ", ".join(str(c.value) for c in self.live) + "]")
        L.put(f"{name} host dropped", str(self.dropped))


def _bytes_list(bs: list[bytes]) -> str:
    return "[" + ", ".join("[" + ", ".join(map(str, b)) + "]" for b in bs) + "]"


def _blobs(L: Lines, m: Any, g: Any) -> None:
    def f(name: str) -> M.Function:
        return L.func(name, "guest-res")

    b = g.new_blob(b"abc")
    L.call("blob.len", f("[method]blob.len"), b.len)
    L.call("blob.append", f("[method]blob.append"), lambda: b.append(b"de"))
    L.call("blob.bytes", f("[method]blob.bytes"), b.bytes_)
    c = b.clone_blob()
    L.call("live-count two", f("live-count"), g.live_count)
    cc = g.blob_concat(b, c)
    L.call("blob.concat", f("[method]blob.bytes"), cc.bytes_)
    L.call("blob.into-bytes", f("[static]blob.into-bytes"), lambda: g.blob_into_bytes(cc))
    L.call("live-count after move", f("live-count"), g.live_count)
    b.drop()
    c.drop()
    L.call("live-count after drops", f("live-count"), g.live_count)
    h = g.make_holder("lbl", b"xyz")
    L.put("holder.label", quote(h.label))
    L.call("holder.item", f("[method]blob.bytes"), h.item.bytes_)
    L.call("open-holder", f("open-holder"), lambda: g.open_holder(h))
    L.call("live-count after holder", f("live-count"), g.live_count)
    blobs = g.make_blobs(3)
    L.call("total-len", f("total-len"), lambda: g.total_len(blobs))
    each = []
    for x in blobs:
        each.append(x.bytes_())
        x.drop()
    L.put("make-blobs", _bytes_list(each))
    for kind in range(3):
        s = g.make_slot(kind)
        what = {m.SlotEmpty: "empty", m.SlotFull: "full"}.get(type(s)) or f"many {len(s.value)}"
        L.put(f"make-slot {kind}", quote(what))
        L.call(f"slot-len {kind}", f("slot-len"), lambda s=s: g.slot_len(s))
    L.call("slot-len mine", f("slot-len"), lambda: g.slot_len(m.SlotFull(g.new_blob(b"1234"))))
    try:
        g.try_blob(False)
        L.put("try-blob false", "ok()")
    except m.WitResultError as e:
        L.put("try-blob false", f"err({quote(e.value)})")
    t = g.try_blob(True)
    L.put("try-blob true", _bytes_list([t.bytes_()])[1:-1])
    t.drop()
    L.put("maybe-blob false", "none" if g.maybe_blob(False) is None else "some()")
    mb = g.maybe_blob(True)
    L.put("maybe-blob true", _bytes_list([mb.bytes_()])[1:-1])
    mb.drop()
    L.call("live-count end", f("live-count"), g.live_count)


def _counters(L: Lines, host: HostRes, g: Any) -> None:
    def f(name: str) -> M.Function:
        return L.func(name, "guest-res")

    L.call("use-counter", f("use-counter"), lambda: g.use_counter(10, 5))
    host.state(L, "use-counter")
    a, b = host.make(3), host.make(4)
    L.call("sum-counters", f("sum-counters"), lambda: g.sum_counters([a, b]))
    host.state(L, "sum-counters")
    L.call("take-counter", f("take-counter"), lambda: g.take_counter(a))
    host.state(L, "take-counter")
    L.call("cycle-counters", f("cycle-counters"), lambda: g.cycle_counters(4))
    host.state(L, "cycle-counters")
    L.call("tagged", f("tagged"), lambda: g.tagged("t", 9))
    L.call("maybe some", f("maybe"), lambda: g.maybe(6))
    L.call("maybe none", f("maybe"), lambda: g.maybe(None))
    host.state(L, "maybe")
    nc = g.new_counter(77)
    L.put("new-counter", str(nc.get()))
    host.state(L, "new-counter")
    L.call("merge-counters", f("merge-counters"), lambda: g.merge_counters(2, 5))
    host.state(L, "merge-counters")


def resources(m: Any, resolve: M.Resolve, comp: Any, engine: wasmtime.Engine) -> list[str]:
    host = HostRes(m)
    w = m.Resources.load(engine, comp, imports=m.Imports(host_res=host))
    L = Lines(resolve, "resources", m)
    _blobs(L, m, w.guest_res)
    _counters(L, host, w.guest_res)
    return L.out


# --- misbehave --------------------------------------------------------------------------------


class Sink:
    def take_string(self, s: str) -> None:
        pass

    def take_char(self, c: str) -> None:
        pass

    def take_list(self, xs: list[int]) -> None:
        pass

    def take_thing(self, t: object) -> int:
        return 1


class Types:
    def new_thing(self) -> object:
        return object()


MISBEHAVE = [
    "ok", "trap", "bad-pointer", "bad-list-length", "bad-list-alignment", "bad-utf8", "bad-enum",
    "bad-variant", "bad-option", "bad-result", "odd-bool", "bad-flags", "bad-char-surrogate",
    "bad-char-range", "bad-handle", "pass-bad-utf8", "pass-bad-char", "pass-bad-pointer",
    "pass-bad-handle", "drop-bad-handle",
]  # fmt: skip


def misbehave(m: Any, resolve: M.Resolve, comp: Any, engine: wasmtime.Engine) -> list[str]:
    L = Lines(resolve, "misbehave", m)

    def load() -> Any:
        return m.Misbehave.load(engine, comp, imports=m.Imports(sink=Sink(), types=Types()))

    for name in MISBEHAVE:
        w = load()
        L.call(name, L.func(name), getattr(w, name.replace("-", "_")))
    w = load()
    L.call("trap then", L.func("trap"), w.trap)
    L.call("ok after trap", L.func("ok"), w.ok)
    return L.out


SUITES = {"scalars": scalars, "compound": compound, "resources": resources, "misbehave": misbehave}
