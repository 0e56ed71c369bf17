"""Differential tests: the same C guests run through witgen's package, through `jco transpile`
of the same guest as a component, and through wasmtime-py; the results must agree.

Every host gets the same call list with the same inputs and host imports with the same
behaviour (`programs/diff_driver.mjs` for the two JS hosts, `_WasmtimeHost` here):

- witgen vs jco: both are JS, so their results (normalized to JSON by the driver) must be equal
  as they are, per call, including what the host imports logged during the call.
- witgen vs wasmtime-py: the values differ in form (JS objects vs wasmtime-py's `Record`s, sets,
  untagged variants), so both sides are converted to one canonical form (`_canon_js`,
  `_canon_py`) directed by the function's WIT result type, which is read from the component
  itself (wasmtime-py's type reflection), not from witgen. The conversion checks the shape it
  expects on each side, so a wrong value on either side still shows up as a difference.

Worlds: scalars, hello, compound and resources through all three hosts. Calls wasmtime-py cannot
make are listed with the reason in `WASMTIME_SKIP`; they are still compared witgen vs jco.
"""

from __future__ import annotations

import json
import math
import re
import subprocess

import pytest
from js_support import PROGRAMS, need, node_exe, write_pkg
from support import guests

# --- call lists ----------------------------------------------------------------------------------
# Arguments are written in the JS input form witgen's package documents (docs/js.md, "Types"),
# with markers for what JSON cannot carry; diff_driver.mjs decodes them for JS, `_to_py` for
# wasmtime-py.

B = lambda v: {"big": str(v)}  # noqa: E731 - a u64/s64 argument
BYTES = lambda *v: {"bytes": list(v)}  # noqa: E731 - a list<u8> argument
FLOAT = lambda s: {"float": s}  # noqa: E731 - "NaN", "Infinity", "-Infinity"
REF = lambda i, *path: {"ref": [i, *path]}  # noqa: E731 - (part of) the result of call i
COUNTER = lambda v: {"counter": v}  # noqa: E731 - a new host counter with value v
OPT2 = lambda *v: {"option2": list(v)}  # noqa: E731 - option<option<T>>: () none, (x,) some(x)

