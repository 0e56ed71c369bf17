"""Concurrent builds of one output folder, from several processes; the lock itself."""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
from pathlib import Path

import pytest

from witgen.engine import MANIFEST_NAME, BindingSpec, GenerateOutput, build, is_fresh
from witgen.engine.hashing import sha256_file
from witgen.engine.lock import OutputLock, lock_path
from witgen.engine.manifest import read_manifest

from .helpers import all_entries

if "fork" not in multiprocessing.get_all_start_methods():  # pragma: no cover - Windows
    pytest.skip("needs the fork start method", allow_module_level=True)

CTX = multiprocessing.get_context("fork")


def tagged_gen(tag: str, delay: float) -> object:
    def gen(spec: BindingSpec, out: Path) -> GenerateOutput:
        for i in range(5):
            (out / "src").mkdir(exist_ok=True)
            (out / "src" / f"f{i}.js").write_text(f"{tag} {i}\n")
            time.sleep(delay / 5)  # widen the window for interleaving
        (out / f"only-{tag}.txt").write_text(tag)
        return GenerateOutput(world="w")

    return gen


def _worker(spec: BindingSpec, tag: str, delay: float, rounds: int, start, results) -> None:
    try:
        start.wait()
        statuses = []
        for _ in range(rounds):
            statuses.append(build(spec, tagged_gen(tag, delay)).status)  # type: ignore[arg-type]
        results.put((tag, statuses, None))
    except BaseException as e:  # report, don't hang the parent
        results.put((tag, [], repr(e)))


def _run(specs_tags: list[tuple[BindingSpec, str]], delay: float, rounds: int) -> list:
    start = CTX.Event()
    results = CTX.Queue()
    procs = [
        CTX.Process(target=_worker, args=(spec, tag, delay, rounds, start, results))
        for spec, tag in specs_tags
    ]
    for p in procs:
        p.start()
    start.set()
    out = [results.get(timeout=60) for _ in procs]
    for p in procs:
        p.join(timeout=60)
        assert p.exitcode == 0
    assert [err for _, _, err in out if err] == []
    return out


def assert_consistent(out_dir: Path) -> str:
    """The manifest is complete and matches the disk; every output comes from one build."""
    m = read_manifest(out_dir)
    assert m is not None and m.complete
    for rel, digest in m.outputs.items():
        assert sha256_file(out_dir / rel) == digest
    tags = {(out_dir / rel).read_text().split()[0] for rel in m.outputs}
    assert len(tags) == 1, tags
    tag = tags.pop()
    assert all_entries(out_dir) == {
        MANIFEST_NAME,
        "src",
        *(f"src/f{i}.js" for i in range(5)),
        f"only-{tag}.txt",
    }
    siblings = sorted(p.name for p in out_dir.parent.iterdir())
    assert siblings == [f".{out_dir.name}.witgen.lock", out_dir.name]  # no staging leftovers
    return tag


def _spec(tmp_path: Path, **options: object) -> BindingSpec:
    wit = tmp_path / "wit"
    wit.mkdir(exist_ok=True)
    (wit / "w.wit").write_text("package a:b;\nworld w {}\n")
    return BindingSpec(
        wit_path=wit, target="js", out_dir=tmp_path / "build" / "out", options=options
    )


def test_two_processes_same_spec(tmp_path: Path) -> None:
    spec = _spec(tmp_path)
    out = _run([(spec, "same"), (spec, "same")], delay=0.3, rounds=1)
    statuses = sorted(s for _, ss, _ in out for s in ss)
    # one generates; the other waits on the lock, re-checks and finds it fresh
    assert statuses == ["generated", "up to date"]
    assert assert_consistent(spec.out_dir) == "same"
    assert is_fresh(spec)


def test_two_processes_different_specs(tmp_path: Path) -> None:
    a, b = _spec(tmp_path, v="a"), _spec(tmp_path, v="b")
    out = _run([(a, "a"), (b, "b")], delay=0.2, rounds=1)
    assert all(ss == ["generated"] for _, ss, _ in out)
    tag = assert_consistent(a.out_dir)
    assert is_fresh(a if tag == "a" else b) and not is_fresh(b if tag == "a" else a)


def test_stress_many_processes(tmp_path: Path) -> None:
    specs = [_spec(tmp_path, v=t) for t in "abcd"]
    _run([(s, t) for s, t in zip(specs, "abcd", strict=True)], delay=0.0, rounds=8)
    tag = assert_consistent(specs[0].out_dir)
    assert is_fresh(specs["abcd".index(tag)])


def test_lock_excludes_threads(tmp_path: Path) -> None:
    inside = 0
    overlaps = []

    def work() -> None:
        nonlocal inside
        for _ in range(20):
            with OutputLock(tmp_path / "out"):
                inside += 1
                overlaps.append(inside)
                time.sleep(0.001)
                inside -= 1

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert max(overlaps) == 1 and len(overlaps) == 80


def test_lock_survives_removal_of_the_lock_file(tmp_path: Path) -> None:
    a = OutputLock(tmp_path / "out")
    a.acquire()
    got = threading.Event()
    b = OutputLock(tmp_path / "out")

    def wait_for_it() -> None:
        b.acquire()
        got.set()

    t = threading.Thread(target=wait_for_it)
    t.start()
    time.sleep(0.1)
    assert not got.is_set()
    a.release(remove=True)  # b was blocked on the now-deleted inode
    t.join(timeout=10)
    assert got.is_set()
    # b holds a lock on the file that is at the path now, so a third party would wait on it
    assert b._fd is not None
    assert os.fstat(b._fd).st_ino == os.stat(lock_path(tmp_path / "out")).st_ino
    b.release()
