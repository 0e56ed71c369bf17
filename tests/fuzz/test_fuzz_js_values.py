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
import { load, WitResultError } from "./pkg/index.js";
import { createInterface } from "node:readline";
import { isDeepStrictEqual, inspect } from "node:util";
const unwrap = (r) => { if (r.tag === "ok") return r.val; throw new WitResultError(r.val); };
const host = {};
for (const [name, kind] of Object.entries(HOST)) host[name] = kind === "unwrap" ? unwrap : (x) => x;
let ex = await load({ [IFACE]: host });
function judge(c) {
  let got;
  try { got = { ok: ex.api[c.fn](...c.args) }; } catch (e) { got = { err: e }; }
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
  if (out !== null) ex = await load({ [IFACE]: host });
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


@pytest.fixture(scope="module")
def compound(tmp_path_factory):
    """(resolve, roundtrip functions of `api`, driver) of the compound guest."""
    from support import guests

    tool("node")
    try:
        core = guests.build_c_guest("compound")
        spec = guests.guest_spec("c", "compound")
    except guests.ToolMissing as e:
        from support.missing import missing

        missing(str(e))
    folder = tmp_path_factory.mktemp("jsvalues")
    resolve = witgen.load(spec.wit)
    wid = resolve.select_world(spec.world)
    for rel, data in generate(resolve, wid, {"wasm": str(core)}).items():
        (folder / "pkg" / rel).parent.mkdir(parents=True, exist_ok=True)
        (folder / "pkg" / rel).write_bytes(data)
    (folder / "package.json").write_text('{"type": "module"}\n')
    api_id = next(i for i, x in enumerate(resolve.interfaces) if x.name == "api")
    funcs = resolve.interfaces[api_id].functions
    host = {
        camel(f.name): "unwrap" if _is_result(resolve, f.result) else "id" for f in funcs.values()
    }
    driver = DRIVER.replace("HOST", json.dumps(host)).replace("IFACE", '"witgen:compound/api"')
    (folder / "driver.mjs").write_text(driver)
    relay = [f for name, f in funcs.items() if name.startswith("roundtrip-")]
    d = Driver(folder)
    yield resolve, relay, d
    d.close()


def _is_result(resolve: model.Resolve, t: model.Type | None) -> bool:
    t = None if t is None else resolve.unalias(t)
    return isinstance(t, int) and isinstance(resolve.types[t].kind, model.Result_)


def test_random_values_round_trip_or_fail_with_a_path(compound):
    resolve, relay, driver = compound
    seen = {"ok": 0, "broken": 0}

    @fuzz_settings(300)
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
        assert verdict is None, f"{verdict}\ncase: {source}"

    run()
    assert seen["ok"] and seen["broken"], seen
