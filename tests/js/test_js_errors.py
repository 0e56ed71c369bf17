"""Error-quality regressions of the generated bindings (issue #13, item 4), each run against a
real guest (a hand-written WAT module) in Node: an error names the WIT function and the path, a
bad value the host returned blames the host's import (not the guest), and views of guest memory
stay valid when a host import re-enters the guest and memory grows.
"""

from __future__ import annotations

from pathlib import Path

from test_js_safety import REALLOC, outcome, run_guest

# --- a BigInt where a small integer is expected -----------------------------------------------

INTS_WIT = """package t:ints;
world w {
  import host-u8: func() -> u8;
  /// a + b
  export small: func(a: u8, b: s32) -> s32;
  /// p.0 + p.1
  export pair: func(p: tuple<u16, u32>) -> u32;
  /// host-u8()
  export call-host: func() -> u32;
}
"""

INTS_WAT = f"""(module
  (import "$root" "host-u8" (func $hu8 (result i32)))
  (memory (export "memory") 1)
  {REALLOC}
  (func (export "small") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1)))
  (func (export "pair") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1)))
  (func (export "call-host") (result i32) (call $hu8))
)"""


def test_bigint_for_a_small_integer_names_function_and_path(tmp_path: Path) -> None:
    """A BigInt for a u8/s32/u16/u32 was a bare `TypeError: Cannot mix BigInt and other
    types` (or "BigInts have no unsigned right shift"), naming neither function nor path."""
    script = f"""
let ret = 5n;
const ex = await load({{ hostU8: () => ret }});
console.log(JSON.stringify([
  {outcome("ex.small(5n, 1)")},
  {outcome("ex.small(1, 5n)")},
  {outcome("ex.pair([1, 2n])")},
  {outcome("ex.pair([3n, 2])")},
  {outcome("ex.small(2, -3)")},
  {outcome("ex.callHost()")},
]));
"""
    assert run_guest(tmp_path, INTS_WIT, INTS_WAT, script) == [
        "TypeError: small: a: expected a number (u8), got 5n",
        "TypeError: small: b: expected a number (s32), got 5n",
        "TypeError: pair: p[1]: expected a number (u32), got 2n",
        "TypeError: pair: p[0]: expected a number (u16), got 3n",
        -1,
        "TypeError: host-u8: result: expected a number (u8), got 5n (returned by the host)",
    ]


# --- a value the host made too large ----------------------------------------------------------

BIG_WIT = """package t:big;
world w {
  import host-u8: func() -> u8;
  import host-list: func() -> list<tuple<u64, u64>>;
  /// host-u8()
  export call-u8: func() -> u32;
  /// the length of host-list()
  export call-list: func() -> u32;
  /// the length of l
  export take: func(l: list<tuple<u64, u64>>) -> u32;
  export ping: func() -> u32;
}
"""

BIG_WAT = f"""(module
  (import "$root" "host-u8" (func $hu8 (result i32)))
  (import "$root" "host-list" (func $hl (param i32)))
  (memory (export "memory") 1)
  {REALLOC}
  (func (export "call-u8") (result i32) (call $hu8))
  (func (export "call-list") (result i32) (call $hl (i32.const 16)) (i32.load (i32.const 20)))
  (func (export "take") (param i32 i32) (result i32) (local.get 1))
  (func (export "ping") (result i32) (i32.const 7))
)"""


def test_a_bad_host_result_blames_the_host(tmp_path: Path) -> None:
    """A host import's out-of-range result names the import, the `result` path and says the
    host returned it; a list too large for a 32-bit memory (2^28 elements of 16 bytes: the
    byte size wrapped to 0 in the core call) was a `WitGuestError` about `cabi_realloc`, blaming
    the guest. The same list passed to an export is the caller's RangeError and leaves the
    instance usable."""
    script = f"""
const huge = new Array(2 ** 28);
const mk = () => load({{ hostU8: () => 300, hostList: () => huge }});
const a = await mk(), b = await mk(), c = await mk();
console.log(JSON.stringify([
  {outcome("a.callU8()")},
  {outcome("b.callList()")},
  {outcome("c.take(huge)")},
  {outcome("c.ping()")},
]));
"""
    assert run_guest(tmp_path, BIG_WIT, BIG_WAT, script) == [
        "RangeError: host-u8: result: 300 is out of range for u8 (0..255) (returned by the host)",
        "RangeError: host-list: result: 4294967296 bytes do not fit in a 32-bit memory "
        "(returned by the host)",
        "RangeError: take: l: 4294967296 bytes do not fit in a 32-bit memory",
        7,
    ]


