"""The formats option values must have before they are written into a crate.

- crate names, as cargo accepts them: ASCII letters, digits, `-` and `_`, not starting with a
  digit or `-`, not a Rust keyword (the crate's library would be named by it). Such a name is
  also a TOML bare key and needs no escape in a TOML string.
- version requirements, as cargo (the `semver` crate) parses them: `*`, or comparators such as
  `1.2.3`, `=50.0.1`, `>=1.2, <2`, `~1.2`, `^0.3.0-beta.1`, `1.*`.
- Rust paths, as written after `use`: `a::b::C`, `::a::B`, `crate::x`.
"""

from __future__ import annotations

import json
import re

from witgen.errors import WitError

from .names import RUST_KEYWORDS

_CRATE_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")

_PART = r"(?:0|[1-9][0-9]*|[*xX])"
_IDENTS = r"[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*"
_COMPARATOR = (
    rf"(?:=|>=|<=|>|<|~|\^)?\s*{_PART}(?:\.{_PART}(?:\.{_PART}(?:-{_IDENTS})?(?:\+{_IDENTS})?)?)?"
)
_VERSION_REQ = re.compile(rf"\s*{_COMPARATOR}\s*(?:,\s*{_COMPARATOR}\s*)*")

_IDENT = r"(?:[A-Za-z][A-Za-z0-9_]*|_[A-Za-z0-9_]+)"
_RUST_PATH = re.compile(rf"(?:::)?{_IDENT}(?:::{_IDENT})*")
#: keywords that may start a path (`crate::x`, `self::x`, `super::x`)
_PATH_KEYWORDS = frozenset({"crate", "self", "super", "Self"})


def show(value: object) -> str:
    """A value as the user wrote it, with quotes and escapes so newlines and quotes show."""
    return json.dumps(value, ensure_ascii=False, default=repr)


def fail(option: str, value: object, expected: str) -> WitError:
    return WitError(f"wasmtime option `{option}`: {show(value)} is not {expected}")


def is_crate_name(name: str) -> bool:
    return _CRATE_NAME.fullmatch(name) is not None and name not in RUST_KEYWORDS


def crate_name(option: str, value: object) -> str:
    expected = (
        "a crate name (ASCII letters, digits, `-` and `_`, starting with a letter or `_`, "
        "not a Rust keyword)"
    )
    if not isinstance(value, str) or not is_crate_name(value):
        raise fail(option, value, expected)
    return value


def is_version_req(text: str) -> bool:
    return text.strip() == "*" or _VERSION_REQ.fullmatch(text) is not None


def version_req(option: str, value: object) -> str:
    if not isinstance(value, str) or not is_version_req(value):
        raise fail(option, value, 'a version requirement (such as "50.0.1" or ">=48, <51")')
    return value


def is_rust_path(text: str) -> bool:
    if _RUST_PATH.fullmatch(text) is None:
        return False
    segments = text.removeprefix("::").split("::")
    return all(
        s not in RUST_KEYWORDS or (i == 0 and s in _PATH_KEYWORDS) for i, s in enumerate(segments)
    )


def rust_path(option: str, value: object) -> str:
    if not isinstance(value, str) or not is_rust_path(value):
        raise fail(option, value, "a Rust path (such as `my_crate::module::Type`)")
    return value
