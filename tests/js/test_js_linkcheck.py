"""The contract check of the generated JS `load()` / `instantiate()`: a stale or wrong core module
fails before it is instantiated with ONE `WebAssembly.LinkError` listing every problem, in the
build-time checker's words (tests/guest/test_check.py holds the cases and their expected lists,
worked out by hand from the Canonical ABI). Every way of handing over a module is covered
(bytes, ArrayBuffer, Promise, streamed and plain `Response`, synchronous, compiled `Module`),
in Node and in headless Chromium; real C guests pass, one built from an older WIT fails.
"""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest
from guest.test_check import CALC, GOOD, ONE_MISTAKES
from guest.test_reader import assemble
from js_support import PROGRAMS, chromium_page, node_exe, serve, write_pkg

WAYS = ("buffer", "arraybuffer", "promise", "streamed", "response", "sync", "module")

#: GOOD, broken in many ways at once (the build-time checker's own example)
STALE = (
    '(module (import "$root" "log" (func (param i32))) '
    '(func (export "add") (param i32) (result i32) (local.get 0)))'
)
STALE_PROBLEMS = [
    'export "add" has (i32) -> i32 but the world needs (i32, i32) -> i32',
    'missing export "name": expected () -> i32',
    'missing export "take": expected (i32, i32)',
    'missing export "memory" (a memory): the world passes data through memory',
    'missing export "cabi_realloc": expected (i32, i32, i32, i32) -> i32 '
    "(the host allocates in guest memory)",
    'import "log" has (i32) but the world needs (i32, i32)',
]


def _cases() -> list[tuple[str, str, list[str]]]:
    """(id, WAT, expected problems): GOOD, each ONE_MISTAKES edit of it, and STALE."""
    out = [("good", GOOD, [])]
    for p in ONE_MISTAKES:
        (old, new), problems = p.values
        assert GOOD.count(old) == 1
        out.append((str(p.id), GOOD.replace(old, new), list(problems)))
    out.append(("stale", STALE, STALE_PROBLEMS))
    return out


