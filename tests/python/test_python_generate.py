"""Generation: files, determinism, options, and the refusals of what wasmtime-py 51 cannot run."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from py_support import GUESTS

import witgen
from witgen.errors import WitError
from witgen.targets import generate_files, select_world


def gen_file(path: Path, world: str | None = None, **options: object) -> dict[str, bytes]:
    resolve = witgen.load(path)
    return generate_files("python", resolve, select_world(resolve, world), options)


def test_files_and_determinism():
    a = gen_file(GUESTS / "resources" / "world.wit", "resources")
    b = gen_file(GUESTS / "resources" / "world.wit", "resources")
    assert a == b
    assert sorted(a) == ["__init__.py", "_rt.py", "py.typed"]
    assert a["py.typed"] == b""
    assert b"import wasmtime\n" not in a["__init__.py"].split(b"if _t.TYPE_CHECKING:")[0]


def test_bundled_component(tmp_path):
    comp = tmp_path / "c.wasm"
    comp.write_bytes(b"\0asm-not-really")
    files = gen_file(GUESTS / "hello" / "world.wit", "hello", wasm=str(comp))
    assert files["hello.wasm"] == comp.read_bytes()
    assert b"component: str | _os.PathLike[str] | bytes | _t.Any = None" in files["__init__.py"]
    compile(files["__init__.py"], "generated", "exec")


def test_unknown_option():
    with pytest.raises(WitError, match="python target: unknown option.*bogus"):
        gen_file(GUESTS / "hello" / "world.wit", "hello", bogus=1)


def write(tmp_path: Path, text: str) -> Path:
    p = tmp_path / "w.wit"
    p.write_text(text)
    return p


@pytest.mark.parametrize(
    "body, what",
    [
        ("export f: async func();", "async functions"),
        ("export f: func(x: future<u32>);", "`future` values"),
        ("export f: func() -> stream<u8>;", "`stream` values"),
        ("export f: func(x: error-context);", "`error-context` values"),
        ("export f: func(x: list<u32, 4>);", "fixed-length lists"),
        ("export f: func(x: option<map<string, u32>>);", "`map` values"),
    ],
)
def test_refuses_what_wasmtime_py_cannot_run(tmp_path, body, what):
    path = write(tmp_path, f"package a:b;\nworld w {{\n  {body}\n}}\n")
    try:
        resolve = witgen.load(path, all_features=True)
    except WitError as e:  # a front end without the feature: nothing to check here
        pytest.skip(f"the front end rejects it: {e}")
    with pytest.raises(WitError, match=rf"function `f` uses {what}, which wasmtime-py 51"):
        generate_files("python", resolve, select_world(resolve, "w"), {})


def test_interface_both_imported_and_exported(tmp_path):
    """Its resource is a Protocol (host) and a `Guest` class (guest); the types holding one
    are declared for each side (tests/python/test_python_dual.py runs such a world)."""
    path = write(
        tmp_path,
        "package a:b;\ninterface i { resource r; record q { x: r, n: u8 } record plain { n: u8 }\n"
        "  variant v { a(r), b } f: func(x: q) -> v; g: func(p: plain); }\n"
        "world w { import i; export i; }\n",
    )
    init = gen_file(path, "w")["__init__.py"].decode()
    classes = re.findall(r"^class (\w+)\((.*)\):", init, re.M)
    assert dict(classes) == {
        "Q": "_rt.Value", "Plain": "_rt.Value", "VA": "_rt.Value", "VB": "_rt.Value",
        "GuestQ": "_rt.Value", "GuestVA": "_rt.Value", "GuestVB": "_rt.Value",
        "GuestR": "_rt.GuestResource", "R": "_t.Protocol", "IImports": "_t.Protocol",
        "Imports": "_rt.Value",
    }  # fmt: skip
    assert "\nclass IExports:\n" in init and "\nclass W:\n" in init
    assert "    def f(self, x: Q) -> V:" in init  # the Protocol (host side)
    assert "    def f(self, x: GuestQ) -> GuestV:" in init  # the export (guest side)
    assert init.count("    def g(self, p: Plain) -> None:") == 2  # no handle: one shared type


@pytest.mark.parametrize(
    "world, where",
    [
        ("interface j { use i.{r}; f: func(x: r); }\nworld w { import i; export i; export j; }",
         "`f` of `a:b/j`"),
        ("world w { import i; export i; use i.{r}; export f: func(x: option<r>); }",
         "`f` of the world"),
    ],
)  # fmt: skip
def test_refuses_other_exports_using_a_two_sided_resource(tmp_path, world, where):
    path = write(tmp_path, f"package a:b;\ninterface i {{ resource r; }}\n{world}\n")
    with pytest.raises(
        WitError, match=rf"exported function {where} uses a resource of `a:b/i`, which the world both"
    ):
        gen_file(path, "w")


def test_names(tmp_path):
    path = write(
        tmp_path,
        "package a:b;\n"
        "interface i {\n"
        "  record r { %type: u8, %from: string, %list: u8, %self: bool }\n"
        "  enum e { not-found, %class }\n"
        "  flags f { read, write }\n"
        "  resource bytes-res { %bytes: func() -> list<u8>; }\n"
        "}\n"
        "world w { export i; export %def: func(%in: u8, c: u8) -> u8; }\n",
    )
    src = gen_file(path, "w")["__init__.py"].decode()
    assert "    type_: int\n    from_: str\n    list_: int\n    self_: bool\n" in src
    assert "    NOT_FOUND = 'not-found'\n    CLASS = 'class'\n" in src
    assert "    def bytes_(self) -> bytes:" in src
    assert "    def def_(self, in_: int, c_: int) -> int:" in src
    compile(src, "generated", "exec")


def test_cli_target_python(tmp_path):
    """`witgen generate --target python --wasm COMPONENT`: the package with the component."""
    import os
    import subprocess
    import sys

    comp = tmp_path / "c.wasm"
    comp.write_bytes(b"\0asm\r\0\x01\0")  # the bytes are bundled as they are
    out = tmp_path / "pkg"
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    proc = subprocess.run(
        [sys.executable, "-m", "witgen", "generate", str(GUESTS / "hello" / "world.wit"),
         "--target", "python", "--out", str(out), "--wasm", str(comp)],
        capture_output=True, text=True, env=env,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert "python bindings for world 'hello'" in proc.stderr + proc.stdout
    assert sorted(p.name for p in out.iterdir() if not p.name.startswith(".")) == [
        "__init__.py", "_rt.py", "hello.wasm", "py.typed",
    ]  # fmt: skip
    assert (out / "hello.wasm").read_bytes() == comp.read_bytes()
