"""hello-hatch: ships the JS bindings of wit/hello.wit (with the guest) generated at build time."""

from importlib.resources import files
from pathlib import Path


def js_package() -> Path:
    """The folder of the generated JS package (hello_hatch/js inside the installed wheel)."""
    return Path(str(files(__name__) / "js"))


if __name__ == "__main__":  # pragma: no cover
    print(js_package())
