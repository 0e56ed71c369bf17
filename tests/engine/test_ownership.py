"""The engine touches only what it wrote (witgen.engine.ownership) and cleans up after dead
builds (witgen.engine.leftovers). Each test is a failure seen in practice."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from witgen.engine import MANIFEST_NAME, BindingSpec, build, clean, is_fresh, read_manifest
from witgen.engine import publish as publish_mod
from witgen.errors import WitError

from .helpers import FakeGen, all_entries, gen_files, snapshot, write

REPO = Path(__file__).resolve().parents[2]


def conflict(spec: BindingSpec, gen: FakeGen, **kw: bool) -> str:
    with pytest.raises(WitError) as info:
        build(spec, gen, **kw)
    return info.value.message


def test_hand_written_file_in_the_way_is_not_overwritten(
    spec: BindingSpec, used: list[Path]
) -> None:
    write(spec.out_dir / "src" / "index.js", "// mine\n")
    before = snapshot(spec.out_dir)
    msg = conflict(spec, FakeGen(gen_files(), used=used))
    assert "src/index.js was not written by witgen" in msg
    assert "move it away or delete it" in msg
    assert snapshot(spec.out_dir) == before  # nothing else was written either
    (spec.out_dir / "src" / "index.js").unlink()
    assert build(spec, FakeGen(gen_files(), used=used)).status == "generated"


def test_file_with_the_very_bytes_is_taken_over(spec: BindingSpec, used: list[Path]) -> None:
    write(spec.out_dir / "package.json", gen_files()["package.json"])
    r = build(spec, FakeGen(gen_files(), used=used))
    assert (r.written, r.unchanged) == (3, 1)
    assert is_fresh(spec)


def test_edited_output_is_not_overwritten(spec: BindingSpec, used: list[Path]) -> None:
    build(spec, FakeGen(gen_files(), used=used))
    write(spec.out_dir / "src" / "index.js", "// my fix\n")
    msg = conflict(spec, FakeGen(gen_files(), used=used))
    assert "src/index.js was changed since witgen wrote it; witgen will not overwrite it" in msg
    assert (spec.out_dir / "src" / "index.js").read_text() == "// my fix\n"


def test_edited_orphan_is_not_deleted(spec: BindingSpec, used: list[Path]) -> None:
    build(spec, FakeGen(gen_files(), used=used))
    write(spec.out_dir / "src" / "types.d.ts", "// my types\n")
    before = snapshot(spec.out_dir)
    files = {"package.json": "changed\n"}
    msg = conflict(spec, FakeGen(files, used=used), force=True)
    assert "src/types.d.ts was changed since witgen wrote it; witgen will not delete it" in msg
    assert snapshot(spec.out_dir) == before  # the check comes before any change


def test_symlinked_output_folder_is_not_written_through(
    tmp_path: Path, spec: BindingSpec, used: list[Path]
) -> None:
    elsewhere = tmp_path / "elsewhere"
    write(elsewhere / "keep.txt", "x\n")
    spec.out_dir.parent.mkdir(parents=True)
    spec.out_dir.symlink_to(elsewhere, target_is_directory=True)
    msg = conflict(spec, FakeGen(gen_files(), used=used))
    assert "is a symlink" in msg and "replace it with a real folder" in msg
    assert all_entries(elsewhere) == {"keep.txt"}


def test_symlinked_subfolder_is_not_written_through(
    tmp_path: Path, spec: BindingSpec, used: list[Path]
) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    spec.out_dir.mkdir(parents=True)
    (spec.out_dir / "src").symlink_to(elsewhere, target_is_directory=True)
    msg = conflict(spec, FakeGen(gen_files(), used=used))
    assert "src is a symlink; witgen does not write through links" in msg
    assert list(elsewhere.iterdir()) == []


def test_clean_refuses_edited_and_replaced_files(
    tmp_path: Path, spec: BindingSpec, used: list[Path]
) -> None:
    build(spec, FakeGen(gen_files(), used=used))
    write(spec.out_dir / "src" / "index.js", "// my fix\n")
    target = write(tmp_path / "precious.txt", "precious\n")
    (spec.out_dir / "package.json").unlink()
    (spec.out_dir / "package.json").symlink_to(target)
    before = all_entries(spec.out_dir)
    with pytest.raises(WitError) as info:
        clean(spec.out_dir)
    msg = info.value.message
    assert "package.json is a symlink; witgen does not delete it" in msg
    assert "src/index.js was changed since witgen wrote it; witgen will not delete it" in msg
    assert all_entries(spec.out_dir) == before  # nothing removed
    assert target.read_text() == "precious\n"


def test_crash_before_a_replace_keeps_both_versions_owned(
    spec: BindingSpec, used: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    build(spec, FakeGen({"a.js": "1\n", "b.js": "1\n"}, used=used))
    real = publish_mod.atomic_write

    def dies_at_b(dest: Path, data: bytes, **kw: object) -> None:
        if dest.name == "b.js":
            raise KeyboardInterrupt  # as if killed between two files
        real(dest, data, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(publish_mod, "atomic_write", dies_at_b)
    with pytest.raises(KeyboardInterrupt):
        build(spec, FakeGen({"a.js": "2\n", "b.js": "2\n"}, used=used), force=True)
    monkeypatch.setattr(publish_mod, "atomic_write", real)
    assert (spec.out_dir / "b.js").read_text() == "1\n"  # still the old bytes
    r = build(spec, FakeGen({"a.js": "3\n", "b.js": "3\n"}, used=used))
    assert (r.status, r.written) == ("generated", 2)
    m = read_manifest(spec.out_dir)
    assert m is not None and m.complete and m.superseded == {}


def test_leftover_temp_files_are_removed_even_by_a_noop_build(
    spec: BindingSpec, used: list[Path]
) -> None:
    build(spec, FakeGen(gen_files(), used=used))
    dead = [
        write(spec.out_dir / "src" / ".index.js.k2j4_x9a.witgen-tmp", "half"),
        write(spec.out_dir / f".{MANIFEST_NAME}.abc123.witgen-tmp", "half"),
    ]
    staging = write(spec.out_dir.parent / ".js.witgen-staging-q1w2e3" / "a.js", "x").parent
    mine = [
        write(spec.out_dir / "src" / ".notes.witgen-tmp", "user file, other pattern"),
        write(spec.out_dir.parent / ".other.witgen-staging-q1w2e3" / "a.js", "x"),
    ]
    assert build(spec, FakeGen(gen_files(), used=used)).status == "up to date"
    assert not staging.exists() and not any(p.exists() for p in dead)
    assert all(p.exists() for p in mine)


_KILLED_BUILD = """
import sys, time
from pathlib import Path
from witgen.engine import BindingSpec, GenerateOutput, build