#: (export, args); `iface#f` for a function of an exported interface
SCALARS = [
    ("add", [1, 2]),
    ("add", [4294967295, 1]),
    ("add-via-host", [3, 4]),
    ("echo", ["héllo wörld 😀"]),
    ("echo", [""]),
    ("concat", ["ab", "€"]),
    ("byte-len", ["😀"]),
    ("char-count", ["😀a"]),
    ("sum", [BYTES(1, 2, 250)]),
    ("bytes-roundtrip", [BYTES(9, 8, 7)]),
    ("f32-to-bits", [1.5]),
    ("f32-from-bits", [0x3FC00000]),
    ("f64-to-bits", [2.5]),
    ("f64-from-bits", [B(0x3FF8000000000000)]),
    ("f64-from-bits", [B(0x7FF8000000000001)]),
    ("f64-from-bits", [B(0xFFF0000000000000)]),
    ("log-message", ["logged"]),
    ("noop", []),
    ("numbers#roundtrip-bool", [True]),
    ("numbers#roundtrip-u8", [255]),
    ("numbers#roundtrip-s8", [-128]),
    ("numbers#roundtrip-u16", [65535]),
    ("numbers#roundtrip-s16", [-32768]),
    ("numbers#roundtrip-u32", [4294967295]),
    ("numbers#roundtrip-s32", [-2147483648]),
    ("numbers#roundtrip-u64", [B(2**64 - 1)]),
    ("numbers#roundtrip-s64", [B(-(2**63))]),
    ("numbers#roundtrip-f32", [0.1]),
    ("numbers#roundtrip-f64", [0.1]),
    ("numbers#roundtrip-f64", [FLOAT("-Infinity")]),
    ("numbers#roundtrip-char", ["😀"]),
    ("numbers#roundtrip-string", ["a€😀"]),
]
HELLO = [
    ("greet", ["wörld"]),
    ("describe", [{"name": "Ann", "age": 42}]),
    ("sum-list", [[1, -2, 2147483647]]),
    ("parse-age", ["42"]),
    ("parse-age", ["x"]),
    ("oldest", [[{"name": "a", "age": 1}, {"name": "b", "age": 9}]]),
    ("oldest", [[]]),
]
PT = {"x": 1, "y": -2}
MIXED = {
    "a": 255,
    "b": B(2**64 - 1),
    "c": "str€",
    "d": [1, 65535],
    "e": PT,
    "f": 1.5,
    "g": True,
    "h": "😀",
}
MIXED0 = {"a": 0, "b": 0, "c": "", "d": [], "e": None, "f": -0.25, "g": False, "h": "a"}
SHAPES = [
    {"tag": "circle", "val": 1.25},
    {"tag": "rect", "val": [1.5, 2.5]},
    {"tag": "at", "val": PT},
    {"tag": "nothing"},
    {"tag": "label", "val": "lbl"},
    {"tag": "count", "val": B(2**64 - 1)},
    {"tag": "color", "val": "red"},
]
MANY_ARGS = [
    255,
    -128,
    65535,
    -32768,
    4294967295,
    -2147483648,
    B(2**64 - 1),
    B(-(2**63)),
    0.5,
    0.1,
    "😀",
    True,
    "m€",
    PT,
    7,
    ["p", "q"],
    "blue",
    {"b": True},
]
MANY = dict(zip("abcdefghijklmnopqr", MANY_ARGS, strict=True))
#: the compound guest's exports of `api` call the host's import of the same name with the same
#: arguments (the hosts return them unchanged), so each call lowers and lifts both ways
COMPOUND = [
    ("make-point", [1, -2]),
    ("color-index", ["blue"]),
    *[("make-shape", [i]) for i in range(7)],
    ("sum-points", [[{"x": 1, "y": 2}, {"x": 3, "y": 4}]]),
    ("parse-number", ["12"]),
    ("parse-number", ["zz"]),
    ("api#roundtrip-point", [{"x": 1, "y": -1}]),
    ("api#roundtrip-mixed", [MIXED]),
    ("api#roundtrip-mixed", [MIXED0]),
    (
        "api#roundtrip-nested",
        [{"label": "n", "origin": PT, "path": [PT, {"x": 3, "y": 4}], "extra": MIXED}],
    ),
    ("api#roundtrip-nested", [{"label": "", "origin": PT, "path": [], "extra": None}]),
    ("api#roundtrip-tuple", [[1, "s", 2.5, {"x": 3, "y": 4}]]),
    ("api#roundtrip-color", ["green"]),
    ("api#roundtrip-small-flags", [{"a": True, "c": True}]),
    ("api#roundtrip-small-flags", [{}]),
    ("api#roundtrip-medium-flags", [{"m0": True, "m15": True}]),
    ("api#roundtrip-large-flags", [{"l31": True}]),
    ("api#roundtrip-large-flags", [{"l0": True, "l16": True}]),
    *[("api#roundtrip-shape", [s]) for s in SHAPES],
    *[("api#roundtrip-signal", [{"tag": t}]) for t in ("go", "stop", "wait")],
    ("api#roundtrip-option", [7]),
    ("api#roundtrip-option", [0]),
    ("api#roundtrip-option", [None]),
    ("api#roundtrip-option-string", ["s"]),
    ("api#roundtrip-option-string", [""]),
    ("api#roundtrip-option-string", [None]),
    ("api#roundtrip-nested-option", [OPT2()]),
    ("api#roundtrip-nested-option", [OPT2(None)]),
    ("api#roundtrip-nested-option", [OPT2(5)]),
    ("api#roundtrip-option-point", [PT]),
    ("api#roundtrip-option-point", [None]),
    ("api#roundtrip-result-unit", [{"tag": "ok"}]),
    ("api#roundtrip-result-unit", [{"tag": "err"}]),
    ("api#roundtrip-result-ok", [{"tag": "ok", "val": 3}]),
    ("api#roundtrip-result-ok", [{"tag": "err"}]),
    ("api#roundtrip-result-err", [{"tag": "ok"}]),
    ("api#roundtrip-result-err", [{"tag": "err", "val": "bad"}]),
    ("api#roundtrip-result-both", [{"tag": "ok", "val": "s"}]),
    ("api#roundtrip-result-both", [{"tag": "err", "val": "blue"}]),
    ("api#roundtrip-result-nested", [{"tag": "ok", "val": PT}]),
    ("api#roundtrip-result-nested", [{"tag": "ok", "val": None}]),
    ("api#roundtrip-result-nested", [{"tag": "err", "val": ["a", "b"]}]),
    ("api#roundtrip-list-u32", [[1, 2, 4294967295]]),
    ("api#roundtrip-list-u32", [[]]),
    ("api#roundtrip-list-f64", [[0.5, -1e300, FLOAT("NaN"), FLOAT("Infinity")]]),
    ("api#roundtrip-list-strings", [["a", "é", ""]]),
    ("api#roundtrip-list-points", [[{"x": 1, "y": 2}]]),
    ("api#roundtrip-list-lists", [[[1], [], [2, 3]]]),
    ("api#roundtrip-list-shapes", [SHAPES]),
    ("api#roundtrip-list-options", [["a", None, ""]]),
    ("api#many-params", MANY_ARGS),
    ("api#roundtrip-many", [MANY]),
    ("api#split3", ["ab"]),
]
#: a script: later calls use earlier results (REF) and check the guest's state (`live-count`)
#: and the host's (counter drops are logged by every host)
G = "guest-res#"
RESOURCES = [
    (G + "live-count", []),  # 0
    (G + "[constructor]blob", [BYTES(1, 2, 3)]),  # 1
    (G + "[method]blob.append", [REF(1), BYTES(4)]),
    (G + "[method]blob.len", [REF(1)]),
    (G + "[method]blob.bytes", [REF(1)]),
    (G + "[method]blob.clone-blob", [REF(1)]),  # 5
    (G + "[static]blob.concat", [REF(1), REF(5)]),  # 6
    (G + "live-count", []),
    (G + "total-len", [[REF(1), REF(5), REF(6)]]),
    (G + "[static]blob.into-bytes", [REF(6)]),  # moves 6 into the guest
    (G + "live-count", []),  # 10
    (G + "[drop]blob", [REF(5)]),
    (G + "live-count", []),
    (G + "make-holder", ["label", BYTES(5, 6)]),  # 13
    (G + "open-holder", [REF(13)]),  # moves the holder's blob
    (G + "live-count", []),  # 15
    (G + "make-blobs", [3]),  # 16
    (G + "total-len", [REF(16)]),
    (G + "make-slot", [0]),
    (G + "make-slot", [1]),
    (G + "make-slot", [3]),  # 18, 19, 20
    (G + "slot-len", [REF(19)]),
    (G + "slot-len", [REF(20)]),
    (G + "slot-len", [REF(18)]),
    (G + "try-blob", [True]),
    (G + "try-blob", [False]),  # 24, 25
    (G + "maybe-blob", [True]),
    (G + "maybe-blob", [False]),  # 26, 27
    (G + "live-count", []),
    (G + "[static]blob.into-bytes", [REF(16, 0)]),
    (G + "[static]blob.into-bytes", [REF(16, 2)]),
    (G + "[method]blob.len", [REF(16, 1)]),
    (G + "live-count", []),
    (G + "use-counter", [5, 3]),
    (G + "sum-counters", [[COUNTER(1), COUNTER(2)]]),
    (G + "take-counter", [COUNTER(7)]),
    (G + "merge-counters", [2, 3]),
    (G + "cycle-counters", [4]),
    (G + "tagged", ["t", 9]),
    (G + "maybe", [4]),
    (G + "maybe", [None]),
    (G + "new-counter", [11]),
    (G + "[drop]blob", [REF(1)]),
    (G + "[drop]blob", [REF(24)]),
    (G + "[drop]blob", [REF(26)]),
    (G + "live-count", []),
]
#: dropping ([Symbol.dispose]) resources that came in a list: jco 1.35 gets this wrong (the
#: dispose closures its list lifting makes capture loop variables declared with `var`, so
#: disposing any element drops the list's *last* element and makes that element's own dispose a
#: no-op; a second dispose then fails with "unknown handle index"), so these calls run last and
#: are compared witgen vs wasmtime-py only (`JCO_COMPARED`)
_N = len(RESOURCES)
RESOURCES_LIST_DROPS = [
    (G + "make-blobs", [3]),  # _N
    (G + "[drop]blob", [REF(_N, 0)]),
    (G + "live-count", []),
    (G + "[drop]blob", [REF(_N, 2)]),
    (G + "live-count", []),
    (G + "[method]blob.len", [REF(_N, 1)]),
    (G + "[drop]blob", [REF(_N, 1)]),
    (G + "[drop]blob", [REF(16, 1)]),
    (G + "live-count", []),
]
WORLDS = {
    "scalars": SCALARS,
    "hello": HELLO,
    "compound": COMPOUND,
    "resources": RESOURCES + RESOURCES_LIST_DROPS,
}
#: how many calls of a world's list are compared witgen vs jco (default: all), and why not more
JCO_COMPARED = {"resources": (_N, "jco 1.35 disposes the wrong element of a lifted list<own<R>>")}
#: calls whose JS forms differ by design between witgen and jco, and how jco's result is brought
#: to witgen's form before comparing: option<option<T>> is `{some: x} | undefined` in witgen
#: (docs/js.md, decision 1) and `{tag: "some", val: x} | {tag: "none"}` in jco
JCO_FORM = {
    "api#roundtrip-nested-option": lambda v: None if v == {"tag": "none"} else {"some": v["val"]},
}

