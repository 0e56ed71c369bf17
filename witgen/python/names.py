"""Python names for WIT names (see docs/python.md, "Names").

- functions, methods, fields, parameters and interface attributes: snake_case (`get-name` ->
  `get_name`);
- types, resources and variant cases' classes: PascalCase (`http-error` -> `HttpError`);
- enum and flags members: UPPER_SNAKE (`not-found` -> `NOT_FOUND`);

A name that is a Python keyword, or that would hide a builtin the generated annotations use
(`bytes`, `list`, ...) inside a class body, gets a trailing `_`. Names the generated module
defines itself start with `_` (helpers) or are listed in `RESERVED_TYPES`, so WIT names, which
never start with `_`, cannot clash with them.
"""

from __future__ import annotations

import keyword

from witgen.model import Function

#: builtins the generated annotations and code use; a member with one of these names would
#: hide it inside its class body
SHADOWED = frozenset(
    "int float str bool bytes list tuple dict set object type None self cls wit_fields wit_names "
    "wit_handle wit_release".split()
)

#: top-level names of the generated module that type names must not take
RESERVED_TYPES = frozenset({"Imports", "WitResultError", "Some", "Ok", "Err", "TypeAlias"})


def _frags(name: str) -> list[str]:
    return [f.lower() for f in name.split("-") if f]


def snake(name: str) -> str:
    """A function, field, method or parameter name (`get-name` -> `get_name`)."""
    out = "_".join(_frags(name)) or name
    if out[:1].isdigit():
        out = "_" + out
    while keyword.iskeyword(out) or keyword.issoftkeyword(out) or out in SHADOWED:
        out += "_"
    return out


def pascal(name: str) -> str:
    """A type, resource or case class name (`http-error` -> `HttpError`; `true` -> `True_`)."""
    out = "".join(f[:1].upper() + f[1:] for f in _frags(name))
    if out[:1].isdigit():
        out = "_" + out
    while keyword.iskeyword(out):  # `True`, `False`, `None`
        out += "_"
    return out


def upper(name: str) -> str:
    """An enum or flags member (`not-found` -> `NOT_FOUND`)."""
    out = "_".join(_frags(name)).upper()
    if out[:1].isdigit() or out.startswith("_") or not out:
        out = "M_" + out
    return out


def func_label(func: Function, resource: str | None) -> str:
    """The WIT name of a function in error messages: `f`, `r.m`, `r.constructor`."""
    if func.kind in ("method", "async-method", "static", "async-static"):
        return f"{resource}.{func.item_name}"
    if func.kind == "constructor":
        return f"{func.item_name}.constructor"
    return func.item_name


def unique(name: str, taken: set[str]) -> str:
    """`name`, with `_` appended until it is not in `taken`; the result is added to `taken`."""
    while name in taken:
        name += "_"
    taken.add(name)
    return name


def dist_name(namespace: str | None, package: str | None, world: str) -> str:
    """A default package name (`witgen:hello` world `hello` -> `witgen_hello_hello`)."""
    parts = [p for p in (namespace, package, world) if p]
    raw = "_".join(parts).lower()
    return "".join(c if c.isalnum() else "_" for c in raw).strip("_") or "wit_bindings"
