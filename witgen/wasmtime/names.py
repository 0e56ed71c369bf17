"""Rust names for WIT names, as `wasmtime::component::bindgen!` spells them."""

from __future__ import annotations

import re

RUST_KEYWORDS = frozenset(
    """as break const continue crate else enum extern false fn for if impl in let loop match mod
    move mut pub ref return self static struct super trait true type unsafe use where while async
    await dyn abstract become box do final macro override priv typeof unsized virtual yield try
    gen""".split()
)


def _words(name: str) -> list[str]:
    out: list[str] = []
    for frag in name.replace("_", "-").split("-"):
        if not frag:
            continue
        # split camelCase boundaries the way heck does (lower->Upper, Upper->UpperLower)
        for w in re.findall(r"[A-Z]+(?![a-z])|[A-Z]?[a-z0-9]+|[0-9]+", frag):
            out.append(w)
    return out


def snake(name: str) -> str:
    return "_".join(w.lower() for w in _words(name))


def pascal(name: str) -> str:
    """UpperCamelCase (`get-name` -> `GetName`)."""
    return "".join(w[:1].upper() + w[1:].lower() for w in _words(name))


def shouty(name: str) -> str:
    return "_".join(w.upper() for w in _words(name))


def ident(name: str) -> str:
    """A snake_case Rust identifier; keywords get a trailing `_` (`type` -> `type_`)."""
    if name in RUST_KEYWORDS:
        return name + "_"
    s = snake(name)
    return s + "_" if s in RUST_KEYWORDS else s


#: UpperCamelCase names a WIT type or case cannot take: the keyword `Self` (not even as a raw
#: identifier), the traits and structs every interface module defines, and the std traits its
#: bounds name (`Send`, `?Sized`); `bindgen!` fails on all of them
_RESERVED_TYPES = frozenset(
    {"Self", "Host", "HostWithStore", "Guest", "GuestIndices", "Send", "Sized"}
    # wasmtime's `ComponentType`/`Lower` derives refer to these unqualified
    | {"Option", "Copy", "Lower"}
)


def world_name(name: str, type_names: set[str]) -> str:
    """The world struct's name (`W`; also `WPre`, `WIndices`, `WImports`): UpperCamelCase, with
    `World` appended where the crate root cannot take it (`Self`, the `Send`/`?Sized` of its
    bounds, or a world-level type of `type_names` that is `W` or one of its companions)."""
    p = pascal(name)
    companions = {p + s for s in ("", "Pre", "Indices", "Imports", "ImportsWithStore")}
    taken = p in {"Self", "Send", "Sized"} or bool(companions & type_names)
    return p + "World" if taken else p


def type_name(name: str) -> str:
    """An UpperCamelCase name; one of `_RESERVED_TYPES` gets a `_` (`host` -> `Host_`)."""
    p = pascal(name)
    return p + "_" if p in _RESERVED_TYPES else p


def resource_items(base: str) -> tuple[str, str, str]:
    """The traits and struct a module generates for a resource (`base` is its UpperCamelCase
    name): `Host<R>`, `Host<R>WithStore` (imported) and `Guest<R>` (exported)."""
    return f"Host{base}", f"Host{base}WithStore", f"Guest{base}"


def disambiguate(wanted: list[str], taken: set[str] | frozenset[str] = frozenset()) -> list[str]:
    """`wanted` made distinct, in order: a name already used (by `taken` or an earlier one)
    gets `_` appended until it is free. Names that do not clash come back unchanged, so the
    names `bindgen!` would pick stay wherever they compile."""
    used = set(taken)
    out: list[str] = []
    for name in wanted:
        while name in used:
            name += "_"
        used.add(name)
        out.append(name)
    return out


def case_name(name: str) -> str:
    """A variant's or enum's case, UpperCamelCase as bindgen! has it: cases live in their
    enum's namespace, so only `Self` (never a variant name) and `Lower` (wasmtime's derives
    write `Self::Lower`, the associated type, which such a case makes ambiguous: bindgen!'s
    output fails there) get a `_`."""
    p = pascal(name)
    return p + "_" if p in ("Self", "Lower") else p
