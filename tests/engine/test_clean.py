"""clean(): removes exactly what witgen wrote."""

from __future__ import annotations

from pathlib import Path

from witgen.engine import MANIFEST_NAME, BindingSpec, build, clean, is_fresh

from .helpers import FakeGen, all_entries, gen_files, write


def test_clean_removes_outputs_manifest_and_created_dirs(
    spec: BindingSpec, used: list[Path]
) -> None:
    build(spec, FakeGen(gen_files(), used=used))
    removed = clean(spec.out_dir)
    out = spec.out_dir
    assert removed == [
        out / "package.json",
        out / "src/index.js",
        out / "src/nested/deep.js",
        out / "src/types.d.ts",
        out / MANIFEST_NAME,
        out / "src/nested",
        out / "src",
        out,
    ]
    assert not out.exists()
    assert list(out.parent.iterdir()) == []  # the lock file is gone too
    assert not is_fresh(spec)


def test_clean_keeps_user_files_and_their_folders(spec: BindingSpec, used: list[Path]) -> None:
    write(spec.out_dir / "src" / "mine.js", "mine\n")
    build(spec, FakeGen(gen_files(), used=used))
    clean(spec.out_dir)
    assert all_entries(spec.out_dir) == {"src", "src/mine.js"}
    assert (spec.out_dir / "src" / "mine.js").read_text() == "mine\n"


def test_clean_keeps_preexisting_output_folder(spec: BindingSpec, used: list[Path]) -> None:
    spec.out_dir.mkdir(parents=True)
    build(spec, FakeGen(gen_files(), used=used))
    clean(spec.out_dir)
    assert spec.out_dir.is_dir() and list(spec.out_dir.iterdir()) == []


def test_clean_without_manifest_touches_nothing(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write(out / "a.js", "x")
    assert clean(out) == []
    assert all_entries(out) == {"a.js"}
    assert clean(tmp_path / "missing" / "out") == []
    assert not (tmp_path / "missing").exists()


def test_clean_then_build_again(spec: BindingSpec, used: list[Path]) -> None:
    build(spec, FakeGen(gen_files(), used=used))
    clean(spec.out_dir)
    r = build(spec, FakeGen(gen_files(), used=used))
    assert (r.status, r.written) == ("generated", 4)
    assert is_fresh(spec)
