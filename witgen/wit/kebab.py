"""Kebab-case name rules shared by the resolver: the canonical forms behind strong uniqueness.

Two names in one scope may not differ only in case or dashes (`a-b` vs `AB`), and a resource
function's name counts by its function part (`[method]r.f` vs `f` are distinct, but
`[method]r.r` is `r`), as the component model's name rules and wit-parser have it.
"""

from __future__ import annotations


def canon(name: str) -> str:
    return name.replace("-", "").lower()


def strong_key(name: str) -> str:
    base = name
    prefix = ""
    if base.startswith("["):
        tag, _, rest = base[1:].partition("]")
        if tag == "constructor":
            prefix = "[constructor]"
        base = rest
        if "." in base:
            res, _, fn = base.partition(".")
            if fn == res:
                base = res
    return prefix + canon(base)
