"""A package whose guest uses WASI preview 1 (tests/guests/c/wasi-print) through the bundlers of
the toolchain matrix (tests/js/test_toolchains.py): each picks the browser entry, which has the
package's WASI shim and no `node:` import, and the app runs in headless Chromium: stdout lines
reach the callback, `exit(3)` is a `WitExitError` with code 3."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from js_support import need, node_exe, write_pkg
from test_toolchains import module_page, no_node_imports, page_text, run, static_server, tool

NAME = "printer-wasi"
MAIN_JS = """import { load, WitExitError } from "printer-wasi";
const out = document.getElementById("out");
const lines = [];
load({ log() {} }, undefined, { wasi: { args: ["app"], stdout: (l) => lines.push(l), stderr: () => {} } }).then(
  (g) => {
    const n = g.greet("bundler");
    let code = null;
    try { g.quit(3); } catch (e) { code = e instanceof WitExitError ? e.code : String(e); }
    out.textContent = "RESULT:" + JSON.stringify([n, lines, code]);
  },
  (e) => { out.textContent = "ERROR:" + ((e && e.stack) || e); },
);
"""
ANSWER = [1, ["Hello, bundler!", "bye 3"], 3]


@pytest.fixture(scope="module")
def pkg(tmp_path_factory) -> Path:
    from support import guests

    try:
        core = guests.build_c_guest("wasi-print")
        spec = guests.guest_spec("c", "wasi-print")
    except guests.ToolMissing as e:
        need(str(e))
    out = tmp_path_factory.mktemp("wasi-pkg") / NAME
    return write_pkg(spec.wit, spec.world, out, name=NAME, wasm=str(core))


def _app(root: Path, pkg: Path, files: dict[str, str]) -> None:
    shutil.copytree(pkg, root / "node_modules" / NAME)
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)


def _esbuild(root: Path, pkg: Path) -> Path:
    _app(root, pkg, {"main.js": MAIN_JS, "dist/index.html": module_page("./main.js")})
    run([tool("esbuild/bin/esbuild"), "main.js", "--bundle", "--format=esm", "--outfile=dist/main.js"], root)
    for wasm in (root / "node_modules" / NAME).glob("*.wasm"):
        shutil.copy(wasm, root / "dist")
    return root / "dist"


def _webpack(root: Path, pkg: Path) -> Path:
    page = '<!doctype html>\n<meta charset="utf-8">\n<div id="out">pending</div>\n<script src="./main.js"></script>\n'
    _app(root, pkg, {"main.js": MAIN_JS, "dist/index.html": page})
    cli = tool("webpack-cli/bin/cli.js")
    run([node_exe(), cli, "build", "--mode=production", "--entry=./main.js", "-o", "dist"], root)
    return root / "dist"


def _vite(root: Path, pkg: Path) -> Path:
    _app(root, pkg, {"main.js": MAIN_JS, "index.html": module_page("/main.js")})
    run([node_exe(), tool("vite/bin/vite.js"), "build"], root)
    return root / "dist"


BUILDS = {"esbuild": _esbuild, "webpack": _webpack, "vite8-build": _vite}


@pytest.mark.parametrize("bundler", list(BUILDS))
def test_wasi_package_bundled_runs_in_chromium(bundler: str, pkg: Path, tmp_path: Path) -> None:
    dist = BUILDS[bundler](tmp_path / "app", pkg)
    no_node_imports(dist)
    with static_server(dist) as url:
        text = page_text(url + "index.html", tmp_path / "profile")
    assert text.startswith("RESULT:"), text
    assert json.loads(text[len("RESULT:") :]) == ANSWER
