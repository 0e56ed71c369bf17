"""TOML text for `Cargo.toml`: escaped strings and keys, inline tables, and the `dependencies`
option turned into `[dependencies]` entries.

A dependency is given as a version requirement (`"50.0.1"`, written as the TOML string
`"50.0.1"`), as a table (`{"path": "../x"}`, written as the inline table `{ path = "../x" }`),
or as the TOML text of either (`'{ path = "../x" }'`, `'"1.2"'`), which is parsed and written
again, so nothing but one value can reach the file.
"""

from __future__ import annotations

import re
import tomllib

from witgen.errors import WitError

from .formats import crate_name, is_version_req, show

#: a dependency's spec: a version requirement, or a table of cargo's dependency keys
DepSpec = str | dict[str, object]

_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
_ESCAPES = {
    '"': '\\"',
    "\\": "\\\\",
    "\b": "\\b",
    "\t": "\\t",
    "\n": "\\n",
    "\f": "\\f",
    "\r": "\\r",
}


def toml_string(text: str) -> str:
    """`text` as a TOML basic string."""
    out = []
    for ch in text:
        if ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def toml_key(key: str) -> str:
    return key if _BARE_KEY.fullmatch(key) else toml_string(key)


def toml_value(value: object, where: str) -> str:
    """A string, integer, boolean, array or table as inline TOML."""
    match value:
        case bool():
            return "true" if value else "false"
        case str():
            return toml_string(value)
        case int():
            return str(value)
        case list():
            return "[" + ", ".join(toml_value(v, where) for v in value) + "]"
        case dict():
            items = [f"{toml_key(str(k))} = {toml_value(v, where)}" for k, v in value.items()]
            return "{ " + ", ".join(items) + " }" if items else "{}"
    raise WitError(
        f"wasmtime option `dependencies`: {where}: {value!r} is not a string, "
        "integer, boolean, array or table"
    )


def dependency(name: object, spec: object) -> tuple[str, DepSpec]:
    """A validated `dependencies` entry."""
    crate = crate_name("dependencies", name)
    where = f"entry `{crate}`"
    expected = (
        'a version requirement (such as "1.2") or a table (such as {"path": "../x"}), '
        "or the TOML text of one"
    )
    if isinstance(spec, str) and not is_version_req(spec):
        try:
            parsed = tomllib.loads(f"v = {spec}")
        except tomllib.TOMLDecodeError:
            parsed = {}
        if set(parsed) != {"v"} or not isinstance(parsed["v"], (str, dict)):
            raise WitError(
                f"wasmtime option `dependencies`: {where}: {show(spec)} is not {expected}"
            )
        spec = parsed["v"]
    if isinstance(spec, str) and is_version_req(spec):
        return crate, spec
    if isinstance(spec, dict):
        toml_value(spec, where)  # checks every value can be written
        return crate, spec
    raise WitError(f"wasmtime option `dependencies`: {where}: {show(spec)} is not {expected}")


def dependency_line(name: str, spec: DepSpec) -> str:
    """`name = "1.2"` or `name = { ... }`, as written under `[dependencies]`."""
    return f"{toml_key(name)} = {toml_value(spec, f'entry `{name}`')}"
