"""The generated package in headless Chromium: served by a local static server on 127.0.0.1,
`load()` fetches the bundled core module (streaming compile) and a guest call succeeds."""

from __future__ import annotations

import functools
import http.server
import re
import subprocess
import threading

import pytest
from js_support import chromium_exe, need, write_pkg

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


class _Handler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".wasm": "application/wasm",
        ".js": "text/javascript",
    }

    def log_message(self, *args):  # keep the test output quiet
        pass


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
    handler = functools.partial(_Handler, directory=str(tmp_path / "site"))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/index.html"
    finally:
        server.shutdown()
        server.server_close()


def test_guest_call_in_headless_chromium(site, tmp_path):
    exe = chromium_exe()
    cmd = [
        exe,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--no-first-run",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        f"--user-data-dir={tmp_path / 'profile'}",
        "--virtual-time-budget=15000",
        "--dump-dom",
        site,
    ]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    m = re.search(r'<div id="out">(.*?)</div>', proc.stdout, re.S)
    assert m, (
        f"no output div (exit {proc.returncode}):\n{proc.stdout[-2000:]}\n{proc.stderr[-2000:]}"
    )
    text = m.group(1)
    assert text.startswith("RESULT:"), text
    import html
    import json

    got = json.loads(html.unescape(text[len("RESULT:") :]))
    assert got == [
        "Hello, browser!",
        "Ann is 42 years old",
        "6",
        {"name": "b", "age": 9},
        "not a number: old",
        ["Hello, browser!"],
    ]
