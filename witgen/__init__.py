"""witgen: WebAssembly Interface Types (WIT) to host bindings.

Public entry points:
- `load(path, features=..., all_features=...)` parses and resolves a `.wit` file or a WIT
  directory (root package plus `deps/`) into a `witgen.model.Resolve`.
- `WitError` is the only exception bad input raises.
"""

from __future__ import annotations

from witgen.errors import WitError

TYPE_CHECKING = False  # not typing's: `witgen`'s fast path does not import typing
if TYPE_CHECKING:
    from collections.abc import Iterable
    from os import PathLike

    from witgen.model import Resolve

__version__ = "0.1.0"


def load(
    path: str | PathLike[str], features: Iterable[str] = (), all_features: bool = False
) -> Resolve:
    # the front end (and lark, on a parse-cache miss) is imported on first use only
    from witgen.wit.resolve import load as _load

    return _load(path, features=features, all_features=all_features)


__all__ = ["WitError", "load", "__version__"]
