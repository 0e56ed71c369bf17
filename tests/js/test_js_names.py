"""Resource functions named like the members a JS class owns itself (docs/js.md, "Names").

A static `prototype` in a class is a SyntaxError in JS; tsc rejects a static `constructor`
(TS1089) and statics `name`, `length`, `caller`, `arguments` (TS2699, without
useDefineForClassFields); a method `constructor` would be the class's constructor. Such
functions get a trailing `_`, on the guest's classes and on the classes a host provides, and a
real guest is called through the new names in Node.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from js_support import node_exe, tsc, tsconfig, write_pkg
from test_js_safety import run_guest

OWNED = ["prototype", "%constructor", "name", "length", "caller", "arguments"]
JS = ["prototype_", "constructor_", "name_", "length_", "caller_", "arguments_"]


def _statics() -> str:
    return "".join(f"    {n}: static func() -> u32;\n" for n in OWNED)


WIT = f"""package t:statics;
interface host {{
  resource h {{
{_statics()}  }}
}}
interface i {{
  resource r {{
{_statics()}  }}
}}
world w {{
  import host;
  export i;
  /// the sum of the host's six statics
  export host-sum: func() -> u32;
}}
"""

_WIT_NAMES = [n.lstrip("%") for n in OWNED]
WAT = (
    "(module\n"
    + "".join(
        f'  (import "t:statics/host" "[static]h.{n}" (func $h{k} (result i32)))\n'
        for k, n in enumerate(_WIT_NAMES)
    )
    + "".join(
        f'  (func (export "t:statics/i#[static]r.{n}") (result i32) (i32.const {k + 1}))\n'
        for k, n in enumerate(_WIT_NAMES)
    )
    + '  (func (export "host-sum") (result i32)\n    '
    + " ".join("(i32.add" for _ in range(5))
    + " (call $h0)"
    + "".join(f" (call $h{k}))" for k in range(1, 6))
    + ")\n)"
)


def test_statics_named_like_class_members(tmp_path: Path) -> None:
    host = " ".join(f"static {n}() {{ return {1 << k}; }}" for k, n in enumerate(JS))
    script = f"""
const ex = await load({{ "t:statics/host": {{ H: class H {{ {host} }} }} }});
const R = ex.i.R;
console.log(JSON.stringify([
  {", ".join(f"R.{n}()" for n in JS)},
  ex.hostSum(), R.name, typeof R.prototype,
]));
"""
    assert run_guest(tmp_path, WIT, WAT, script) == [1, 2, 3, 4, 5, 6, 63, "R", "object"]


def test_the_renamed_members_type_check(tmp_path: Path) -> None:
    """tsc accepts the declarations (a static `prototype` was a duplicate identifier) and a
    host class written against them, compiled without useDefineForClassFields (es2020), where
    statics `name`... would be TS2699; a method `%constructor` is `constructor_`."""
    wit = tmp_path / "w.wit"
    wit.write_text(
        WIT.replace("  resource r {\n", "  resource m {\n    %constructor: func() -> u32;\n  }\n  resource r {\n", 1)
    )
    out = write_pkg(wit, None, tmp_path / "pkg")
    assert "constructor_(): number;" in (out / "index.d.ts").read_text()
    host = " ".join(f"static {n}(): number {{ return 1; }}" for n in JS)
    (tmp_path / "use.ts").write_text(
        'import type { Imports, Exports, TStaticsI } from "./pkg/index.js";\n'
        f"class H {{ {host} }}\n"
        'export const imports: Imports = { "t:statics/host": { H } };\n'
        "declare const ex: Exports;\n"
        f"export const all: number[] = [{', '.join(f'ex.i.R.{n}()' for n in JS)}];\n"
        "export const m = (x: TStaticsI.M): number => x.constructor_();\n"
    )
    (tmp_path / "package.json").write_text('{"type": "module"}\n')
    tsconfig(tmp_path / "tsconfig.json", ["use.ts", "pkg/index.d.ts"], no_emit=True)
    cfg = json.loads((tmp_path / "tsconfig.json").read_text())
    cfg["compilerOptions"]["target"] = "es2020"  # useDefineForClassFields off: TS2699 applies
    (tmp_path / "tsconfig.json").write_text(json.dumps(cfg))
    tsc(["-p", str(tmp_path / "tsconfig.json")], tmp_path)
    proc = subprocess.run(
        [node_exe(), "-e", f"import({json.dumps((out / 'index.js').as_uri())})"],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stderr
