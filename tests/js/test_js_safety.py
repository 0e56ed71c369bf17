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


# --- (a) typed arrays are copied by what they are ---------------------------------------------

BYTES_WIT = """package t:bytes;
world w {
  /// The number of bytes the guest received.
  export take: func(b: list<u8>) -> u32;
  /// The sum of the bytes the guest received.
  export sum: func(b: list<u8>) -> u32;
  /// The word at address 80, which the guest's allocator never hands out.
  export canary: func() -> u32;
}
"""

#: allocations of up to 16 bytes get address 64, larger ones 4096 and up: a write past a small
#: allocation hits the canary at 80
BYTES_WAT = """(module
  (memory (export "memory") 1)
  (data (i32.const 80) "\\44\\33\\22\\11")
  (global $heap (mut i32) (i32.const 4096))
  (func (export "cabi_realloc") (param i32 i32 i32 i32) (result i32)
    (local $p i32)
    (if (i32.le_u (local.get 3) (i32.const 16)) (then (return (i32.const 64))))
    (local.set $p (global.get $heap))
    (global.set $heap (i32.add (local.get $p) (local.get 3)))
    (local.get $p))
  (func (export "take") (param i32 i32) (result i32) (local.get 1))
  (func (export "sum") (param $p i32) (param $n i32) (result i32)
    (local $s i32)
    (block $done (loop $next
      (br_if $done (i32.eqz (local.get $n)))
      (local.set $s (i32.add (local.get $s) (i32.load8_u (local.get $p))))
      (local.set $p (i32.add (local.get $p) (i32.const 1)))
      (local.set $n (i32.sub (local.get $n) (i32.const 1)))
      (br $next)))
    (local.get $s))
  (func (export "canary") (result i32) (i32.load (i32.const 80)))
)"""


def test_lying_typed_array_length_is_ignored(tmp_path: Path) -> None:
    """A `Uint8Array` whose `length` lies (a subclass getter, an own property) is copied by its
    real length, so the host never writes past what it allocated in the guest."""
    script = f"""
const ex = await load();
class Liar extends Uint8Array {{ get length() {{ return 1; }} }}
const sub = new Liar(1000).fill(7);
const own = new Uint8Array(1000).fill(7);
Object.defineProperty(own, "length", {{ value: 1 }});
console.log(JSON.stringify([
  {outcome("ex.take(sub)")}, ex.canary(),
  {outcome("ex.take(own)")}, ex.canary(),
  {outcome("ex.sum(sub)")},
]));
"""
    got = run_guest(tmp_path, BYTES_WIT, BYTES_WAT, script)
    assert got == [1000, 0x11223344, 1000, 0x11223344, 7000]


def test_borrowed_typed_array_prototype_is_not_a_typed_array(tmp_path: Path) -> None:
    """An object that only has `Uint8Array.prototype` is neither a typed array nor an array:
    rejected, instead of copied unchecked (300 as 44, "x" as 0)."""
    script = f"""
const ex = await load();
const fake = Object.create(Uint8Array.prototype);
Object.defineProperty(fake, "length", {{ value: 2 }});
fake[0] = 300; fake[1] = "x";
console.log(JSON.stringify([{outcome("ex.sum(fake)")}, {outcome("ex.sum([300])")}]));
"""
    fake, bad = run_guest(tmp_path, BYTES_WIT, BYTES_WAT, script)  # type: ignore[misc]
    assert fake.startswith("TypeError: sum: b: expected a Uint8Array or an array, got")
    assert bad.startswith("RangeError: sum: b[0]: 300 is out of range for u8")


# --- (c) names are looked up as what the value owns, not what Object.prototype holds ----------

NAMES_WIT = """package t:names;
world w {
  record opts { a: option<u32>, b: option<string> }
  record ctor { %constructor: u32, v: u32 }
  flags fl { x, y, z }
  import to-string: func() -> u32;
  import %constructor: func() -> u32;
  import has-own-property: func() -> u32;
  /// 1000 * (a is some) + a + 100 * (b is some)
  export opt: func(r: opts) -> u32;
  /// The flags word.
  export fl: func(g: fl) -> u32;
  /// 10 * constructor + v
  export ctor: func(r: ctor) -> u32;
  /// to-string() + constructor() + has-own-property()
  export call-imports: func() -> u32;
}
"""

