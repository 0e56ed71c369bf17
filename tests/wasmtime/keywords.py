"""A WIT corpus of every Rust keyword and std name in every naming position.

Rust keywords (the Reference, "Keywords"): strict (all editions, 2018+), reserved (2018+, 2024)
and weak ones, plus names that shadow std or prelude items (`string`, `vec`, `result`, ...),
the generic parameter names of generated code (`t`, `s`, `d`, `u`) and names of generated
items (`host`, `guest`, ...). Each becomes: an interface, a record and its field, a variant
case and its payload type, an enum case, a flag, a resource with a method, a static function
and a constructor parameter, an interface function and its parameter, a world-level function
and a plain-named interface; and a world of its own name. The world `all` is also generated
with `async = true` (async host functions box their futures). `kw:names` holds one world `all`
using everything; `kw:worlds` one small world per name.
"""

from __future__ import annotations

STRICT = """as break const continue crate else enum extern false fn for if impl in let loop match
mod move mut pub ref return self static struct super trait true type unsafe use where while
async await dyn""".split()
RESERVED = "abstract become box do final macro override priv typeof unsized virtual yield try gen".split()
WEAK = "macro-rules union safe raw auto default".split()
#: std/prelude names the generated code uses, and names of its own items and generics
SHADOWING = """string vec result option box ok err some none send sync sized copy clone debug
drop fn-once iterator to-string from into core std alloc wasmtime anyhow t s d u host guest
resource resource-any func typed-func linker store instance accessor component-type lift lower
error display formatter hash-map witgen-rt indices pre imports exports caller host-getter r e a
ret0 arg0 getter options callee""".split()

NAMES = sorted(set(STRICT + RESERVED + WEAK + SHADOWING))
#: the names a world is named after (its struct and crate name): the ones whose Rust forms
#: are special (keywords, std items the crate root uses, names the target renames)
WORLD_NAMES = """self type crate super async send sized host guest string result option vec box t d
copy lower core std exports witgen-rt""".split()


def _interface(k: str) -> str:
    # a method's own `self` is implicit: a parameter cannot take that name
    mp = "x" if k == "self" else k
    return f"""interface %{k} {{
  /// {k}
  record %{k} {{ %{k}: u32, other: %{k}-enum }}
  variant %{k}-variant {{ %{k}(%{k}), plain }}
  enum %{k}-enum {{ %{k}, plain }}
  flags %{k}-flags {{ %{k}, plain }}
  resource %{k}-res {{
    constructor(%{k}: u32);
    %{k}: func(%{mp}: u32) -> %{k}-variant;
    %{k}-static: static func(%{k}: borrow<%{k}-res>) -> result<%{k}, %{k}-enum>;
  }}
  type %{k}-alias = %{k};
  %{k}-func: func(%{k}: %{k}, %flags: %{k}-flags, l: list<string>) -> option<%{k}-alias>;
}}

interface %{k}-fns {{
  use %{k}.{{%{k}-res}};
  %{k}: func(%{k}: u32, x: borrow<%{k}-res>) -> %{k}-res;
}}
"""


def names_wit() -> str:
    """The package `kw:names`: every name's interfaces, used by the world `all`."""
    out = ["package kw:names;\n"]
    out += [_interface(k) for k in NAMES]
    world = ["world all {"]
    for k in NAMES:
        world += [
            f"  import %{k};",
            f"  import %{k}-fns;",
            f"  export %{k}-fns;",
            f"  import %{k}-imp: func(%{k}: u32) -> u32;",
            f"  export %{k}-exp: func(%{k}: u32) -> u32;",
            f"  import %{k}: interface {{ %{k}: func(%{k}: u32); }}",
        ]
    world.append("}")
    return "\n".join(out + world) + "\n"


def worlds_wit() -> str:
    """The package `kw:worlds`: one world per name, with an import and an export of that name."""
    out = ["package kw:worlds;\n", "interface api { f: func(); }\n"]
    for k in WORLD_NAMES:
        out.append(
            f"world %{k} {{\n  import %{k}: interface {{ %{k}: func(); }}\n"
            # a world-level type named like the world struct's companion `KPre`
            f"  type %{k}-pre = u32;\n"
            f"  export api;\n  export %{k}-e: func() -> %{k}-pre;\n}}\n"
        )
    return "\n".join(out)
