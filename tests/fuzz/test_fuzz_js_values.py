"""Random JS values through a real guest: the `compound` C guest's `api` exports relay every
value to the host's `api` imports and back, so each value crosses host->guest and guest->host
twice. A valid value must come back equal (`util.isDeepStrictEqual`, after the documented
normalizations: bigint for u64, typed arrays for numeric lists, every flag key); a value with one
broken node must be rejected with a TypeError/RangeError naming the function and that node's
path (docs/js.md "Errors"). One node process serves all examples over a pipe."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from fuzz_support import fuzz_settings, tool
from hypothesis import given
from hypothesis import strategies as st
from js_values import UNDEF, Values, camel, js

import witgen
from witgen import model
from witgen.js import generate

DRIVER = r"""
import * as P from "./pkg/index.js";
const load = P.load, WitResultError = P.WitResultError ?? class {};  // (only there if used)
import { createInterface } from "node:readline";
import { isDeepStrictEqual, inspect } from "node:util";
const unwrap = (r) => { if (r.tag === "ok") return r.val; throw new WitResultError(r.val); };
const host = {};
for (const [name, kind] of Object.entries(HOST)) host[name] = kind === "unwrap" ? unwrap : (x) => x;
let ex = await load(IMPORTS);
function judge(c) {
  let got;
  try { got = { ok: TARGET[c.fn](...c.args) }; } catch (e) { got = { err: e }; }
  const show = (v) => inspect(v, { depth: 8 });
  if ("path" in c) {
    if (!("err" in got)) return "broken value accepted, returned " + show(got.ok);
    const e = got.err;
    const want = c.label + ": " + c.path + ": ";
    if (!(e instanceof TypeError || e instanceof RangeError) || !e.message.startsWith(want))
      return "expected a TypeError/RangeError starting " + JSON.stringify(want) + ", got " + show(e);
    return null;
  }
  if ("err" in got) {
    if (c.throws && got.err instanceof WitResultError) {
      return isDeepStrictEqual(got.err.payload, c.expect) ? null : "WitResultError payload " + show(got.err.payload) + " != " + show(c.expect);
    }
    return "valid value rejected: " + show(got.err);
  }
  if (c.throws) return "expected WitResultError, returned " + show(got.ok);
  return isDeepStrictEqual(got.ok, c.expect) ? null : "returned " + show(got.ok) + " != " + show(c.expect);
}
for await (const line of createInterface({ input: process.stdin })) {
  let out;
  try { out = judge((0, eval)("(" + line + ")")); } catch (e) { out = "driver: " + e; }
  process.stdout.write(JSON.stringify(out) + "\n");
  if (out !== null) ex = await load(IMPORTS);
}
"""


class Driver:
    def __init__(self, folder: Path) -> None:
        self.proc = subprocess.Popen(
            [tool("node"), str(folder / "driver.mjs")],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )

    def judge(self, case: str) -> str | None:
        assert self.proc.stdin and self.proc.stdout
        self.proc.stdin.write(case.replace("\n", " ") + "\n")
        self.proc.stdin.flush()
        line = self.proc.stdout.readline()
        assert line, "the node driver died"
        result: str | None = json.loads(line)
        return result

    def close(self) -> None:
        assert self.proc.stdin
        self.proc.stdin.close()
        self.proc.wait(timeout=30)


#: guest -> (kind, name, interface of the echo functions or None for the world's own, import
#: object keyed how `load` wants it: "api" for the interface, "world" for world functions)
GUESTS = {
    "compound": ("c", "compound", "api"),
    "fixed-lists": ("c", "fixed-lists", None),
    "maps": ("wat", "maps", None),
}
#: echo-style exports of each guest: they return what they were given (through the host or not)
ECHO = {"compound": "roundtrip-", "fixed-lists": "relay-bytes", "maps": "echo-map"}


def _guest(kind: str, name: str, tmp: Path) -> tuple[Path, Path, str]:
    """(core module, WIT path, world) of a guest; skips when a tool is missing."""
    from support import guests
    from support.missing import missing

    if kind == "wat":
        wat = Path(__file__).resolve().parents[1] / "js" / "wat"
        core = tmp / f"{name}.wasm"
        subprocess.run([tool("wasm-tools"), "parse", str(wat / f"{name}.wat"), "-o", str(core)], check=True)
        return core, wat / f"{name}.wit", name
    try:
        core = guests.build_c_guest(name)
        spec = guests.guest_spec(kind, name)
    except guests.ToolMissing as e:
        missing(str(e))
    return core, spec.wit, spec.world


@pytest.fixture(scope="module", params=sorted(GUESTS))
def guest(request, tmp_path_factory):
    """(resolve, echo functions, driver) of one guest's generated package."""
    tool("node")
    kind, name, iface = GUESTS[request.param]
    folder = tmp_path_factory.mktemp("jsvalues")
    core, wit, world = _guest(kind, name, folder)
    resolve = witgen.load(wit)
    wid = resolve.select_world(world)
    for rel, data in generate(resolve, wid, {"wasm": str(core)}).items():
        (folder / "pkg" / rel).parent.mkdir(parents=True, exist_ok=True)
        (folder / "pkg" / rel).write_bytes(data)
    (folder / "package.json").write_text('{"type": "module"}\n')
    if iface is None:
        w = resolve.worlds[wid]
        imports = [i.function for i in w.imports.values() if hasattr(i, "function")]
        exports = {i.function.name: i.function for i in w.exports.values() if hasattr(i, "function")}
        pkg = resolve.packages[resolve.main_package]
        key, target = None, "ex"
    else:
        iid = next(i for i, x in enumerate(resolve.interfaces) if x.name == iface)
        imports = list(resolve.interfaces[iid].functions.values())
        exports = resolve.interfaces[iid].functions
        pkg = resolve.packages[resolve.interfaces[iid].package]
        key, target = f"{pkg.name.namespace}:{pkg.name.name}/{iface}", f"ex.{camel(iface)}"
    host = {camel(f.name): "unwrap" if _is_result(resolve, f.result) else "id" for f in imports}
    driver = DRIVER.replace("HOST", json.dumps(host)).replace("TARGET", target)
    driver = driver.replace("IMPORTS", "host" if key is None else f"{{ {json.dumps(key)}: host }}")
    (folder / "driver.mjs").write_text(driver)
    echo = [f for n, f in exports.items() if n.startswith(ECHO[request.param])]
    assert echo, f"no echo functions in {name}"
    d = Driver(folder)
    yield resolve, echo, d
    d.close()


