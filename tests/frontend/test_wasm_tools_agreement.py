"""Corner cases where witgen follows what `wasm-tools component wit` 1.262 does.

Every expected message and `line:col` below was printed by wasm-tools 1.262 for the same input.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import witgen
from witgen.cli import main


def _error(tmp_path: Path, text: str | bytes) -> witgen.WitError:
    wit = tmp_path / "a.wit"
    if isinstance(text, str):
        wit.write_text(text, encoding="utf-8")
    else:
        wit.write_bytes(text)
    with pytest.raises(witgen.WitError) as info:
        witgen.load(tmp_path)
    return info.value


@pytest.mark.parametrize(
    ("text", "where", "char"),
    [
        ("package a:b;\ninterface i { type t = list<u8, \u0663>; }\n", (2, 33), "\u0663"),
        ("package a:b@\u0661.0.0;\ninterface i { type t = u8; }\n", (1, 13), "\u0661"),
    ],
)
def test_only_ascii_digits_make_numbers(
    tmp_path: Path, text: str, where: tuple[int, int], char: str
) -> None:
    err = _error(tmp_path, text)
    assert err.message == f"unexpected character {char!r}"
    assert (err.line, err.col) == where


@pytest.mark.parametrize("count", [33, 40])
def test_more_than_32_flags_is_an_error_at_the_33rd(tmp_path: Path, count: int) -> None:
    names = ", ".join(f"g{k}" for k in range(count))
    err = _error(tmp_path, f"package a:b;\ninterface i {{ flags f {{ {names} }} }}\n")
    assert err.message == "cannot have more than 32 flags"
    assert (err.line, err.col) == (2, 175)


def test_32_flags_are_fine(tmp_path: Path) -> None:
    names = ", ".join(f"g{k}" for k in range(32))
    (tmp_path / "a.wit").write_text(f"package a:b;\ninterface i {{ flags f {{ {names} }} }}\n")
    witgen.load(tmp_path)


def test_columns_count_utf8_bytes_and_the_caret_sits_under_the_name(tmp_path: Path) -> None:
    err = _error(
        tmp_path, "package a:b;\ninterface i { /* \u00e9\u00e9\u00e9 */ type t = bogus; }\n"
    )
    assert err.message == "type `bogus` does not exist"
    assert (err.line, err.col) == (2, 37)  # 34 characters, 37 bytes
    shown, caret = err.render().splitlines()[-2:]
    assert caret.index("^") == shown.index("bogus")


def test_a_line_separator_in_a_comment_does_not_shift_the_line_shown(tmp_path: Path) -> None:
    err = _error(tmp_path, "package a:b;\n// hi \u2028 there\ninterface i { type t = bogus; }\n")
    assert (err.line, err.col) == (3, 24)
    assert err.render().splitlines()[-2].endswith("| interface i { type t = bogus; }")


def test_invalid_utf8_is_reported_at_line_and_column(tmp_path: Path) -> None:
    err = _error(tmp_path, b"package a:b;\ninterface i {\n // \xff\xfe\n type t = u8; }\n")
    assert err.message.startswith("input was not valid UTF-8")  # wasm-tools: no location at all
    assert err.file == str(tmp_path / "a.wit")
    assert (err.line, err.col) == (3, 5)


@pytest.mark.parametrize("world", ["w", "ns:pkg/w", "ns:pkg/w@1.0.0"])
def test_world_may_be_named_with_its_package_version(
    tmp_path: Path, world: str, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "deps").mkdir()
    (tmp_path / "a.wit").write_text("package ns:root;\nworld r { import g: func(); }\n")
    (tmp_path / "deps" / "p.wit").write_text(
        "package ns:pkg@1.0.0;\nworld w { import f: func(); }\n"
    )
    assert main(["abi", "--world", world, str(tmp_path)]) == 0
    assert '(import "$root" "f" (func))' in capsys.readouterr().out


def test_a_world_of_another_package_version_is_not_found(tmp_path: Path) -> None:
    (tmp_path / "a.wit").write_text("package ns:pkg@1.0.0;\nworld w { import f: func(); }\n")
    r = witgen.load(tmp_path)
    with pytest.raises(witgen.WitError, match="not found"):
        r.select_world("ns:pkg/w@2.0.0")


def test_config_world_may_carry_the_package_version(tmp_path: Path) -> None:
    (tmp_path / "wit" / "deps").mkdir(parents=True)
    (tmp_path / "mypkg").mkdir()
    (tmp_path / "mypkg" / "__init__.py").write_text("")
    (tmp_path / "wit" / "a.wit").write_text("package ns:root;\nworld r { import g: func(); }\n")
    (tmp_path / "wit" / "deps" / "p.wit").write_text(
        "package ns:pkg@1.0.0;\nworld w { import f: func(); }\n"
    )
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "mypkg"\nversion = "0.1"\n[tool.witgen]\nworld = "ns:pkg/w@1.0.0"\n'
    )
    assert main(["build", str(tmp_path)]) == 0
    assert (tmp_path / "mypkg" / "js" / "index.js").is_file()
