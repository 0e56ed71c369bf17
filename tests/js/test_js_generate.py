"""The generated package itself: tsc --strict on the .d.ts of every corpus and conformance
world, every index.js loads in Node, determinism, package layout, CLI, options, rejections,
names, tree-shaking and size."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from js_support import REPO, WAT, node_exe, tsc, tsconfig, write_pkg
from support.dummy_oracle import dummy_module
from support.wit_cases import EMPTY_RECORD_DIVERGENCES, FEATURES, pass_cases

import witgen
from witgen.js import generate
from witgen.js.linkcheck import RUNTIME as LINKCHECK

HELLO = REPO / "testprojects" / "hello-wit" / "wit"


def _gen_all(worlds: list[tuple[str, Path, tuple]], out: Path) -> tuple[list[Path], list[str]]:
    dirs, rejected = [], []
    for name, path, feats in worlds:
        resolve = witgen.load(path, features=feats)
        for wid, world in enumerate(resolve.worlds):
            try:
                files = generate(resolve, wid, {})
            except witgen.WitError as e:
                rejected.append(f"{name}/{world.name}: {e.message}")
                continue
            d = out / f"{name.replace('.', '_')}--{wid}-{world.name}"
            d.mkdir(parents=True)
            for rel, data in files.items():
                (d / rel).write_bytes(data)
            dirs.append(d)
    return dirs, rejected


def _check_dirs(dirs: list[Path], work: Path) -> None:
    for d in dirs:  # typed everywhere: no `any` in any declaration
        code = re.sub(r"/\*.*?\*/|//[^\n]*", "", (d / "index.d.ts").read_text(), flags=re.S)
        assert not re.search(r"\bany\b", code), d
    (work / "package.json").write_text('{"type": "module"}\n')
    tsconfig(work / "tsconfig.json", [f"{d.name}/index.d.ts" for d in dirs], no_emit=True)
    tsc(["-p", str(work / "tsconfig.json")], work)
    # every index.js loads as an ES module (syntax, duplicate names, top-level code)
    script = "for (const f of process.argv.slice(1)) await import(f);"
    files = [(d / "index.js").as_uri() for d in dirs]
    proc = subprocess.run(
        [node_exe(), "--input-type=module", "-e", script, *files], capture_output=True, text=True
    )
    assert proc.returncode == 0, proc.stderr


def test_corpus_worlds(corpus_dir, tmp_path):
    worlds = [(d.name, d, ()) for d in sorted(corpus_dir.iterdir()) if d.is_dir()]
    dirs, rejected = _gen_all(worlds, tmp_path)
    assert not rejected
    assert len(dirs) >= 10
    _check_dirs(dirs, tmp_path)


def test_conformance_worlds(conformance_dir, shared_dir, tmp_path):
    cases = [c for c in pass_cases(shared_dir) if c.name not in EMPTY_RECORD_DIVERGENCES]
    dirs, rejected = _gen_all([(c.name, c.path, FEATURES) for c in cases], tmp_path)
    assert len(dirs) >= 80
    assert not rejected
    _check_dirs(dirs, tmp_path)


def _load_text(text: str, tmp: Path):
    p = tmp / "w.wit"
    p.write_text(text)
    return witgen.load(p)


#: async worlds: each body is one world; all of them generate and type-check
ASYNC_BODIES = [
    "export f: async func();",
    "export f: func(x: stream<u8>);",
    "export f: func() -> future<u32>;",
    "import f: func(x: list<option<stream>>);",
    "export f: func(e: error-context);",
    "export f: async func(s: stream<list<u8>>) -> future<stream<u8>>;",
    "export f: async func(s: stream<stream<u8>>) -> result<u32, error-context>;",
    "import f: async func(a: u32, b: u32, c: u32, d: u32, e: string) -> future<string>;",
    "resource r { m: async func(s: stream<r>) -> stream<option<r>>; }\n  export i: interface { "
    "record p { r: string, s: stream<tuple<u8, string>> } f: async func(x: p) -> list<p>; }",
]


def test_async_worlds_generate_and_type_check(tmp_path):
    dirs = []
    for i, body in enumerate(ASYNC_BODIES):
        (tmp_path / f"w{i}").mkdir()
        r = _load_text(f"package a:b;\nworld w {{\n  {body}\n}}\n", tmp_path / f"w{i}")
        d = tmp_path / f"p{i}"
        d.mkdir()
        for rel, data in generate(r, r.select_world("w"), {}).items():
            (d / rel).write_bytes(data)
        dirs.append(d)
    _check_dirs(dirs, tmp_path)


@pytest.mark.parametrize(
    "body, want",
    [
        # an async export returns a Promise and takes call options last; a Promise of a
        # future is a Promise of its value
        (
            "export f: async func(x: u32) -> future<string>;",
            "f(x: number, opts?: WitCallOptions): Promise<string>;",
        ),
        # an async import may answer with a value or a PromiseLike; it gets options last
        (
            "import f: async func() -> u32;",
            "f(opts: WitImportOptions): number | PromiseLike<number>;",
        ),
        (
            "export f: func(s: stream<u8>) -> stream<string>;",
            "f(s: WitStreamSource<Uint8Array> | Uint8Array | ArrayBuffer): WitStream<string>;",
        ),
        ("export f: func(e: error-context) -> future;", "f(e: WitErrorContext | Error | string): WitFuture<void>;"),
    ],
)
def test_async_declarations(tmp_path, body, want):
    r = _load_text(f"package a:b;\nworld w {{\n  {body}\n}}\n", tmp_path)
    assert want in generate(r, r.select_world("w"), {})["index.d.ts"].decode()


def test_async_abi_option(tmp_path):
    """`async_abi` picks the contract a bundled guest is checked against; the glue is the same
    (the guest's exports say at instantiation which ABI it uses)."""
    r = _load_text("package a:b;\nworld w {\n  export f: async func();\n}\n", tmp_path)
    w = r.select_world("w")
    assert generate(r, w, {"async_abi": "stackful"}) == generate(r, w, {})
    with pytest.raises(witgen.WitError, match="async_abi must be `callback` or `stackful`"):
        generate(r, w, {"async_abi": "threads"})


def test_deterministic_and_relocatable(tmp_path):
    r = witgen.load(HELLO)
    wid = r.select_world("hello")
    a = tmp_path / "a" / "guest.wasm"
    b = tmp_path / "b" / "other.wasm"
    for p in (a, b):
        p.parent.mkdir()
        p.write_bytes(dummy_module(HELLO, "hello"))  # a guest that fits
    one = generate(r, wid, {"wasm": str(a), "wasm_sha256": "x"})
    two = generate(witgen.load(HELLO), wid, {"wasm": str(b), "wasm_sha256": "y"})
    assert one == two
    assert sorted(one) == [
        "bindings.js",
        "browser.d.ts",
        "browser.js",
        "hello.core.wasm",
        "index.d.ts",
        "index.js",
        "package.json",
    ]
    for name, data in one.items():
        if name.endswith((".js", ".ts", ".json")):
            text = data.decode()
            assert str(tmp_path) not in text and "/work/" not in text and "/root" not in text


def test_package_json(tmp_path):
    r = witgen.load(HELLO)
    files = generate(r, r.select_world("hello"), {})
    pj = json.loads(files["package.json"])
    assert pj["name"] == "example-hello-hello"
    assert pj["version"] == "0.1.0"
    assert pj["type"] == "module"
    assert pj["exports"]["."] == {"types": "./index.d.ts", "default": "./index.js"}
    files = generate(r, r.select_world("hello"), {"name": "@me/hello", "version": "2.0.0"})
    pj = json.loads(files["package.json"])
    assert (pj["name"], pj["version"]) == ("@me/hello", "2.0.0")
    assert "function load(" not in files["index.js"].decode()
    assert pj["engines"] == {"node": "^20.19.0 || >=22.12.0"}  # ESM only: require(esm)
    assert pj["files"] == ["index.d.ts", "index.js"]


def test_package_json_with_a_module_has_an_entry_per_environment(tmp_path):
    r = witgen.load(HELLO)
    wasm = tmp_path / "g.wasm"
    wasm.write_bytes(dummy_module(HELLO, "hello"))
    files = generate(r, r.select_world("hello"), {"wasm": str(wasm)})
    pj = json.loads(files["package.json"])
    assert list(pj["exports"]["."].items()) == [
        ("types", "./index.d.ts"),
        ("node", "./index.js"),
        ("browser", "./browser.js"),
        ("default", "./browser.js"),
    ]
    assert pj["exports"]["./hello.core.wasm"] == "./hello.core.wasm"
    assert "node:" not in files["browser.js"].decode() + files["bindings.js"].decode()
    assert 'from "node:fs/promises"' in files["index.js"].decode()
    assert ".protocol" not in files["browser.js"].decode()  # no environment sniffing
    # inlined below the threshold: no .wasm file, a base64 module instead
    small = generate(r, r.select_world("hello"), {"wasm": str(wasm), "inline_wasm_max": 1 << 20})
    assert "hello.core.wasm" not in small and "hello.core.wasm.js" in small
    assert "./hello.core.wasm" not in json.loads(small["package.json"])["exports"]
    big = generate(r, r.select_world("hello"), {"wasm": str(wasm), "inline_wasm_max": 8})
    assert "hello.core.wasm" in big and "hello.core.wasm.js" not in big


def test_package_metadata_options():
    r = witgen.load(HELLO)
    opts = {
        "description": "Says hello",
        "license": "Apache-2.0",
        "repository": "https://example.org/hello.git",
        "keywords": ["wasm", "wit"],
        "author": {"name": "Ann", "email": "ann@example.org"},
        "engines": {"node": ">=22"},
    }
    pj = json.loads(generate(r, r.select_world("hello"), opts)["package.json"])
    assert pj["description"] == "Says hello"
    assert pj["license"] == "Apache-2.0"
    assert pj["repository"] == {"type": "git", "url": "https://example.org/hello.git"}
    assert pj["keywords"] == ["wasm", "wit"]
    assert pj["author"] == {"name": "Ann", "email": "ann@example.org"}
    assert pj["engines"] == {"node": ">=22"}


def test_cli(tmp_path):
    wasm = tmp_path / "g.wasm"
    wasm.write_bytes(dummy_module(HELLO, "hello"))
    out = tmp_path / "out"
    cmd = [
        sys.executable,
        "-m",
        "witgen",
        "generate",
        str(HELLO),
        "--world",
        "hello",
        "--target",
        "js",
        "--out",
        str(out),
        "--name",
        "hello-pkg",
        "--wasm",
        str(wasm),
    ]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert sorted(p.name for p in out.iterdir() if not p.name.startswith(".")) == [
        "bindings.js",
        "browser.d.ts",
        "browser.js",
        "hello.core.wasm",
        "index.d.ts",
        "index.js",
        "package.json",
    ]
    assert json.loads((out / "package.json").read_text())["name"] == "hello-pkg"
    assert (out / "hello.core.wasm").read_bytes() == wasm.read_bytes()
    assert "export async function load(" in (out / "index.js").read_text()


@pytest.mark.parametrize(
    "options, msg",
    [
        ({"bogus": 1}, r"unknown option\(s\) bogus"),
        ({"string_encoding": "utf32"}, "string_encoding must be one of"),
        ({"inline_wasm_max": -1}, "inline_wasm_max must be a number of bytes"),
        ({"inline_wasm_max": "4k"}, "inline_wasm_max must be a number of bytes"),
        ({"keywords": "wasm"}, "keywords must be a list of strings"),
        ({"license": ""}, "license must be a non-empty string"),
        ({"author": {"nick": "x"}}, "author takes string values for name, email, url"),
        ({"repository": {"directory": "js"}}, "repository needs a url"),
        ({"engines": {"node": 22}}, "engines must be a table of version ranges"),
    ],
)
def test_bad_options(options, msg):
    r = witgen.load(HELLO)
    with pytest.raises(witgen.WitError, match=msg):
        generate(r, r.select_world("hello"), options)


NAMES_WIT = """
package my:names@1.0.0;

/// Names that clash with JS keywords and global TS types.
interface %interface {
  record %map { %new: u32, %type: string, delete: bool }
  record promise { items: list<%map> }
  variant %error { %class(%map), %default }
  flags %function { %in, %of }
  enum %enum { %static, %let }
  resource %array {
    constructor(%let: u32);
    %delete: func(%new: %map) -> promise;
  }
  %do: func(%new: %map, %class: %error, %var: %function, %if: %enum) -> %array;
}

world names {
  import %interface;
  export %interface;
  export %await: func(%yield: u32) -> u32;
}
"""


def test_names_keywords_and_collisions(tmp_path):
    r = _load_text(NAMES_WIT, tmp_path)
    out = tmp_path / "pkg"
    write_pkg(tmp_path / "w.wit", "names", out)
    dts = (out / "index.d.ts").read_text()
    assert "export interface Map_ {" in dts and "export interface Promise_ {" in dts
    assert "do(new_: MyNamesInterface.Map_" in dts
    assert '"my:names/interface@1.0.0": {' in dts
    prog = tmp_path / "use.ts"
    prog.write_text(
        'import { type Imports, type Exports } from "./pkg/index.js";\n'
        'import type { MyNamesInterface as I, MyNamesInterfaceExports as E } from "./pkg/index.js";\n'
        "const m: I.Map_ = { new: 1, type: 't', delete: true };\n"
        "const e: I.Error_ = { tag: 'class', val: m };\n"
        "const f: I.Function_ = { in: true };\n"
        "const en: I.Enum = 'let';\n"
        "declare const ex: Exports;\n"
        "const arr: E.Array_ = ex.interface.do(m, e, f, en);\n"
        "const p: E.Promise_ = arr.delete(m);\n"
        "const n: number = ex.await(1);\n"
        "export const all = [m, e, f, en, arr, p, n, null as unknown as Imports];\n"
    )
    (tmp_path / "package.json").write_text('{"type": "module"}\n')
    tsconfig(tmp_path / "tsconfig.json", ["use.ts", "pkg/index.d.ts"], no_emit=True)
    tsc(["-p", str(tmp_path / "tsconfig.json")], tmp_path)
    proc = subprocess.run(
        [node_exe(), "-e", f"import({json.dumps((out / 'index.js').as_uri())})"],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stderr
    assert r is not None


FOUR = """
package bench:four;
world four {
  export add: func(a: u32, b: u32) -> u32;
  export echo: func(s: string) -> string;
  export bytes: func(b: list<u8>) -> list<u8>;
  import host-add: func(a: u32, b: u32) -> u32;
}
"""


def test_tree_shaking_and_size(tmp_path):
    r = _load_text("package a:b;\nworld w { export add: func(a: u32, b: u32) -> u32; }\n", tmp_path)
    js = generate(r, r.select_world("w"), {})["index.js"].decode()
    # every package has the load-time contract check (witgen/js/linkcheck.py), once
    assert js.count(LINKCHECK) == 1 and len(LINKCHECK) < 10 * 1024
    rest = js.replace(LINKCHECK, "")
    for absent in (
        "TextEncoder",
        "TextDecoder",
        "class Tbl",
        "FinalizationRegistry",
        "WitResultError",
        "lstr",
        "llist",
        "DataView(b)",
    ):
        assert absent not in rest, absent
    assert len(rest) < 6500
    r = _load_text(FOUR, tmp_path)
    js = generate(r, r.select_world("four"), {})["index.js"].decode()
    # (with the contract data: ~150 bytes a function)
    assert len(js.replace(LINKCHECK, "").encode()) < 12 * 1024, len(js)
    assert js.count("function lstr(") == 1 and "lstr16" not in js


def test_jsdoc(tmp_path):
    r = witgen.load(HELLO)
    dts = generate(r, r.select_world("hello"), {})["index.d.ts"].decode()
    assert "/** How loudly to greet. */" in dts
    assert "/** A counter kept by the host. */" in dts
    assert "@throws {WitResultError<string>}" in dts
    assert dts.startswith("// Generated by witgen")


def test_wat_guests_follow_the_contract():
    """The hand-written WAT guests use exactly the names `witgen abi` prints."""
    from witgen.abi import world_contract

    for name in ("strings", "versioned", "init", "maps"):
        r = witgen.load(WAT / f"{name}.wit")
        contract = world_contract(r, r.select_world(name))
        text = (WAT / f"{name}.wat").read_text()
        for imp in contract.imports:
            assert f'(import "{imp.module}" "{imp.name}"' in text
        for exp in contract.func_exports:
            if exp.required and exp.origin.role == "func":
                assert f'(export "{exp.name}"' in text
