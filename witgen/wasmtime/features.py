"""What the generated code needs from wasmtime and std, collected while it is written; it
decides the wasmtime features in `Cargo.toml` and the stand-ins of `witgen_rt`."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Features:
    #: some function is async (wasmtime's `async` feature)
    async_: bool = False
    #: component-model async: `async func`, `future`, `stream`, `error-context`
    concurrent: bool = False
    #: other needs by name (`std`: a `map` became a `HashMap`)
    names: set[str] = field(default_factory=set)
