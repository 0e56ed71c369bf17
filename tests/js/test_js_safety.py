"""Memory-safety and lookup regressions of the generated bindings, each run against a real guest
(a hand-written WAT module) in Node: the bindings must not be fooled by what a JS value claims
(a lying `length`, a borrowed prototype, names inherited from `Object.prototype`), and must bind
every guest export they use.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from js_support import need, node_exe, write_pkg

#: a bump allocator exported as `cabi_realloc` (heap from 1024; never frees)
REALLOC = """
  (global $heap (mut i32) (i32.const 1024))
  (func (export "cabi_realloc") (param $old i32) (param $oldsz i32) (param $align i32)
    (param $size i32) (result i32)
    (local $p i32)
    (local.set $p (i32.and
      (i32.add (global.get $heap) (i32.sub (local.get $align) (i32.const 1)))
      (i32.sub (i32.const 0) (local.get $align))))
    (global.set $heap (i32.add (local.get $p) (local.get $size)))
    (local.get $p))
"""


def run_guest(tmp: Path, wit: str, wat: str, script: str) -> object:
    """Generate the bindings of `wit` for the core module `wat`, run `script` (an ES module
    body with `ex`, the loaded exports, and `imports` in scope) and return what it prints
    last as JSON."""
    from support.wasm_tools_json import WasmToolsError, wasm_tools

    try:
        exe = wasm_tools()
    except WasmToolsError:
        need("wasm-tools")
    (tmp / "w.wit").write_text(wit)
    (tmp / "g.wat").write_text(wat)
    core = tmp / "g.wasm"
    subprocess.run([exe, "parse", str(tmp / "g.wat"), "-o", str(core)], check=True)
    write_pkg(tmp / "w.wit", None, tmp / "pkg", wasm=str(core))
    (tmp / "package.json").write_text('{"type": "module"}\n')
    (tmp / "main.js").write_text(f'import {{ load }} from "./pkg/index.js";\n{script}\n')
    proc = subprocess.run([node_exe(), str(tmp / "main.js")], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout.strip().splitlines()[-1])


def outcome(expr: str) -> str:
    """JS: `expr`'s value, or the error it throws as `ErrorName: message`."""
    return f"(() => {{ try {{ return {expr}; }} catch (e) {{ return `${{e.name}}: ${{e.message}}`; }} }})()"


# --- (b) a world whose only guest allocation is an import's returned string -------------------


def test_import_returning_a_string_binds_realloc(tmp_path: Path) -> None:
    """`export run` calls `import get`; the host lowers get's string into the guest with the
    guest's `cabi_realloc`, which the bindings once never bound (nothing else allocates)."""
    wit = (
        "package t:realloc;\n"
        "world w { import get: func() -> string; export run: func() -> u32; }\n"
    )
    wat = f"""(module
  (import "$root" "get" (func $get (param i32)))
  (memory (export "memory") 1)
  {REALLOC}
  (func (export "run") (result i32)
    (call $get (i32.const 16))
    (i32.load (i32.const 20)))
)"""
    script = """
const ex = await load({ get: () => "héllo" });
console.log(JSON.stringify(ex.run()));
"""
    assert run_guest(tmp_path, wit, wat, script) == 6  # bytes of "héllo" in UTF-8
