"""Resolver errors on hand-written WIT: the right file, line, column and a helpful message."""

from __future__ import annotations

from pathlib import Path

import pytest

import witgen


def test_missing_foreign_package_points_at_the_file_that_uses_it(tmp_path: Path) -> None:
    (tmp_path / "a.wit").write_text("package a:b;\ninterface x {}\n")
    (tmp_path / "b.wit").write_text("package a:b;\ninterface y {\n  use c:d/nope.{t};\n}\n")
    with pytest.raises(witgen.WitError) as info:
        witgen.load(tmp_path)
    err = info.value
    assert err.file == str(tmp_path / "b.wit")
    assert (err.line, err.col) == (3, 7)
    assert "package 'c:d' not found" in err.message


def test_unknown_type_suggests_a_close_name(tmp_path: Path) -> None:
    wit = tmp_path / "w.wit"
    wit.write_text(
        "package a:b;\ninterface i {\n  record point { x: u32 }\n  f: func(p: pointt);\n}\n"
    )
    with pytest.raises(witgen.WitError) as info:
        witgen.load(wit)
    assert "did you mean `point`?" in info.value.message
    rendered = info.value.render()
    assert f"--> {wit}:4:14" in rendered
    assert rendered.splitlines()[-1].endswith("^")
    assert rendered.splitlines()[-1].index("^") == rendered.splitlines()[-2].index("pointt")


@pytest.mark.parametrize(
    ("prefix", "open_", "close", "col"),
    [
        # the 101st constructor is reported: 100 of them before it, each `len(open_)` wide
        ("  type t = ", "list<", ">", 12 + 100 * len("list<")),
        ("  record r { a: ", "option<", ">", 17 + 100 * len("option<")),
    ],
    ids=["alias", "record-field"],
)
def test_type_nested_thousands_deep_is_an_error_not_a_crash(
    tmp_path: Path, prefix: str, open_: str, close: str, col: int
) -> None:
    # found by a 3,000-deep type: walking it for dependencies overflowed Python's stack
    n = 5000
    end = ";" if prefix.startswith("  type") else " }"
    wit = tmp_path / "deep.wit"
    wit.write_text(f"package a:b;\ninterface i {{\n{prefix}{open_ * n}u8{close * n}{end}\n}}\n")
    with pytest.raises(witgen.WitError) as info:
        witgen.load(wit)
    assert info.value.message == "type nesting too deep"
    assert (info.value.line, info.value.col) == (3, col)


@pytest.mark.parametrize("sep", ["\u2028", "\u2029"])
def test_rendering_shows_the_reported_line_after_a_unicode_line_break(
    tmp_path: Path, sep: str
) -> None:
    """Found by the fuzzers (tests/fuzz/corpus/frontend-line-separator-in-doc.wit): a comment
    holding a character `str.splitlines` breaks at (but WIT does not) shifted the source line
    the rendering shows, while line:col were right."""
    wit = tmp_path / "w.wit"
    wit.write_text(f"package a:b;\n/// one {sep} two\ninterface i {{\n  f: func() -> nope;\n}}\n")
    with pytest.raises(witgen.WitError) as info:
        witgen.load(wit)
    err = info.value
    assert (err.line, err.col) == (4, 16)
    assert "    4 |   f: func() -> nope;\n" in err.render()


def test_names_differing_only_in_case_after_an_include_point_at_the_include(
    tmp_path: Path,
) -> None:
    """wasm-tools 1.262 gives the same message with no location at all (found by fuzzing)."""
    wit = tmp_path / "w.wit"
    wit.write_text(
        "package a:b;\nworld std {\n  import fu: func() -> u32;\n}\n"
        "world x {\n  record FU { a: u8 }\n  include std;\n}\n"
    )
    with pytest.raises(witgen.WitError) as info:
        witgen.load(wit)
    err = info.value
    assert err.message == (
        "import `fu` in world `x` conflicts with import `FU` (names must be strongly unique)"
    )
    assert (err.file, err.line, err.col) == (str(wit), 7, 11)
