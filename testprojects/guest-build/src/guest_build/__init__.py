"""guest-build: ships the JS bindings of wit/hello.wit with the C guest that `guest-build` made."""

from importlib.resources import files
from pathlib import Path


def js_package() -> Path:
    """The folder of the generated JS package (guest_build/js inside the installed wheel)."""
    return Path(str(files(__name__) / "js"))
