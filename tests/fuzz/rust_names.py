"""A cheap check of generated Rust for name clashes rustfmt cannot see (it only parses): two
items of one name in a module's type namespace, two fields of one struct, two methods of one
type's inherent `impl`s or of one trait. rustc reports these as E0428/E0124/E0592; compiling every fuzzed crate
would take minutes, this takes milliseconds, and `tests/wasmtime` compiles the known cases.

Reads rustfmt-style output as witgen writes it (one module per file, items at column 0, members
indented four spaces); macro bodies (`flags!`) are not looked into.
"""

from __future__ import annotations

import re
from pathlib import Path

_ITEM = re.compile(
    r"(?:pub(?:\([^)]*\))? )?(?:(?:struct|enum|trait|type|union|mod) (\w+)|use [^;]* as (\w+);)"
)
_IMPL = re.compile(r"impl(?:<[^>]*>)? ([\w:]+)(?:<[^>]*>)? \{$")
_FIELD = re.compile(r"    (?:pub )?(\w+): ")
_FN = re.compile(r"    (?:pub )?(?:async )?fn (\w+)")


def _clashes_in(text: str) -> list[str]:
    out: list[str] = []
    items: set[str] = set()
    methods: dict[str, set[str]] = {}
    block: tuple[str, str, set[str]] | None = None  # ("struct" | "impl", name, members)
    for line in text.splitlines():
        if block is not None:
            if line.startswith("}"):
                block = None
                continue
            kind, name, members = block
            m = (_FIELD if kind == "struct" else _FN).match(line)
            if m is not None:
                if m[1] in members:
                    out.append(f"{kind} {name}: `{m[1]}` twice")
                members.add(m[1])
            continue
        if line.startswith("#") or line.startswith("//"):
            continue
        m = _ITEM.match(line)
        if m is not None:
            name = m[1] or m[2]
            if name in items:
                out.append(f"item `{name}` twice")
            items.add(name)
            if line.rstrip().endswith("{"):
                if " struct " in f" {line}":
                    block = ("struct", name, set())
                elif " trait " in f" {line}":
                    block = ("trait", name, set())
            continue
        m = _IMPL.match(line)
        if m is not None:
            block = ("impl", m[1], methods.setdefault(m[1], set()))
    return out


def rust_clashes(crate: Path) -> list[str]:
    """The name clashes in the `.rs` files of `crate`, each as `file: what`."""
    out: list[str] = []
    for path in sorted(crate.rglob("*.rs")):
        out += [f"{path.relative_to(crate)}: {c}" for c in _clashes_in(path.read_text())]
    return out
