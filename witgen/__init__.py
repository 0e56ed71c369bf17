"""witgen: WebAssembly Interface Types (WIT) to host bindings.

Public entry points:
- `load(path, features=..., all_features=...)` parses and resolves a `.wit` file or a WIT
  directory (root package plus `deps/`) into a `witgen.model.Resolve`.
- `WitError` is the only exception bad input raises.
"""

from witgen.errors import WitError

__version__ = "0.1.0"


def load(path, features=(), all_features=False):  # noqa: ANN001, ANN201 - re-exported below
    from witgen.wit.resolve import load as _load

    return _load(path, features=features, all_features=all_features)


__all__ = ["WitError", "load", "__version__"]