def _run(tmp: Path, *node_args: str) -> tuple[dict, dict]:
    """The driver's results per case and way, and the expected problems per case."""
    wit = tmp / "calc.wit"
    wit.write_text(CALC)
    pkg = write_pkg(wit, None, tmp / "pkg")
    cases, expected = [], {}
    for cid, wat, problems in _cases():
        wasm = tmp / f"{cid}.wasm"
        wasm.write_bytes(assemble(wat, tmp))
        cases.append({"id": cid, "wasm": str(wasm)})
        expected[cid] = problems
    (tmp / "cases.json").write_text(json.dumps(cases))
    proc = subprocess.run(
        [node_exe(), *node_args, str(PROGRAMS / "linkcheck.mjs"), str(pkg / "index.js"), str(tmp / "cases.json")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout), expected


def _as_result(problems: list[str]) -> object:
    return {"world": "calc", "problems": problems} if problems else "ok"


def test_every_way_lists_the_build_time_problems(tmp_path: Path) -> None:
    got, expected = _run(tmp_path)
    assert len(got) == len(ONE_MISTAKES) + 2
    for cid, problems in expected.items():
        for way in WAYS:
            want = _module_problems(problems) if way == "module" else problems
            assert got[cid][way] == _as_result(want), (cid, way)


def _module_problems(problems: list[str]) -> list[str]:
    """What a compiled Module without type reflection gives: it has no bytes, so names and kinds
    are checked first; then each export's type by linking it into a probe module (the engine
    does not say what the type is); an import's type is not checked."""
    basic = [p for p in problems if " but the world needs " not in p]
    if basic:
        return basic
    exports = [re.fullmatch(r'export "(.*)" has .* but the world needs (.*)', p) for p in problems]
    return [
        f'export "{m[1]}" does not have the signature the world needs, {m[2]}' for m in exports if m
    ]


def test_compiled_module_with_type_reflection(tmp_path: Path) -> None:
    got, expected = _run(tmp_path, "--experimental-wasm-type-reflection")
    for cid, problems in expected.items():
        assert got[cid]["module"] == _as_result(problems), cid


PAGE = """<!doctype html>
<meta charset="utf-8">
<div id="out">pending</div>
<script type="module">
import { instantiate } from "./pkg/index.js";
const out = document.getElementById("out");
const res = {};
async function one(id, way) {
  try {
    const r = await fetch("./" + id + ".wasm");
    const src = way === "streamed" ? r : way === "module" ? await WebAssembly.compile(await r.arrayBuffer()) : new Uint8Array(await r.arrayBuffer());
    await instantiate(src, { log() {}, tick() {} }, { wasi: { wasiImport: { fd_write: () => 0 }, initialize() {} } });
    res[id + "/" + way] = "ok";
  } catch (e) {
    res[id + "/" + way] = (e instanceof WebAssembly.LinkError ? "" : "unexpected: ") + e.message;
  }
}
await Promise.all(IDS.flatMap((id) => [one(id, "streamed"), one(id, "bytes"), one(id, "module")]));
out.textContent = "RESULT:" + JSON.stringify(res);
</script>
"""


def test_chromium_lists_the_same_problems(tmp_path: Path) -> None:
    site = tmp_path / "site"
    wit = tmp_path / "calc.wit"
    wit.write_text(CALC)
    write_pkg(wit, None, site / "pkg")
    ids = []
    expected = {}
    for cid, wat, problems in _cases():
        (site / f"{cid}.wasm").write_bytes(assemble(wat, tmp_path))
        ids.append(cid)
        expected[cid] = problems
    (site / "index.html").write_text(PAGE.replace("IDS", json.dumps(ids)))
    with serve(site) as url:
        got = chromium_page(url + "index.html", tmp_path)
    for cid, all_problems in expected.items():
        for way in ("streamed", "bytes", "module"):
            text = got[f"{cid}/{way}"]
            problems = _module_problems(all_problems) if way == "module" else all_problems
            if not problems:
                assert text == "ok", (cid, way)
                continue
            n = len(problems)
            head = f"the core module does not fit world `calc` ({n} problem{'s' if n > 1 else ''}):"
            assert text == head + "".join(f"\n  - {p}" for p in problems), (cid, way)


def test_guest_of_an_older_wit_fails(tmp_path: Path) -> None:
    """The real C `hello` guest against a newer `hello` world: one export gained a parameter,
    one is new, an import changed; `load()` lists all three before running anything."""
    from support import guests

    try:
        core = guests.build_c_guest("hello")
        spec = guests.guest_spec("c", "hello")
    except guests.ToolMissing as e:
        pytest.skip(str(e))
    wit = spec.wit.read_text() if spec.wit.is_file() else (spec.wit / "world.wit").read_text()
    newer = wit.replace("export sum-list: func(xs: list<s32>)", "export sum-list: func(xs: list<s32>, start: s64)")
    newer = newer.replace("import log: func(msg: string);", "import log: func(level: u8, msg: string);")
    newer = newer.replace("world hello {", "world hello {\n  export version: func() -> u32;")
    assert newer.count("start: s64") == 1 and newer.count("level: u8") == 1
    (tmp_path / "wit").mkdir()
    (tmp_path / "wit" / "world.wit").write_text(newer)
    # (bundling it would fail the build: the build-time check is tests/guest/test_check.py's)
    write_pkg(tmp_path / "wit", "hello", tmp_path / "pkg")
    script = (
        'import { instantiate } from "./pkg/index.js";\n'
        'import { readFile } from "node:fs/promises";\n'
        f"try {{ await instantiate(readFile({json.dumps(str(core))}), {{ log() {{}} }}); console.log('loaded'); }}\n"
        "catch (e) { console.log(e.constructor.name + ': ' + e.message); }\n"
    )
    (tmp_path / "main.mjs").write_text(script)
    out = subprocess.run([node_exe(), str(tmp_path / "main.mjs")], capture_output=True, text=True, timeout=60)
    assert out.stdout.strip() == (
        "LinkError: the core module does not fit world `hello` (3 problems):\n"
        '  - missing export "version": expected () -> i32\n'
        '  - export "sum-list" has (i32, i32) -> i64 but the world needs (i32, i32, i64) -> i64\n'
        '  - import "log" has (i32, i32) but the world needs (i32, i32, i32)'
    ), out.stderr


def test_wasi_imports_need_the_wasi_option(tmp_path: Path) -> None:
    wit = tmp_path / "calc.wit"
    wit.write_text(CALC)
    pkg = write_pkg(wit, None, tmp_path / "pkg")
    wat = GOOD.replace(
        '(import "$root" "log" (func (param i32 i32)))',
        '(import "$root" "log" (func (param i32 i32)))'
        ' (import "wasi_snapshot_preview1" "fd_write" (func (param i32 i32 i32 i32) (result i32)))'
        ' (import "wasi_snapshot_preview1" "proc_exit" (func (param i32)))',
    )
    (tmp_path / "g.wasm").write_bytes(assemble(wat, tmp_path))
    script = (
        f"import {{ instantiate }} from {json.dumps(str(pkg / 'index.js'))};\n"
        'import { readFileSync } from "node:fs";\n'
        f"const b = readFileSync({json.dumps(str(tmp_path / 'g.wasm'))});\n"
        "try { await instantiate(b, { log() {} }); } catch (e) { console.log(e.message); }\n"
        "const x = { wasi_snapshot_preview1: { fd_write: () => 0, proc_exit() {} } };\n"
        "const ex = await instantiate(b, { log() {} }, { extraImports: x });\n"
        "console.log(ex.add(2, 3));\n"
        "try { await instantiate(b, { log() {} }, { extraImports: { ...x, $root: {} } }); } catch (e) { console.log(e.message); }\n"
    )
    (tmp_path / "main.mjs").write_text(script)
    out = subprocess.run([node_exe(), str(tmp_path / "main.mjs")], capture_output=True, text=True, timeout=60)
    lines = out.stdout.splitlines()
    assert lines == [
        "the core module does not fit world `calc` (1 problem):",
        "  - the module imports WASI preview 1 (fd_write, proc_exit): pass the `wasi` option",
        "5",
        "the core module does not fit world `calc` (1 problem):",
        '  - extraImports: module "$root" is the world\'s own: its functions come from `imports`',
    ], out.stderr
    assert re.search("LinkError", out.stderr) is None


def test_signature_reader_agrees_with_the_build_time_reader(tmp_path: Path) -> None:
    """The JS reader of `load()` and `witgen.guest.reader` (written separately) give the same
    function signatures for real guests and the WAT cases; every prefix of a module gives
    "too short" or the same answer (the streamed path)."""
    from support import guests

    from witgen.guest.check import render_signature
    from witgen.guest.reader import parse_module

    try:
        mods = [guests.build_c_guest(n) for n in ("hello", "compound", "resources", "wasi-print", "async")]
    except guests.ToolMissing as e:
        pytest.skip(str(e))
    for cid, wat, _ in _cases():
        (tmp_path / f"{cid}.wasm").write_bytes(assemble(wat, tmp_path))
        mods.append(tmp_path / f"{cid}.wasm")
    wit = tmp_path / "calc.wit"
    wit.write_text(CALC)
    pkg = write_pkg(wit, None, tmp_path / "pkg")
    proc = subprocess.run(
        [node_exe(), str(PROGRAMS / "coresigs.mjs"), str(pkg / "index.js"), *map(str, mods)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    got = json.loads(proc.stdout)
    for path in mods:
        m = parse_module(Path(path).read_bytes())
        want = {
            "imports": {f"{i.module}\0{i.name}": render_signature(*i.type) for i in m.imports if i.type},
            "exports": {e.name: render_signature(*e.type) for e in m.exports if e.type},
            "prefixes": True,
        }
        assert got[str(path)] == want, path


def test_load_from_a_path_and_a_file_url_lists_the_build_time_problems(tmp_path: Path) -> None:
    """`load(imports, path)` and `load(imports, fileUrl)` of the hello package (bundling the C
    hello guest) handed the C scalars guest: the LinkError lists what `witgen.guest.check` lists
    for that guest against the hello world."""
    from support import guests

    import witgen
    from witgen.guest.check import check_guest

    try:
        hello = guests.build_c_guest("hello")
        scalars = guests.build_c_guest("scalars")
        spec = guests.guest_spec("c", "hello")
    except guests.ToolMissing as e:
        pytest.skip(str(e))
    write_pkg(spec.wit, spec.world, tmp_path / "pkg", wasm=str(hello))
    resolve = witgen.load(spec.wit)
    problems = check_guest(resolve, resolve.select_world("hello"), scalars.read_bytes())
    assert len(problems) > 3
    script = (
        'import { load } from "./pkg/index.js";\n'
        'import { pathToFileURL } from "node:url";\n'
        f"const p = {json.dumps(str(scalars))};\n"
        "for (const src of [p, pathToFileURL(p)]) {\n"
        "  try { await load({ log() {} }, src); console.log('loaded'); }\n"
        "  catch (e) { console.log(JSON.stringify(e.constructor.name + ': ' + e.message)); }\n"
        "}\n"
    )
    (tmp_path / "main.mjs").write_text(script)
    out = subprocess.run([node_exe(), str(tmp_path / "main.mjs")], capture_output=True, text=True, timeout=60)
    n = len(problems)
    want = f"LinkError: the core module does not fit world `hello` ({n} problems):" + "".join(
        f"\n  - {p}" for p in problems
    )
    assert [json.loads(line) for line in out.stdout.splitlines()] == [want, want], out.stderr
