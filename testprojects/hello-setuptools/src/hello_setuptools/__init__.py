"""hello-setuptools: ships the wasmtime bindings crate of wit/greeter.wit, generated at build time."""

from importlib.resources import files
from pathlib import Path


def crate_dir() -> Path:
    """The folder of the generated crate (hello_setuptools/crate inside the installed wheel)."""
    return Path(str(files(__name__) / "crate"))
