"""What the generated code needs from wasmtime, collected while it is written; it
decides the wasmtime features in `Cargo.toml` and the stand-ins of `witgen_rt`."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Features:
    #: some function is async (wasmtime's `async` feature)
    async_: bool = False
    #: component-model async: `async func`, `future`, `stream`, `error-context`
    concurrent: bool = False
