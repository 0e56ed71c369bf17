"""build(): no-op path, regeneration, write-if-changed, orphans, failures, force."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import witgen
from witgen.engine import (
    MANIFEST_NAME,
    BindingSpec,
    BuildResult,
    GenerateOutput,
    build,
    is_fresh,
    read_manifest,
    stale_reason,
)
from witgen.engine import publish as publish_mod
from witgen.errors import WitError

from .helpers import FakeGen, all_entries, gen_files, never_called, snapshot, write

REPO = Path(__file__).resolve().parents[2]


def test_first_build_generates(spec: BindingSpec, used: list[Path]) -> None:
    gen = FakeGen(gen_files(), used=used)
    r = build(spec, gen)
    assert gen.calls == 1
    assert (r.status, r.files, r.written, r.unchanged, r.removed) == ("generated", 4, 4, 0, 0)
    assert r.reason == "no previous build"
    for rel, text in gen_files().items():
        assert (spec.out_dir / rel).read_text() == text
    m = read_manifest(spec.out_dir)
    assert m is not None and m.complete
    assert sorted(m.outputs) == sorted(gen_files())
    assert sorted(m.inputs) == ["deps/io/streams.wit", "types.wit", "world.wit"]
    assert m.candidates == ["deps/clocks.wit", "deps/io/streams.wit", "types.wit", "world.wit"]
    assert is_fresh(spec)
    # the staging folder is gone, only the output folder and its lock remain
    assert sorted(p.name for p in spec.out_dir.parent.iterdir()) == [".js.witgen.lock", "js"]


def test_noop_build_writes_nothing_and_does_not_call_generator(
    spec: BindingSpec, used: list[Path]
) -> None:
    build(spec, FakeGen(gen_files(), used=used))
    before = snapshot(spec.out_dir)
    entries = all_entries(spec.out_dir.parent)
    r = build(spec, never_called)
    assert r.status == "up to date"
    assert (r.files, r.written, r.unchanged, r.removed, r.reason) == (4, 0, 4, 0, None)
    assert snapshot(spec.out_dir) == before  # bytes, mtimes and inodes, manifest included
    assert all_entries(spec.out_dir.parent) == entries


def test_noop_does_not_import_parser_or_generators(tmp_path: Path, spec: BindingSpec) -> None:
    build(spec, FakeGen(gen_files(), used=None))
    script = textwrap.dedent(
        f"""
        import sys
        from pathlib import Path
        from witgen.engine import BindingSpec, build, is_fresh

        spec = BindingSpec(wit_path=Path({str(spec.wit_path)!r}), target="js",
                           out_dir=Path({str(spec.out_dir)!r}), world="w",
                           options={dict(spec.options)!r}, features=("beta",))
        assert is_fresh(spec)
        def gen(spec, out):
            raise SystemExit("generator called")
        assert build(spec, gen).status == "up to date"
        mods = sorted(m for m in sys.modules if m == "witgen" or m.startswith("witgen."))
        bad = [m for m in mods if not (m in ("witgen", "witgen.errors")
                                       or m.startswith("witgen.engine"))]
        heavy = [m for m in ("lark", "jinja2") if m in sys.modules]
        print(bad, heavy)
        assert not bad and not heavy, (bad, heavy)
        """
    )
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    proc = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, cwd=tmp_path
    )
    assert proc.returncode == 0, proc.stderr + proc.stdout


def test_changed_used_input_regenerates(spec: BindingSpec, used: list[Path], wit: Path) -> None:
    build(spec, FakeGen(gen_files(), used=used))
    write(wit / "deps" / "io" / "streams.wit", "package wasi:io;\ninterface streams { }\n")
    assert stale_reason(spec) == "WIT input changed: deps/io/streams.wit"
    gen = FakeGen(gen_files(), used=used)
    r = build(spec, gen)
    assert gen.calls == 1 and r.status == "generated"
    assert r.reason == "WIT input changed: deps/io/streams.wit"
    assert is_fresh(spec)


def test_edit_of_unused_candidate_does_not_regenerate(
    spec: BindingSpec, used: list[Path], wit: Path
) -> None:
    # Documented trade-off: only the files the resolver used are hashed.
    build(spec, FakeGen(gen_files(), used=used))
    write(wit / "deps" / "clocks.wit", "package wasi:clocks;\ninterface clock { }\n")
    assert is_fresh(spec)


def test_unreported_inputs_mean_all_candidates(spec: BindingSpec, wit: Path) -> None:
    build(spec, FakeGen(gen_files(), used=None))
    m = read_manifest(spec.out_dir)
    assert m is not None and sorted(m.inputs) == m.candidates
    write(wit / "deps" / "clocks.wit", "package wasi:clocks;\ninterface clock { }\n")
    assert stale_reason(spec) == "WIT input changed: deps/clocks.wit"


@pytest.mark.parametrize(
    "change",
    [
        "deps/new/x.wit",  # new dependency folder
        "deps/extra.wit",  # new single-file dependency
        "more.wit",  # new root-level file
    ],
)
def test_new_candidate_file_regenerates(
    spec: BindingSpec, used: list[Path], wit: Path, change: str
) -> None:
    build(spec, FakeGen(gen_files(), used=used))
    write(wit / change, "package x:y;\n")
    assert stale_reason(spec) == f"new WIT file: {change}"
    assert build(spec, FakeGen(gen_files(), used=used)).status == "generated"
    assert is_fresh(spec)


def test_file_beyond_the_loaders_reach_is_ignored(
    spec: BindingSpec, used: list[Path], wit: Path
) -> None:
    build(spec, FakeGen(gen_files(), used=used))
    write(wit / "deps" / "io" / "nested" / "deeper.wit", "package x:y;\n")
    assert is_fresh(spec)


def test_removed_candidate_file_regenerates(spec: BindingSpec, used: list[Path], wit: Path) -> None:
    build(spec, FakeGen(gen_files(), used=used))
    (wit / "deps" / "clocks.wit").unlink()
    assert stale_reason(spec) == "WIT file removed: deps/clocks.wit"


def test_non_candidate_files_are_ignored(spec: BindingSpec, used: list[Path], wit: Path) -> None:
    build(spec, FakeGen(gen_files(), used=used))
    write(wit / "notes.txt", "x")
    write(wit / "sub" / "ignored.wit", "package x:y;\n")  # not root-level, not under deps/
    write(wit / "deps" / "io" / "README.md", "x")
    assert is_fresh(spec)


def test_unchanged_bytes_are_not_rewritten(spec: BindingSpec, used: list[Path], wit: Path) -> None:
    build(spec, FakeGen(gen_files(), used=used))
    before = snapshot(spec.out_dir)
    write(wit / "world.wit", "package my:pkg;\nworld w {}\n")
    files = {**gen_files(), "src/index.js": "export const x = 2;\n"}
    r = build(spec, FakeGen(files, used=used))
    assert (r.status, r.files, r.written, r.unchanged, r.removed) == ("generated", 4, 1, 3, 0)
    after = snapshot(spec.out_dir)
    for rel in ("package.json", "src/types.d.ts", "src/nested/deep.js"):
        assert after[rel] == before[rel]  # same bytes, mtime and inode
    assert after["src/index.js"][0] == b"export const x = 2;\n"
    assert after["src/index.js"][2] != before["src/index.js"][2]  # replaced, new inode


def test_orphans_removed_and_empty_created_dirs_pruned(spec: BindingSpec, used: list[Path]) -> None:
    build(spec, FakeGen(gen_files(), used=used))
    files = {"package.json": gen_files()["package.json"], "lib/main.js": "x\n"}
    r = build(spec, FakeGen(files, used=used), force=True)
    assert (r.files, r.written, r.unchanged, r.removed) == (2, 1, 1, 3)
    assert all_entries(spec.out_dir) == {"package.json", "lib", "lib/main.js", MANIFEST_NAME}
    m = read_manifest(spec.out_dir)
    assert m is not None and m.created_dirs == [".", "lib"]


def test_user_files_are_never_touched(spec: BindingSpec, used: list[Path]) -> None:
    user = {"README.md": "mine\n", "src/custom.js": "mine\n", "notes/a.txt": "mine\n"}
    for rel, text in user.items():
        write(spec.out_dir / rel, text)
    user_before = snapshot(spec.out_dir)
    build(spec, FakeGen(gen_files(), used=used))
    build(spec, FakeGen({"other.js": "y\n"}, used=used), force=True)  # all old outputs orphaned
    after = snapshot(spec.out_dir)
    for rel in user:
        assert after[rel] == user_before[rel]
    # src/ held a user file, so it survives though all generated files in it are gone
    assert all_entries(spec.out_dir) == {
        "README.md",
        "src",
        "src/custom.js",
        "notes",
        "notes/a.txt",
        "other.js",
        MANIFEST_NAME,
    }


def test_generator_failure_leaves_previous_output_intact(
    spec: BindingSpec, used: list[Path], wit: Path
) -> None:
    build(spec, FakeGen(gen_files(), used=used))
    write(spec.out_dir / "user.txt", "mine\n")
    before = snapshot(spec.out_dir)
    entries = all_entries(spec.out_dir.parent)
    write(wit / "world.wit", "package my:pkg;\nworld w { oops }\n")
    err = WitError("expected `}`", file="world.wit", line=2, col=11)
    gen = FakeGen({"package.json": "half\n", "new.js": "x\n"}, used=used, fail=err)
    with pytest.raises(WitError) as info:
        build(spec, gen)
    assert info.value is err  # propagated unchanged
    assert snapshot(spec.out_dir) == before
    assert all_entries(spec.out_dir.parent) == entries  # staging folder removed
    assert not gen.seen_dirs[0].exists()
    assert stale_reason(spec) == "WIT input changed: world.wit"


def test_generator_failure_on_first_build_leaves_nothing(spec: BindingSpec) -> None:
    with pytest.raises(WitError):
        build(spec, FakeGen({"a.js": "x"}, fail=WitError("bad")))
    assert not spec.out_dir.exists()
    assert [p.name for p in spec.out_dir.parent.iterdir()] == [".js.witgen.lock"]


def test_interrupted_publish_is_redone_and_tracks_every_file(
    spec: BindingSpec, used: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    build(spec, FakeGen({"old.js": "old\n", "keep.js": "k\n"}, used=used))
    real = publish_mod.atomic_write
    calls = []

    def flaky(dest: Path, data: bytes, **kw: object) -> None:
        calls.append(dest.name)
        if dest.name == "new2.js":
            raise OSError("disk full")
        real(dest, data, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(publish_mod, "atomic_write", flaky)
    files = {"keep.js": "k\n", "new1.js": "1\n", "new2.js": "2\n"}
    with pytest.raises(OSError, match="disk full"):
        build(spec, FakeGen(files, used=used), force=True)
    monkeypatch.setattr(publish_mod, "atomic_write", real)
    m = read_manifest(spec.out_dir)
    assert m is not None and not m.complete  # the journal
    assert sorted(m.outputs) == ["keep.js", "new1.js", "new2.js", "old.js"]
    assert stale_reason(spec) == "previous publish was interrupted"
    # the redo finishes the job; a later shrink still removes new1.js, written by the
    # interrupted publish
    r = build(spec, FakeGen(files, used=used))
    assert r.status == "generated" and is_fresh(spec)
    build(spec, FakeGen({"keep.js": "k\n"}, used=used), force=True)
    assert all_entries(spec.out_dir) == {"keep.js", MANIFEST_NAME}


def test_leftover_staging_folder_is_removed(spec: BindingSpec, used: list[Path]) -> None:
    stale = spec.out_dir.parent / ".js.witgen-staging-dead"
    write(stale / "junk.js", "x")
    build(spec, FakeGen(gen_files(), used=used))
    assert not stale.exists()


def test_force_regenerates_without_rewriting_same_bytes(
    spec: BindingSpec, used: list[Path]
) -> None:
    build(spec, FakeGen(gen_files(), used=used))
    before = snapshot(spec.out_dir)
    gen = FakeGen(gen_files(), used=used)
    r = build(spec, gen, force=True)
    assert gen.calls == 1
    assert (r.status, r.reason, r.written, r.unchanged) == ("generated", "forced", 0, 4)
    assert snapshot(spec.out_dir) == before  # not even the manifest is rewritten


@pytest.mark.parametrize(
    "tamper",
    ["edit-hash", "invalid-json", "incomplete", "delete-output", "delete-manifest"],
)
def test_tampering_triggers_regeneration(spec: BindingSpec, used: list[Path], tamper: str) -> None:
    build(spec, FakeGen(gen_files(), used=used))
    mpath = spec.out_dir / MANIFEST_NAME
    text = mpath.read_text()
    if tamper == "edit-hash":
        m = read_manifest(spec.out_dir)
        assert m is not None
        mpath.write_text(text.replace(m.outputs["package.json"], "0" * 64))
    elif tamper == "invalid-json":
        mpath.write_text(text[:-20])
    elif tamper == "incomplete":
        mpath.write_text(text.replace('"complete": true', '"complete": false'))
    elif tamper == "delete-output":
        (spec.out_dir / "src" / "index.js").unlink()
    else:
        mpath.unlink()
    assert not is_fresh(spec)
    gen = FakeGen(gen_files(), used=used)
    r = build(spec, gen)
    assert gen.calls == 1 and r.status == "generated"
    assert is_fresh(spec)
    for rel, content in gen_files().items():
        assert (spec.out_dir / rel).read_text() == content
    if tamper in ("invalid-json", "delete-manifest"):
        # without a readable manifest witgen cannot know which folders it created
        old, new = json.loads(text), json.loads(mpath.read_text())
        assert new.pop("created_dirs") == [] and old.pop("created_dirs") == [
            ".",
            "src",
            "src/nested",
        ]
        assert new == old
    else:
        assert mpath.read_text() == text


def test_config_change_regenerates(spec: BindingSpec, used: list[Path]) -> None:
    build(spec, FakeGen(gen_files(), used=used))
    changed = BindingSpec(**{**spec.__dict__, "options": {"instantiation": "sync"}})
    assert stale_reason(changed) == "target, world, options, features or witgen version changed"
    same = BindingSpec(
        **{**spec.__dict__, "options": {"map": {"a": [1, 2], "b": 1}, "instantiation": "async"}}
    )
    assert is_fresh(same)  # key order does not matter


def test_version_change_regenerates(
    spec: BindingSpec, used: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    build(spec, FakeGen(gen_files(), used=used))
    monkeypatch.setattr(witgen, "__version__", "99.0.0")
    assert not is_fresh(spec)
    build(spec, FakeGen(gen_files(), used=used))
    m = read_manifest(spec.out_dir)
    assert m is not None and m.witgen_version == "99.0.0"


def test_single_file_input(tmp_path: Path) -> None:
    f = write(tmp_path / "api" / "one.wit", "package a:b;\nworld w {}\n")
    write(tmp_path / "api" / "other.wit", "package a:c;\n")  # a sibling is not a candidate
    spec = BindingSpec(wit_path=f, target="wasmtime", out_dir=tmp_path / "out")
    build(spec, FakeGen({"lib.rs": "//\n"}, used=[f]))
    m = read_manifest(spec.out_dir)
    assert m is not None and m.candidates == ["one.wit"] and list(m.inputs) == ["one.wit"]
    write(tmp_path / "api" / "another.wit", "package a:d;\n")
    assert is_fresh(spec)
    write(f, "package a:b;\nworld w2 {}\n")
    assert stale_reason(spec) == "WIT input changed: one.wit"


def test_relative_paths_from_cwd(
    tmp_path: Path, wit: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    spec = BindingSpec(wit_path=Path("wit"), target="js", out_dir=Path("build/js"), world="w")
    used = [Path("wit/world.wit"), Path("wit/deps/io/streams.wit")]
    r = build(spec, FakeGen(gen_files(), used=used))
    m = read_manifest(spec.out_dir)
    assert m is not None and sorted(m.inputs) == ["deps/io/streams.wit", "world.wit"]
    assert r.summary().startswith(
        "witgen: js bindings for world 'w' -> build/js: generated (4 files, "
    )
    r2 = build(spec, never_called)
    assert r2.summary().startswith("witgen: js bindings for world 'w' -> build/js: up to date (")


def test_generator_may_not_write_the_manifest(spec: BindingSpec) -> None:
    with pytest.raises(ValueError, match="may not produce"):
        build(spec, FakeGen({MANIFEST_NAME: "{}"}))
    assert not spec.out_dir.exists()


def test_file_and_folder_swap_places(spec: BindingSpec, used: list[Path]) -> None:
    build(spec, FakeGen({"a": "file\n", "b/x.js": "x\n"}, used=used))
    build(spec, FakeGen({"a/y.js": "y\n", "b": "file\n"}, used=used), force=True)
    assert (spec.out_dir / "a" / "y.js").read_text() == "y\n"
    assert (spec.out_dir / "b").read_text() == "file\n"
    assert is_fresh(spec)


def test_file_modes_follow_staged_files(spec: BindingSpec, used: list[Path]) -> None:
    build(spec, FakeGen({"run.sh": "#!/bin/sh\n", "a.js": "x"}, used=used))
    mode = (spec.out_dir / "a.js").stat().st_mode & 0o777
    umask = os.umask(0)
    os.umask(umask)
    assert mode == 0o666 & ~umask


def _result(**kw: object) -> BuildResult:
    spec = BindingSpec(wit_path=Path("wit"), target="js", out_dir=Path("build/js"))
    base: dict[str, object] = dict(
        spec=spec,
        status="generated",
        world="w",
        files=12,
        written=12,
        unchanged=0,
        removed=0,
        elapsed=0.0341,
    )
    return BuildResult(**{**base, **kw})  # type: ignore[arg-type]


def test_summary_lines() -> None:
    assert _result().summary() == (
        "witgen: js bindings for world 'w' -> build/js: generated (12 files, 34 ms)"
    )
    assert _result(status="up to date", written=0, unchanged=12, elapsed=0.002).summary() == (
        "witgen: js bindings for world 'w' -> build/js: up to date (2 ms)"
    )
    assert _result(written=3, unchanged=9, removed=1).summary() == (
        "witgen: js bindings for world 'w' -> build/js: "
        "generated (3 of 12 files written, 1 removed, 34 ms)"
    )
    assert _result(world=None, files=1, written=1).summary() == (
        "witgen: js bindings -> build/js: generated (1 file, 34 ms)"
    )


def test_generator_returning_the_wrong_type(spec: BindingSpec, used: list[Path]) -> None:
    build(spec, FakeGen(gen_files(), used=used))
    before = snapshot(spec.out_dir)

    def bad(spec: BindingSpec, out: Path) -> GenerateOutput:
        write(out / "x.js", "x")
        return [out / "x.js"]  # type: ignore[return-value]

    with pytest.raises(TypeError, match="GenerateOutput"):
        build(spec, bad, force=True)
    assert snapshot(spec.out_dir) == before


def test_used_file_outside_the_wit_root(
    tmp_path: Path, spec: BindingSpec, used: list[Path]
) -> None:
    shared = write(tmp_path / "shared" / "common.wit", "package s:c;\n")
    build(spec, FakeGen(gen_files(), used=[*used, shared]))
    m = read_manifest(spec.out_dir)
    assert m is not None and "../shared/common.wit" in m.inputs
    assert is_fresh(spec)
    write(shared, "package s:c;\ninterface i {}\n")
    assert stale_reason(spec) == "WIT input changed: ../shared/common.wit"
