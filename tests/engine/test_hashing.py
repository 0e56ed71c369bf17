"""Cache key, config digest and candidate WIT file listing."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from witgen.engine import candidate_wit_files
from witgen.engine.hashing import (
    compute_key,
    config_digest,
    is_safe_relpath,
    relative_posix,
    sha256_file,
)
from witgen.errors import WitError

from .helpers import write

BASE: dict = dict(
    version="0.1.0",
    target="js",
    world="w",
    options={"a": 1, "b": {"x": [1, 2]}},
    features=("f1", "f2"),
    all_features=False,
)


def digest(**kw: object) -> str:
    return config_digest(**{**BASE, **kw})


@pytest.mark.parametrize(
    "change",
    [
        {"version": "0.2.0"},
        {"target": "wasmtime"},
        {"world": "other"},
        {"world": None},
        {"options": {"a": 2, "b": {"x": [1, 2]}}},
        {"options": {"a": 1, "b": {"x": [2, 1]}}},  # list order matters
        {"options": {"a": 1}},
        {"options": {"a": "1", "b": {"x": [1, 2]}}},  # types matter
        {"features": ("f1",)},
        {"features": ("f1", "f2", "f3")},
        {"all_features": True},
    ],
)
def test_config_digest_changes(change: dict) -> None:
    assert digest(**change) != digest()


def test_config_digest_is_canonical() -> None:
    assert digest(options={"b": {"x": [1, 2]}, "a": 1}) == digest()  # dict order
    assert digest(features=("f2", "f1", "f1")) == digest()  # feature order, duplicates
    assert digest(options={"a": 1, "b": {"x": (1, 2)}}) == digest()  # tuple == list


def test_non_json_options_are_a_wit_error() -> None:
    with pytest.raises(WitError, match="not JSON-serializable"):
        digest(options={"path": Path("/x")})
    with pytest.raises(WitError):
        digest(options={"nan": float("nan")})


def test_key_depends_on_config_and_inputs() -> None:
    inputs = {"a.wit": "1" * 64, "deps/b.wit": "2" * 64}
    k = compute_key(digest(), inputs)
    assert compute_key(digest(), dict(reversed(inputs.items()))) == k
    assert compute_key(digest(), {**inputs, "a.wit": "3" * 64}) != k
    assert compute_key(digest(), {"a.wit": "1" * 64}) != k
    assert compute_key(digest(), {"x.wit": "1" * 64, "deps/b.wit": "2" * 64}) != k  # renames
    assert compute_key(digest(target="wasmtime"), inputs) != k


def test_sha256_file(tmp_path: Path) -> None:
    f = write(tmp_path / "f", b"abc")
    assert sha256_file(f) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"


def test_candidates_of_a_directory(tmp_path: Path) -> None:
    root = tmp_path / "wit"
    for rel in [
        "b.wit",
        "a.wit",
        "deps/x.wit",
        "deps/pkg/one.wit",
        "deps/pkg/sub/not-read-by-the-loader.wit",
        "sub/not-a-candidate.wit",
        "a.wit.bak",
        "deps/pkg/notes.md",
    ]:
        write(root / rel, "package a:b;\n")
    (root / "dir.wit").mkdir()  # a folder named *.wit is not a file
    got = [p.relative_to(root).as_posix() for p in candidate_wit_files(root)]
    assert got == ["a.wit", "b.wit", "deps/pkg/one.wit", "deps/x.wit"]
    assert all(p.is_absolute() for p in candidate_wit_files(root))


def test_candidates_of_a_file_and_of_nothing(tmp_path: Path) -> None:
    f = write(tmp_path / "one.wit", "package a:b;\n")
    write(tmp_path / "two.wit", "package a:c;\n")
    assert candidate_wit_files(f) == [f]
    assert candidate_wit_files(tmp_path / "missing") == []


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symlinks")
def test_candidates_follow_a_symlinked_dep_one_level(tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    write(shared / "io.wit", "package wasi:io;\n")
    root = tmp_path / "wit"
    write(root / "w.wit", "package a:b;\n")
    (root / "deps").mkdir()
    (root / "deps" / "io").symlink_to(shared, target_is_directory=True)
    (shared / "loop").symlink_to(shared, target_is_directory=True)
    got = [relative_posix(p, root) for p in candidate_wit_files(root)]
    assert got == ["deps/io/io.wit", "w.wit"]


def test_relative_posix(tmp_path: Path) -> None:
    root = tmp_path / "wit"
    assert relative_posix(root / "deps" / "a.wit", root) == "deps/a.wit"
    assert relative_posix(tmp_path / "other" / "x.wit", root) == "../other/x.wit"


@pytest.mark.parametrize(
    ("rel", "ok"),
    [
        ("a.js", True),
        ("src/a.js", True),
        ("", False),
        ("/etc/passwd", False),
        ("../x", False),
        ("a/../b", False),
        ("./a", False),
        ("a//b", False),
        ("a\\b", False),
    ],
)
def test_is_safe_relpath(rel: str, ok: bool) -> None:
    assert is_safe_relpath(rel) is ok
