"""The generated package in headless Chromium: served by a local static server on 127.0.0.1,
`load()` fetches the bundled core module (streaming compile) and a guest call succeeds."""

from __future__ import annotations

import pytest
from js_support import chromium_page, need, serve, write_pkg

PAGE = """<!doctype html>
<meta charset="utf-8">
<title>witgen</title>
<div id="out">pending</div>
<script type="module">
import { load, WitResultError } from "./pkg/browser.js";
const out = document.getElementById("out");
try {
  const logs = [];
  const ex = await load({ log: (m) => { logs.push(m); } });
  let err = "";
  try { ex.parseAge("old"); } catch (e) { err = e instanceof WitResultError ? e.payload : String(e); }
  out.textContent = "RESULT:" + JSON.stringify([ex.greet("browser"), ex.describe({ name: "Ann", age: 42 }),
    String(ex.sumList([1, 2, 3])), ex.oldest([{ name: "a", age: 1 }, { name: "b", age: 9 }]), err, logs]);
} catch (e) {
  out.textContent = "ERROR:" + (e && e.stack || e);
}
</script>
"""


@pytest.fixture
def site(tmp_path):
    from support import guests

    try:
        core = guests.build_c_guest("hello")
        spec = guests.guest_spec("c", "hello")
    except guests.ToolMissing as e:
        need(str(e))
    write_pkg(spec.wit, spec.world, tmp_path / "site" / "pkg", wasm=str(core))
    (tmp_path / "site" / "index.html").write_text(PAGE)
    with serve(tmp_path / "site") as url:
        yield url + "index.html"


def test_guest_call_in_headless_chromium(site, tmp_path):
    got = chromium_page(site, tmp_path)
    assert got == [
        "Hello, browser!",
        "Ann is 42 years old",
        "6",
        {"name": "b", "age": 9},
        "not a number: old",
        ["Hello, browser!"],
    ]