#: calls wasmtime-py cannot make, with the reason; compared witgen vs jco only
#: ((world, export, args or None for every call of it): reason)
WASMTIME_SKIP = {
    (
        "compound",
        "api#roundtrip-result-nested",
        json.dumps([{"tag": "err", "val": ["a", "b"]}]),
    ): "wasmtime-py (50 and 51) cannot lower err(list) of an untagged result<option<point>, list<string>>: the "
    "ok case's classes include `object` (from the untagged option), so its _lower picks ok for any value",
}


def _wasmtime_skipped(world: str, fn: str, args: list) -> bool:
    return (world, fn, None) in WASMTIME_SKIP or (world, fn, json.dumps(args)) in WASMTIME_SKIP


# --- building and running ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = {}
    tmp = tmp_path_factory.mktemp("diff")
    for name in WORLDS:
        try:
            core = guests.build_c_guest(name)
            comp = guests.componentize_core(core)
            spec = guests.guest_spec("c", name)
            jco_js = guests.jco_transpile(
                comp, tmp / f"jco-{name}", "--instantiation", "async", name=name
            )
        except guests.ToolMissing as e:
            need(str(e))
        pkg = write_pkg(spec.wit, spec.world, tmp / f"witgen-{name}", wasm=str(core))
        out[name] = (pkg / "index.js", jco_js, comp, spec.wit)
    return tmp, out, {}