NAMES_WAT = f"""(module
  (import "$root" "to-string" (func $a (result i32)))
  (import "$root" "constructor" (func $b (result i32)))
  (import "$root" "has-own-property" (func $c (result i32)))
  (memory (export "memory") 1)
  {REALLOC}
  (func (export "opt") (param i32 i32 i32 i32 i32) (result i32)
    (i32.add (i32.add (i32.mul (local.get 0) (i32.const 1000)) (local.get 1))
      (i32.mul (local.get 2) (i32.const 100))))
  (func (export "fl") (param i32) (result i32) (local.get 0))
  (func (export "ctor") (param i32 i32) (result i32)
    (i32.add (i32.mul (local.get 0) (i32.const 10)) (local.get 1)))
  (func (export "call-imports") (result i32)
    (i32.add (i32.add (call $a) (call $b)) (call $c)))
)"""

HOST = "{ toString: () => 1, constructor: () => 2, hasOwnProperty: () => 4 }"


def test_imports_are_not_found_on_object_prototype(tmp_path: Path) -> None:
    """An import named like an Object.prototype member must be the host's own, else it is
    missing (it once bound Object's method silently)."""
    script = f"""
const missing = [];
for (const drop of ["toString", "constructor", "hasOwnProperty"]) {{
  const host = {HOST};
  delete host[drop];
  missing.push(await load(host).then(() => "loaded", (e) => `${{e.name}}: ${{e.message}}`));
}}
const ex = await load({HOST});
console.log(JSON.stringify([...missing, ex.callImports()]));
"""
    got = run_guest(tmp_path, NAMES_WIT, NAMES_WAT, script)
    assert got == [
        "TypeError: imports: imports.toString must be a function",
        "TypeError: imports: imports.constructor must be a function",
        "TypeError: imports: imports.hasOwnProperty must be a function",
        7,
    ]


def test_records_and_flags_read_own_properties(tmp_path: Path) -> None:
    """A missing field is "missing" (not Object's `constructor`); omitted option fields are
    none and omitted flags false (docs/js.md); inherited properties count for nothing."""
    script = f"""
const ex = await load({HOST});
console.log(JSON.stringify([
  {outcome("ex.ctor({ v: 1 })")},
  {outcome("ex.ctor({ constructor: 3, v: 1 })")},
  {outcome("ex.opt({})")},
  {outcome("ex.opt({ a: 5 })")},
  {outcome('ex.opt({ b: "x" })')},
  {outcome("ex.opt(Object.create({ a: 5 }))")},
  {outcome("ex.fl({ x: true })")},
  {outcome("ex.fl({ y: true })")},
  {outcome("ex.fl({})")},
  {outcome("ex.fl(Object.create({ x: true }))")},
  {outcome("ex.fl({ w: true })")},
]));
"""
    got = run_guest(tmp_path, NAMES_WIT, NAMES_WAT, script)
    assert got == [
        "TypeError: ctor: r.constructor: missing",
        31,
        0,
        1005,
        100,
        0,
        1,
        2,
        0,
        0,
        "TypeError: fl: g: unknown flag `w`; the flags are x, y, z",
    ]


def test_map_is_judged_by_what_it_is(tmp_path: Path) -> None:
    """An object with a borrowed Map prototype is not a Map (it once escaped as a bare
    "incompatible receiver" TypeError); a Map subclass is read by its real entries."""
    from js_support import WAT

    script = f"""
const ex = await load();
class Liar extends Map {{ *[Symbol.iterator]() {{ yield ["x", 99]; }} entries() {{ return this[Symbol.iterator](); }} }}
const liar = new Liar([["a", 1], ["b", 2]]);
console.log(JSON.stringify([
  {outcome("ex.count(Object.create(Map.prototype))")},
  {outcome("[...ex.echoMap(liar)]")},
]));
"""
    wit = (WAT / "maps.wit").read_text()
    wat = (WAT / "maps.wat").read_text()
    got = run_guest(tmp_path, wit, wat, script)
    assert got == ["TypeError: count: m: expected a Map, got an object", [["a", 1], ["b", 2]]]
