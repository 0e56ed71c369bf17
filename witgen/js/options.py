"""The options of the JS target, checked: their names (the package's own are checked in
`package.py`), and the guest's string encoding with the runtime helpers that read (`rstr*`) and write (`lstr*`) it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from witgen.errors import WitError

from .package import PACKAGE_OPTIONS

ENCODINGS = ("utf8", "utf16", "latin1+utf16")
OPTIONS = (
    "name",
    "wasm",
    "wasm_sha256",
    "component",
    "component_sha256",
    "string_encoding",
    "version",
    "async_abi",
    "wasi",
    *PACKAGE_OPTIONS,
)

#: encoding -> (runtime helper lowering a string, runtime helper lifting one)
_STRING_HELPERS = {
    "utf8": ("lstr", "rstr"),
    "utf16": ("lstr16", "rstr16"),
    "latin1+utf16": ("lstrL", "rstrL"),
}


@dataclass(frozen=True)
class JsOptions:
    encoding: str
    #: runtime helpers that lower / lift a string in `encoding`
    lstr: str
    rstr: str
    #: the contract a bundled guest is checked against: "callback" (runs everywhere) or
    #: "stackful" (`[async-lift-stackful]`: suspends through JSPI where the engine has it, else
    #: blocks only on guests linked through the host); the package runs either kind of guest,
    #: as its exports say
    async_abi: str = "callback"
    #: WASI preview 1 support (`wasi.py`): True, False, or None (decided by the bundled module)
    wasi: bool | None = None


def parse_options(options: Mapping[str, object]) -> JsOptions:
    unknown = sorted(set(options) - set(OPTIONS))
    if unknown:
        raise WitError(
            f"js target: unknown option(s) {', '.join(unknown)}; known: {', '.join(OPTIONS)}"
        )
    enc = options.get("string_encoding", "utf8")
    if enc not in ENCODINGS:
        raise WitError(
            f"js target: string_encoding must be one of {', '.join(ENCODINGS)}, not {enc!r}"
        )
    assert isinstance(enc, str)
    lstr, rstr = _STRING_HELPERS[enc]
    abi = options.get("async_abi", "callback")
    if abi not in ("callback", "stackful"):
        raise WitError(f"js target: async_abi must be `callback` or `stackful`, not {abi!r}")
    wasi = options.get("wasi")
    if wasi is not None and not isinstance(wasi, bool):
        raise WitError(f"js target: wasi must be true or false, not {wasi!r}")
    return JsOptions(enc, lstr, rstr, abi, wasi=wasi)