def _run(built, kind: str, world: str) -> dict:
    """The driver's output for one world under one JS host (one node process, memoized)."""
    tmp, b, runs = built
    if (kind, world) not in runs:
        binding = b[world][0 if kind == "witgen" else 1]
        f = tmp / f"calls-{world}.json"
        f.write_text(json.dumps({"world": world, "calls": [list(c) for c in WORLDS[world]]}))
        proc = subprocess.run(
            [node_exe(), str(PROGRAMS / "diff_driver.mjs"), kind, binding.as_uri(), str(f)],
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert proc.returncode == 0, proc.stderr
        runs[(kind, world)] = json.loads(proc.stdout.splitlines()[-1])
    return runs[(kind, world)]


@pytest.mark.parametrize("world", list(WORLDS))
def test_witgen_matches_jco(built, world):
    ours = _run(built, "witgen", world)
    theirs = _run(built, "jco", world)
    n = JCO_COMPARED.get(world, (len(WORLDS[world]), ""))[0]
    for call, x, y in zip(WORLDS[world][:n], ours["out"][:n], theirs["out"][:n], strict=True):
        if call[0] in JCO_FORM and "ok" in y:
            y = {**y, "ok": JCO_FORM[call[0]](y["ok"])}
        assert x == y, f"{call}: witgen {x} != jco {y}"


# --- canonical form ------------------------------------------------------------------------------
# Both sides become plain JSON-like values, directed by the WIT type:
#   bool, integers (u64/s64 too) -> int/bool; f32/f64 -> float, or "NaN"/"Infinity"/"-Infinity"
#   char, string, enum case -> str; list<T> (list<u8> too), tuple -> list
#   record -> {wit-field-name: value} (every field; an absent optional JS field is none)
#   flags -> sorted list of the WIT names of the set flags
#   variant, option, result -> {"tag": case} or {"tag": case, "val": payload} (always tagged:
#       wasmtime-py's untagged values are re-tagged from their Python type, which its own rule
#       makes unambiguous; JS options are tagged by none/undefined vs value, boxed `{some}` when
#       nested; a function-level `result` is the driver's {ok}/{err})
#   own/borrow -> an observation of the resource: {"blob": its bytes} (read through the guest's
#       `bytes` method) or {"counter": the host object's value}


def _wt():
    import wasmtime.component as wc

    return wc


def _cases(vt) -> list[tuple[str, object]]:
    wc = _wt()
    if isinstance(vt, wc.OptionType):
        return [("none", None), ("some", vt.payload)]
    if isinstance(vt, wc.ResultType):
        return [("ok", vt.ok), ("err", vt.err)]
    return list(vt.cases)


def _classes(vt) -> set:
    """The Python classes wasmtime-py uses for a case (a payload-less case: `object`)."""
    s: set = set()
    if vt is None:
        s.add(object)
    else:
        vt.add_classes(s)
    return s


def _is_tagged(vt) -> bool:
    """wasmtime-py's rule: a variant/option/result is a `Variant(tag, payload)` when two of its
    cases share a Python class, else the bare payload (None for a payload-less case)."""
    seen: set = set()
    for _, ty in _cases(vt):
        case = _classes(ty)
        if case & seen:
            return True
        seen |= case
    return False


def _float(v) -> float | str:
    assert isinstance(v, float), v
    return v if math.isfinite(v) else {"nan": "NaN", "inf": "Infinity", "-inf": "-Infinity"}[str(v)]


def _camel(s: str) -> str:
    return re.sub(r"-([a-z0-9])", lambda m: m[1].upper(), s)


def _is_int(v) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def _canon_js(v, vt):
    """The driver's JSON form of a JS value of WIT type `vt` -> canonical form."""
    wc = _wt()
    if vt is None:
        assert v is None, v
        return None
    if isinstance(vt, (wc.U64, wc.S64)):
        assert isinstance(v, dict) and set(v) == {"big"}, f"u64/s64 must be a bigint: {v}"
        return int(v["big"])
    if isinstance(vt, (wc.U8, wc.U16, wc.U32, wc.S8, wc.S16, wc.S32)):
        assert _is_int(v), v
        return v
    if isinstance(vt, (wc.F32, wc.F64)):
        if isinstance(v, dict):
            assert set(v) == {"float"} and v["float"] in ("NaN", "Infinity", "-Infinity"), v
            return v["float"]
        assert _is_int(v) or isinstance(v, float), v  # JSON writes 2.0 as 2
        return float(v)
    if isinstance(vt, wc.Bool):
        assert isinstance(v, bool), v
        return v
    if isinstance(vt, (wc.String, wc.Char, wc.EnumType)):
        assert isinstance(v, str), v
        if isinstance(vt, wc.Char):
            assert len(v) == 1, v
        if isinstance(vt, wc.EnumType):
            assert v in vt.names, v
        return v
    if isinstance(vt, wc.ListType):
        if isinstance(vt.element, wc.U8):
            assert isinstance(v, dict) and set(v) == {"bytes"}, (
                f"list<u8> must be a Uint8Array: {v}"
            )
            return v["bytes"]
        assert isinstance(v, list), v
        return [_canon_js(x, vt.element) for x in v]
    if isinstance(vt, wc.TupleType):
        assert isinstance(v, list) and len(v) == len(vt.elements), v
        return [_canon_js(x, t) for x, t in zip(v, vt.elements, strict=True)]
    if isinstance(vt, wc.RecordType):
        assert isinstance(v, dict), v
        fields = {_camel(n): (n, t) for n, t in vt.fields}
        assert set(v) <= set(fields), f"unexpected fields {set(v) - set(fields)}"
        out = {}
        for key, (name, ty) in fields.items():
            if key not in v:  # only an optional field may be left out (it is none)
                assert isinstance(ty, wc.OptionType), f"field {key} missing"
            out[name] = _canon_js(v.get(key), ty)
        return out
    if isinstance(vt, wc.FlagsType):
        names = {_camel(n): n for n in vt.names}
        assert isinstance(v, dict) and set(v) == set(names), f"flags must have every key: {v}"
        assert all(isinstance(x, bool) for x in v.values()), v
        return sorted(names[k] for k, x in v.items() if x)
    if isinstance(vt, wc.OptionType):
        if v is None:
            return {"tag": "none"}
        if isinstance(vt.payload, wc.OptionType):  # option<option<T>>: the outer some is boxed
            assert isinstance(v, dict) and set(v) == {"some"}, v
            v = v["some"]
        return {"tag": "some", "val": _canon_js(v, vt.payload)}
    if isinstance(vt, (wc.ResultType, wc.VariantType)):
        assert isinstance(v, dict) and "tag" in v, v
        ty = dict(_cases(vt))[v["tag"]]
        if ty is None:  # a payload-less case has no `val`
            assert set(v) == {"tag"}, v
            return {"tag": v["tag"]}
        assert set(v) == {"tag", "val"}, v
        return {"tag": v["tag"], "val": _canon_js(v["val"], ty)}
    if isinstance(vt, (wc.OwnType, wc.BorrowType)):
        # the driver's observation: {blob: bytes via the guest's `bytes`} / {counter: host value}
        assert isinstance(v, dict) and len(v) == 1 and set(v) <= {"blob", "counter"}, v
        assert isinstance(v.get("blob", []), list) and _is_int(v.get("counter", 0)), v
        return v
    raise AssertionError(f"no canonical form for {vt}")


def _canon_js_entry(entry: dict, vt):
    """A driver output entry of a call whose result type is `vt` -> canonical form."""
    wc = _wt()
    if isinstance(vt, wc.ResultType):  # a function-level result: returned ok, thrown err
        tag = "ok" if "ok" in entry else "err"
        ty = vt.ok if tag == "ok" else vt.err
        return {"tag": tag} if ty is None else {"tag": tag, "val": _canon_js(entry[tag], ty)}
    assert "ok" in entry, f"threw: {entry.get('err')}"
    return _canon_js(entry["ok"], vt)


class _WasmtimeHost:
    """One instance of a guest under wasmtime-py with host imports that behave like the
    driver's, running a call list and canonicalizing its results."""

    def __init__(self, world: str, component, wit):
        wc = _wt()
        self.world = world
        self.logs: list[str] = []
        self.refs: list = []
        logs = self.logs
        imports: dict
        ident = lambda x: x  # noqa: E731
        if world == "scalars":
            numbers = {
                f"roundtrip-{t}": ident
                for t in (
                    "bool",
                    "u8",
                    "s8",
                    "u16",
                    "s16",
                    "u32",
                    "s32",
                    "u64",
                    "s64",
                    "f32",
                    "f64",
                    "char",
                    "string",
                )
            }
            imports = {
                "witgen:scalars/numbers": numbers,
                "host-add": lambda a, c: (a + c) & 0xFFFFFFFF,
                "log": logs.append,
            }
        elif world == "compound":
            # every roundtrip-* import of `api` (read from the guest's WIT) returns its argument;
            # wasmtime-py lifts and lowers a result/option/variant the same way, so identity works
            api_src = re.search(r"interface api \{(.*?)\n\}", wit.read_text(), re.S)[1]
            api = {n: ident for n in re.findall(r"^\s*(roundtrip-[a-z0-9-]+):", api_src, re.M)}
            api["split3"] = lambda s: (s, s, s)

            def many_params(*args):
                r = wc.Record()
                for name, x in zip("abcdefghijklmnopqr", args, strict=True):
                    setattr(r, name, x)
                return r

            api["many-params"] = many_params
            imports = {"witgen:compound/api": api}
        elif world == "resources":
            counters = self.counters = _LoggingCounters(type_id=1, log=logs)

            def consume(store, cs):  # the host owns them: sum, then drop (run its destructor)
                total = sum(counters.get(store, c).value for c in cs)
                for c in cs:
                    counters._dtor(store, counters.rep(store, c))
                return total

            def incr(store, this, by):
                counters.get(store, this).value += by

            def tag_counter(tag, c):
                r = wc.Record()
                r.tag, r.c = tag, c
                return r

            W = guests.WithStore
            imports = {
                "witgen:resources/host-res": {
                    "counter": counters,
                    "[constructor]counter": lambda start: counters.new(_Counter(start)),
                    "[method]counter.get": W(lambda store, this: counters.get(store, this).value),
                    "[method]counter.incr": W(incr),
                    "[static]counter.merge": W(
                        lambda store, a, b: counters.new(
                            _Counter(counters.get(store, a).value + counters.get(store, b).value)
                        )
                    ),
                    "make-counters": lambda n: [counters.new(_Counter(i)) for i in range(n)],
                    "consume-counters": W(consume),
                    "tag-counter": tag_counter,
                    "maybe-counter": lambda s: (
                        "no start" if s is None else counters.new(_Counter(s))
                    ),
                }
            }
        else:
            imports = {"log": logs.append}
        self.guest = guests.WasmtimeGuest(component, imports)

    def _export(self, fn: str) -> str:
        iface, _, name = fn.rpartition("#")
        return f"witgen:{self.world}/{iface}#{name}" if iface else name

    def _to_py(self, v, vt):
        """A JS-form argument (with the driver's markers) -> wasmtime-py's value of type `vt`."""
        wc = _wt()
        if isinstance(v, dict) and "ref" in v:
            i, *path = v["ref"]
            x = self.refs[i]
            for k in path:
                x = (
                    x[k]
                    if isinstance(k, int)
                    else x.payload
                    if isinstance(x, wc.Variant)
                    else getattr(x, k)
                )
            return getattr(x, "_witgen_host", x)  # a host handle already taken out (to_host)
        if isinstance(v, dict) and "counter" in v:
            return self.counters.new(_Counter(v["counter"]))
        if isinstance(vt, (wc.U64, wc.S64)) and isinstance(v, dict):
            return int(v["big"])
        if isinstance(vt, (wc.F32, wc.F64)):
            return float(v["float"].replace("Infinity", "inf")) if isinstance(v, dict) else float(v)
        if isinstance(vt, wc.ListType):
            if isinstance(vt.element, wc.U8):
                return bytes(v["bytes"] if isinstance(v, dict) else v)
            return [self._to_py(x, vt.element) for x in v]
        if isinstance(vt, wc.TupleType):
            return tuple(self._to_py(x, t) for x, t in zip(v, vt.elements, strict=True))
        if isinstance(vt, wc.RecordType):
            r = wc.Record()
            for name, ty in vt.fields:
                setattr(r, name, self._to_py(v.get(_camel(name)), ty))
            return r
        if isinstance(vt, wc.FlagsType):
            return {n for n in vt.names if v.get(_camel(n))}
        if isinstance(vt, (wc.OptionType, wc.ResultType, wc.VariantType)):
            if isinstance(vt, wc.OptionType) and isinstance(v, dict) and "option2" in v:
                tag, val = ("some", v["option2"][0]) if v["option2"] else ("none", None)
            elif isinstance(vt, wc.OptionType):
                if v is None:
                    tag, val = "none", None
                else:
                    tag, val = "some", v["some"] if isinstance(vt.payload, wc.OptionType) else v
            else:
                tag, val = v["tag"], v.get("val")
            ty = dict(_cases(vt))[tag]
            payload = None if ty is None else self._to_py(val, ty)
            return wc.Variant(tag, payload) if _is_tagged(vt) else payload
        return v

    def _canon(self, v, vt):
        """A wasmtime-py value of WIT type `vt` -> canonical form."""
        wc = _wt()
        if vt is None:
            assert v is None, v
            return None
        if isinstance(vt, (wc.U8, wc.U16, wc.U32, wc.U64, wc.S8, wc.S16, wc.S32, wc.S64)):
            assert _is_int(v), v
            return v
        if isinstance(vt, (wc.F32, wc.F64)):
            return _float(v)
        if isinstance(vt, wc.Bool):
            assert isinstance(v, bool), v
            return v
        if isinstance(vt, (wc.String, wc.Char, wc.EnumType)):
            assert isinstance(v, str), v
            return v
        if isinstance(vt, wc.ListType):
            if isinstance(vt.element, wc.U8):
                assert isinstance(v, bytes), v
                return list(v)
            assert isinstance(v, list), v
            return [self._canon(x, vt.element) for x in v]
        if isinstance(vt, wc.TupleType):
            assert isinstance(v, tuple), v
            return [self._canon(x, t) for x, t in zip(v, vt.elements, strict=True)]
        if isinstance(vt, wc.RecordType):
            assert isinstance(v, wc.Record), v
            assert set(vars(v)) == {n for n, _ in vt.fields}, vars(v)
            return {n: self._canon(getattr(v, n), t) for n, t in vt.fields}
        if isinstance(vt, wc.FlagsType):
            assert isinstance(v, set) and v <= set(vt.names), v
            return sorted(v)
        if isinstance(vt, (wc.OptionType, wc.ResultType, wc.VariantType)):
            cases = _cases(vt)
            if _is_tagged(vt):
                assert isinstance(v, wc.Variant), v
                tag, payload = v.tag, v.payload
                ty = dict(cases)[tag]
                assert ty is not None or payload is None, v
            else:
                # untagged: exactly one case's Python classes hold the value's class; if none
                # does, it is the one case whose classes include `object` (a payload-less case:
                # the value is None; or a payload that is itself an untagged option holding None)
                hits = [(n, t) for n, t in cases if type(v) in _classes(t)]
                if not hits:
                    hits = [(n, t) for n, t in cases if object in _classes(t)]
                assert len(hits) == 1, f"cannot tell the case of {v!r} in {cases}"
                (tag, ty), payload = hits[0], v
            return {"tag": tag} if ty is None else {"tag": tag, "val": self._canon(payload, ty)}
        if isinstance(vt, (wc.OwnType, wc.BorrowType)):
            assert isinstance(v, wc.ResourceAny), v
            if v.type == wc.ResourceType.host(self.counters.type_id):
                return {"counter": self.counters.get(self.guest.store, v).value}
            return {"blob": list(self.guest.call(self._export("guest-res#[method]blob.bytes"), v))}
        raise AssertionError(f"no canonical form for {vt}")

    def run(self, fn: str, args: list) -> dict:
        """Make one call; returns {value, logs} in canonical form."""
        mark = len(self.logs)
        if "[drop]" in fn:
            self._to_py(args[0], None).drop(self.guest.store)
            self.refs.append(None)
            return {"value": None, "logs": self.logs[mark:]}
        func = self.guest.func(self._export(fn))
        ty = func.type(self.guest.store)
        params = [t for _, t in ty.params]
        assert len(params) == len(args), (fn, args)
        result = func(
            self.guest.store, *[self._to_py(a, t) for a, t in zip(args, params, strict=True)]
        )
        func.post_return(self.guest.store)
        self.refs.append(result)
        return {"value": self._canon(result, ty.result), "logs": self.logs[mark:]}

    def close(self) -> None:
        self.guest.close()


class _Counter:
    def __init__(self, value: int) -> None:
        self.value = value


class _LoggingCounters(guests.HostResource):
    """A HostResource whose destructor logs like the driver's `Counter[Symbol.dispose]`."""

    def __init__(self, type_id: int, log: list[str]) -> None:
        super().__init__(type_id)
        self.log = log

    def _dtor(self, store, rep: int) -> None:
        self.log.append(f"drop counter {self.objects[rep].value}")
        super()._dtor(store, rep)


@pytest.mark.parametrize("world", list(WORLDS))
def test_witgen_matches_wasmtime_py(built, world):
    try:
        guests._wasmtime()
    except guests.ToolMissing as e:
        need(str(e))
    _, b, _ = built
    ours = _run(built, "witgen", world)
    host = _WasmtimeHost(world, b[world][2], b[world][3])
    compared = 0
    try:
        for (fn, args), mine in zip(WORLDS[world], ours["out"], strict=True):
            if _wasmtime_skipped(world, fn, args):
                host.refs.append(None)
                continue
            got = host.run(fn, args)
            if "[drop]" in fn:
                expected = {"value": _canon_js_entry(mine, None), "logs": mine["logs"]}
            else:
                rtype = host.guest.func(host._export(fn)).type(host.guest.store).result
                expected = {"value": _canon_js_entry(mine, rtype), "logs": mine["logs"]}
            assert got == expected, f"{fn}{args}: wasmtime-py {got} != witgen {expected}"
            compared += 1
    finally:
        host.close()
    assert compared == sum(not _wasmtime_skipped(world, fn, args) for fn, args in WORLDS[world])
    assert host.logs == [
        line
        for (fn, args), e in zip(WORLDS[world], ours["out"], strict=True)
        if not _wasmtime_skipped(world, fn, args)
        for line in e["logs"]
    ]