def gen(spec, out):
    (out / "a.js").write_text("x")
    Path(sys.argv[2]).write_text("generating")
    time.sleep(60)
    return GenerateOutput()

build(BindingSpec(wit_path=Path(sys.argv[1]), target="js", out_dir=Path(sys.argv[3])), gen)
"""


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="POSIX only")
def test_sigkilled_build_leaves_nothing_after_the_next_run(
    tmp_path: Path, spec: BindingSpec, used: list[Path]
) -> None:
    build(spec, FakeGen(gen_files(), used=used))
    before = snapshot(spec.out_dir)
    marker = tmp_path / "marker"
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    args = [str(spec.wit_path), str(marker), str(spec.out_dir)]
    proc = subprocess.Popen([sys.executable, "-c", textwrap.dedent(_KILLED_BUILD), *args], env=env)
    deadline = time.monotonic() + 30
    while not marker.exists() and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.02)
    assert marker.exists()
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    staged = [p for p in spec.out_dir.parent.iterdir() if ".witgen-staging-" in p.name]
    assert len(staged) == 1  # what the dead run left
    assert snapshot(spec.out_dir) == before  # its failure did not touch the outputs
    assert build(spec, FakeGen(gen_files(), used=used)).status == "up to date"
    assert sorted(p.name for p in spec.out_dir.parent.iterdir()) == [".js.witgen.lock", "js"]
