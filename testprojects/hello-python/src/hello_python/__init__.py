"""hello-python: runs the bundled `hello` component through the bindings generated at build
time into `hello_python/_wit/`."""

from __future__ import annotations


def greet(name: str) -> tuple[str, list[str]]:
    """The guest's greeting for `name` and what it logged."""
    import wasmtime

    from ._wit import Hello, Imports

    logs: list[str] = []
    world = Hello.load(wasmtime.Engine(), imports=Imports(log=logs.append))
    return world.greet(name), logs