# --- memory grown while a host import runs ----------------------------------------------------

GROW_WIT = """package t:grow;
world w {
  import get: func() -> tuple<u32, u32>;
  /// Grows memory by one page.
  export grow: func() -> u32;
  /// 10 * get().0 + get().1
  export run: func() -> u32;
}
"""

GROW_WAT = f"""(module
  (import "$root" "get" (func $get (param i32)))
  (memory (export "memory") 1)
  {REALLOC}
  (func (export "grow") (result i32) (memory.grow (i32.const 1)))
  (func (export "run") (result i32)
    (call $get (i32.const 16))
    (i32.add (i32.mul (i32.load (i32.const 16)) (i32.const 10)) (i32.load (i32.const 20))))
)"""


def test_memory_grown_by_a_reentrant_call_is_seen(tmp_path: Path) -> None:
    """The host's `get` calls back into the guest, which grows memory (detaching the buffer the
    bindings' views were on); storing get's result through the return pointer used the stale
    view and blamed the guest ("out-of-bounds pointer 16 (8 bytes; memory has 0)")."""
    script = """
let ex;
ex = await load({ get: () => { ex.grow(); return [4, 2]; } });
console.log(JSON.stringify([ex.run(), ex.run()]));
"""
    assert run_guest(tmp_path, GROW_WIT, GROW_WAT, script) == [42, 42]


# --- a resource method called on something that is not the resource ---------------------------

RES_WIT = """package t:res;
interface api {
  resource thing {
    constructor(x: u32);
    get: func() -> u32;
  }
}
world w { export api; }
"""

RES_WAT = """(module
  (import "[export]t:res/api" "[resource-new]thing" (func $new (param i32) (result i32)))
  (global $drops (mut i32) (i32.const 0))
  (func (export "t:res/api#[constructor]thing") (param i32) (result i32) (call $new (local.get 0)))
  (func (export "t:res/api#[method]thing.get") (param i32) (result i32)
    (i32.add (local.get 0) (i32.mul (global.get $drops) (i32.const 1000))))
  (func (export "t:res/api#[dtor]thing") (param i32)
    (global.set $drops (i32.add (global.get $drops) (i32.const 1))))
)"""


def test_dispose_checks_its_receiver(tmp_path: Path) -> None:
    """`Thing.prototype[Symbol.dispose]` accepted an empty array (or any object) as `this`
    and silently did nothing, and called unbound it was a bare "Cannot read properties of
    undefined"; like every other method it rejects what is not a Thing of this instance."""
    script = f"""
const ex = await load();
const {{ Thing }} = ex.api;
const dispose = Thing.prototype[Symbol.dispose];
const t = new Thing(5);
console.log(JSON.stringify([
  {outcome("dispose.call([])")},
  {outcome("dispose()")},
  {outcome("dispose.call({})")},
  t.get(),
  {outcome("dispose.call(t)")},
  {outcome("t[Symbol.dispose]()")},
  new Thing(6).get(),
]));
"""
    assert run_guest(tmp_path, RES_WIT, RES_WAT, script) == [
        "TypeError: Thing[Symbol.dispose]: self: expected a Thing of this instance, got an array",
        "TypeError: Thing[Symbol.dispose]: self: expected a Thing of this instance, got undefined",
        "TypeError: Thing[Symbol.dispose]: self: expected a Thing of this instance, got an object",
        5,
        None,
        None,
        1006,
    ]
