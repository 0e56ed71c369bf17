"""JS/TS names for WIT names (see docs/js.md, "Names").

- functions, methods, record fields, flags and parameters: camelCase (`get-name` -> `getName`);
- types, resources and interface namespaces: PascalCase (`http-error` -> `HttpError`);
- enum cases and variant/result tags stay the WIT (kebab) names: they are string data;
- import keys are the world's component-level names (`wasi:io/poll@0.2.12`, `log`).

Fragments are lower-cased before capitalising, so `GET-user` is `getUser`. WIT's strong
uniqueness (names may not differ only in case or dashes) means two WIT names in one scope never
map to the same JS name; JS-side clashes (global TS types, reserved words, the names witgen
itself adds, names a class owns such as a static `prototype`) are resolved by a trailing `_`.
"""

from __future__ import annotations

import re

from witgen.model import Function

#: reserved words: not allowed as binding names (TS parameter names in the .d.ts)
RESERVED = frozenset(
    """
    break case catch class const continue debugger default delete do else enum export extends
    false finally for function if import in instanceof new null return super switch this throw
    true try typeof var void while with yield let static implements interface package private
    protected public await arguments eval undefined any boolean number string symbol bigint never
    unknown object type declare namespace module as async of get set constructor
    """.split()
)

#: global types the generated .d.ts refers to, and names witgen adds at the top level
RESERVED_TYPES = frozenset(
    """
    Array ArrayLike ReadonlyArray Map ReadonlyMap Set Promise PromiseLike Error TypeError
    RangeError Symbol Object Function String Number Boolean BigInt Iterable Record Partial
    Uint8Array Uint16Array Uint32Array Int8Array Int16Array Int32Array BigUint64Array
    BigInt64Array Float32Array Float64Array ArrayBuffer BufferSource Response WebAssembly
    Disposable Imports Exports WitResultError WitGuestError WitTrapError WitExitError
    WasmModule WasmBytes WasmResponse WasmSource WasmUrl ExtraImports WasiImplementation
    InstantiateOptions LoadOptions WasiOptions
    """.split()
)

#: names a class cannot give a static member of its own: `prototype` is a SyntaxError in JS,
#: tsc rejects a static `constructor` (TS1089) and the constructor function's own `name`,
#: `length`, `caller` and `arguments` (TS2699, for classes compiled without
#: useDefineForClassFields); a resource's static function so named gets a trailing `_`
RESERVED_STATICS = frozenset({"prototype", "constructor", "name", "length", "caller", "arguments"})
#: a method named `constructor` would be the class's constructor
RESERVED_METHODS = frozenset({"constructor"})

_IDENT = re.compile(r"^[A-Za-z_$][A-Za-z0-9_$]*$")


def _frags(name: str) -> list[str]:
    return [f.lower() for f in name.split("-") if f]


def camel(name: str) -> str:
    """lowerCamelCase (`get-name` -> `getName`)."""
    frags = _frags(name)
    if not frags:
        return name
    return frags[0] + "".join(f[:1].upper() + f[1:] for f in frags[1:])


def pascal(name: str) -> str:
    return "".join(f[:1].upper() + f[1:] for f in _frags(name))


def type_name(name: str) -> str:
    """PascalCase name of a WIT type/resource, kept clear of global TS type names."""
    out = pascal(name)
    if out[:1].isdigit():
        out = "_" + out
    while out in RESERVED_TYPES:
        out += "_"
    return out


def param_name(name: str) -> str:
    """A binding name for a parameter (camelCase, `_` appended to reserved words)."""
    out = camel(name)
    while out in RESERVED:
        out += "_"
    return out


def func_name(func: Function) -> str:
    """The JS name of a function: camelCase, with a trailing `_` when it is a resource's static
    function or method whose name the class itself owns (`prototype_`, `constructor_`)."""
    out = camel(func.item_name)
    if func.base_kind == "static" and out in RESERVED_STATICS:
        return out + "_"
    if func.base_kind == "method" and out in RESERVED_METHODS:
        return out + "_"
    return out


def is_ident(s: str) -> bool:
    return bool(_IDENT.match(s))


def prop(s: str) -> str:
    """`s` as a property key in an object literal / type literal."""
    return s if is_ident(s) else js_str(s)


def member(obj: str, s: str) -> str:
    """`obj.s` or `obj["s"]`."""
    return f"{obj}.{s}" if is_ident(s) else f"{obj}[{js_str(s)}]"


def js_str(s: str) -> str:
    """A JS string literal (double-quoted, ASCII-only escapes)."""
    out = ['"']
    for ch in s:
        o = ord(ch)
        if ch == '"':
            out.append('\\"')
        elif ch == "\\":
            out.append("\\\\")
        elif o < 0x20 or o > 0x7E:
            out.append(f"\\u{o:04x}" if o <= 0xFFFF else f"\\u{{{o:x}}}")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def func_label(func: Function, resource: str | None) -> str:
    """The WIT name of a function in error messages: `f`, `r.m` (`resource` is R's WIT name),
    `r.constructor`."""
    if func.kind in ("method", "async-method", "static", "async-static"):
        return f"{resource}.{func.item_name}"
    if func.kind == "constructor":
        return f"{func.item_name}.constructor"
    return func.item_name


def npm_name(namespace: str | None, package: str | None, world: str) -> str:
    parts = [p for p in (namespace, package, world) if p]
    raw = "-".join(parts).lower()
    return re.sub(r"[^a-z0-9._-]+", "-", raw).strip("-._") or "witgen-bindings"