#: verdicts of known, open bugs in the JS target (each has a strict-xfail replay in
#: test_found_values); remove an entry when its bug is fixed.
KNOWN_VALUE_BUGS: list[str] = []

#: (guest, case) found by the fuzzer, as `run` sends it to the driver; the last one is valid
#: and shows the replay passes when the binding is right
FOUND = [
    pytest.param(
        "fixed-lists",
        '{"fn": "reverseBytes", "args": [[0, 0, 0, 1n]], "path": "x[3]", "label": "reverse-bytes"}',
        id="bigint-for-u8-in-fixed-list",
    ),
    pytest.param(
        "compound",
        '{"fn": "roundtripPoint", "args": [{"x": 1n, "y": 0}], "path": "x.x", "label": "roundtrip-point"}',
        id="bigint-for-s32-in-flat-record",
    ),
    pytest.param(
        "compound",
        '{"fn": "roundtripListU32", "args": [[1, 4294967295]], "expect": new Uint32Array([1, 4294967295])}',
        id="list-u32-as-array",
    ),
    pytest.param(
        "maps",
        '{"fn": "echoMap", "args": [new Map([["k".repeat(70000), 1]])], '
        '"expect": new Map([["k".repeat(70000), 1]])}',
        id="map-past-the-guests-first-memory-page",  # its bump allocator did not grow memory
    ),
    pytest.param(
        "maps",
        '{"fn": "echoMap", "args": [new Map([["\\ufeff", 0], ["\\ufeffx\\u00e9", 1]])], '
        '"expect": new Map([["\\ufeff", 0], ["\\ufeffx\\u00e9", 1]])}',
        id="string-starting-with-a-bom",  # TextDecoder dropped a leading U+FEFF
    ),
]


@pytest.mark.parametrize(("guest", "case"), FOUND, indirect=["guest"])
def test_found_values(guest, case: str):
    _resolve, _echo, driver = guest
    verdict = driver.judge(case)
    assert verdict is None, verdict


def _is_result(resolve: model.Resolve, t: model.Type | None) -> bool:
    t = None if t is None else resolve.unalias(t)
    return isinstance(t, int) and isinstance(resolve.types[t].kind, model.Result_)


def test_random_values_round_trip_or_fail_with_a_path(guest):
    resolve, relay, driver = guest
    seen = {"ok": 0, "broken": 0}

    @fuzz_settings(150)
    @given(data=st.data())
    def run(data: st.DataObject) -> None:
        func: model.Function = data.draw(st.sampled_from(relay))
        param = func.params[0]
        broken = data.draw(st.integers(0, 2)) == 0
        values = Values(data.draw, resolve)
        inp, out = values.case(param.type, camel(param.name), broken)
        case: dict[str, object] = {"fn": camel(func.name), "args": [inp]}
        if values.broken is not None:
            case |= {"path": values.broken, "label": func.name}
        elif _is_result(resolve, func.result):
            assert isinstance(out, dict)
            case |= {"expect": out.get("val", UNDEF), "throws": out["tag"] == "err"}
        else:
            case["expect"] = out
        seen["broken" if values.broken is not None else "ok"] += 1
        source = js(case)
        verdict = driver.judge(source)
        if verdict is not None and any(k in verdict for k in KNOWN_VALUE_BUGS):
            return  # an open bug with a strict-xfail replay (FOUND)
        assert verdict is None, f"{verdict}\ncase: {source}"

    run()
    assert seen["ok"] and seen["broken"], seen
