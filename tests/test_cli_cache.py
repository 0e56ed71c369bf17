"""The stored output of `witgen check` / `witgen resolve --json` (`witgen.clicache`).

Every test compares what a cached run prints with what the same command prints with the
cache off (`WITGEN_NO_CACHE=1`), after a change that alters that output: a stale entry would
print the old text. Whether a run replayed an entry is reported by `clicache.replay` itself
(wrapped by the test).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import support.wit_cases as wc

from witgen import clicache
from witgen.cli import main
from witgen.inputlog import SETTLED_NS, InputLog, settled

REPO = Path(__file__).resolve().parents[1]

ROOT = """package t:root;

interface f {
  @unstable(feature = foo)
  g: func();
}

world w {
  import t:a/i;
}
"""
DEP_A = "package t:a;\n\ninterface i {\n  type x = u32;\n}\n"
DEP_B = "package t:b;\n\ninterface j {\n  type y = u8;\n}\n"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "wit"
    (root / "deps" / "a").mkdir(parents=True)
    (root / "world.wit").write_text(ROOT)
    (root / "deps" / "a" / "a.wit").write_text(DEP_A)
    (root / "deps" / "b.wit").write_text(DEP_B)
    return root


#: `witgen ARGS`, writing to $REPORT whether `clicache.replay` printed a stored output
WITGEN = """
import os, sys
from witgen import clicache
from witgen.cli import main
real = clicache.replay
def replay(argv):
    code = real(argv)
    with open(os.environ["REPORT"], "w") as f:
        f.write("replayed" if code is not None else "ran")
    return code
clicache.replay = replay
sys.exit(main(sys.argv[1:]))
"""


def _witgen(
    project: Path, *argv: str, cache: bool = True, cwd: Path | None = None, timeout: float = 60
) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "PYTHONPATH": str(REPO), "REPORT": str(project.parent / "report")}
    env["WITGEN_CACHE_DIR"] = str(project.parent / "cache")
    env.pop("WITGEN_NO_CACHE", None)
    if not cache:
        env["WITGEN_NO_CACHE"] = "1"
    return subprocess.run(
        [sys.executable, "-c", WITGEN, *argv],
        cwd=cwd or project.parent,
        env=env,
        capture_output=True,
        timeout=timeout,
    )


def _entries(project: Path) -> dict[str, tuple[int, int]]:
    folder = project.parent / "cache" / "cli-results"
    if not folder.is_dir():
        return {}
    return {p.name: (p.stat().st_ino, p.stat().st_mtime_ns) for p in folder.iterdir()}


def _replayed(project: Path) -> bool:
    return (project.parent / "report").read_text() == "replayed"


def _cached(project: Path, *argv: str) -> tuple[bytes, bool]:
    """The output of a successful cached run and whether it replayed a stored entry."""
    run = _witgen(project, *argv)
    assert (run.returncode, run.stderr) == (0, b"")
    return run.stdout, _replayed(project)


def _same_as_uncached(project: Path, *argv: str) -> tuple[bytes, bool]:
    """Run `argv` cached and uncached; both must agree (status, stdout, stderr). Returns the
    output and whether the cached run replayed a stored entry."""
    cached = _witgen(project, *argv)
    replayed = _replayed(project)
    plain = _witgen(project, *argv, cache=False)
    assert (cached.returncode, cached.stdout, cached.stderr) == (
        plain.returncode,
        plain.stdout,
        plain.stderr,
    )
    return cached.stdout, replayed


RESOLVE = ("resolve", "wit", "--json")


def test_a_second_run_replays_the_same_bytes(project: Path) -> None:
    first, replayed = _same_as_uncached(project, *RESOLVE)
    assert not replayed and first.startswith(b"{")
    assert _cached(project, *RESOLVE) == (first, True)
    assert len(_entries(project)) == 1


@pytest.mark.parametrize(
    "change",
    ["edit a dep file", "add a file to deps", "add a package folder", "add a file to a package"],
)
def test_a_changed_input_is_never_replayed(project: Path, change: str) -> None:
    old, _ = _same_as_uncached(project, *RESOLVE)
    assert _cached(project, *RESOLVE) == (old, True)
    deps = project / "deps"
    if change == "edit a dep file":  # same size, same second: only the content differs
        (deps / "a" / "a.wit").write_text(DEP_A.replace("u32", "u64"))
    elif change == "add a file to deps":
        (deps / "c.wit").write_text(DEP_B.replace("t:b", "t:c"))
    elif change == "add a package folder":
        (deps / "d").mkdir()
        (deps / "d" / "d.wit").write_text(DEP_B.replace("t:b", "t:d"))
    else:
        (deps / "a" / "more.wit").write_text("package t:a;\n\ninterface k {}\n")
    new, replayed = _same_as_uncached(project, *RESOLVE)
    assert not replayed and new != old
    assert _cached(project, *RESOLVE) == (new, True)


def test_a_single_file_root(project: Path) -> None:
    single = ("resolve", "wit/deps/b.wit", "--json")
    old, _ = _same_as_uncached(project, *single)
    assert _cached(project, *single) == (old, True)
    (project / "deps" / "b.wit").write_text(DEP_B.replace("u8", "s8"))
    new, replayed = _same_as_uncached(project, *single)
    assert not replayed and new != old
    (project / "deps" / "b.wit").unlink()
    (project / "deps" / "b.wit").mkdir()  # now an empty folder: an error, as without the cache
    assert _same_as_uncached(project, *single)[1] is False
    run = _witgen(project, *single)
    assert run.returncode == 1 and b"no `.wit` files in wit/deps/b.wit" in run.stderr


def test_settled_files_are_checked_by_stat_and_then_by_content(project: Path) -> None:
    time.sleep(SETTLED_NS / 1e9 + 0.2)  # the files' stats may now stand in for them
    old, _ = _same_as_uncached(project, *RESOLVE)
    a = project / "deps" / "a" / "a.wit"
    st = a.stat()
    os.utime(a, ns=(st.st_atime_ns, st.st_mtime_ns + 10**9))  # touched, not changed
    assert _cached(project, *RESOLVE) == (old, True)  # by content
    time.sleep(SETTLED_NS / 1e9 + 0.2)
    stored = _entries(project)
    assert _cached(project, *RESOLVE)[0] == old  # by content, and the new stat is stored
    assert _entries(project) != stored
    assert _cached(project, *RESOLVE) == (old, True)  # by stat
    a.write_text(DEP_A.replace("u32", "s32"))  # same size; the old mtime put back
    os.utime(a, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert a.stat().st_size == st.st_size and a.stat().st_ino == st.st_ino
    new, replayed = _same_as_uncached(project, *RESOLVE)
    assert not replayed and new != old


def test_options_are_part_of_the_key(project: Path) -> None:
    runs = [
        RESOLVE,
        (*RESOLVE, "--features", "foo"),
        (*RESOLVE, "--all-features"),
        ("resolve", "wit", "--features=bar,foo", "--json"),
        ("check", "wit"),
        ("check", "wit", "--all-features"),
    ]
    outputs = {}
    for argv in runs:
        outputs[argv], replayed = _same_as_uncached(project, *argv)
        assert not replayed, argv
    for argv in runs:
        assert _cached(project, *argv) == (outputs[argv], True), argv
    assert outputs[RESOLVE] != outputs[runs[1]] == outputs[runs[2]]
    assert outputs[("check", "wit")] == b"ok: 3 packages, 1 worlds\n"
    # argparse's own spellings go through the normal path and give the same text
    assert _cached(project, "resolve", "wit", "--all-f", "--js") == (outputs[runs[2]], False)
    usage = _witgen(project, "resolve", "wit")  # --json is required
    assert usage.returncode == 2 and b"--json" in usage.stderr and not usage.stdout
    assert _witgen(project, "check", "wit", "--json").returncode == 2


def test_the_same_relative_path_elsewhere_has_its_own_entry(project: Path) -> None:
    out, _ = _same_as_uncached(project, *RESOLVE)
    other = project.parent / "elsewhere"
    shutil.copytree(project, other / "wit")
    (other / "wit" / "deps" / "b.wit").unlink()
    for _ in range(2):
        moved = _witgen(project, *RESOLVE, cwd=other)
        assert moved.returncode == 0 and moved.stdout not in (b"", out)
        assert _cached(project, *RESOLVE) == (out, True)
    assert len(_entries(project)) == 2  # the two folders do not take turns evicting each other


def test_a_file_is_trusted_by_stat_only_once_settled(tmp_path: Path) -> None:
    """Within the timestamp granularity of a write, a second same-size write can leave the
    stat unchanged; so a file read right after it was written is always hashed later."""
    fresh = tmp_path / "a.wit"
    fresh.write_text(DEP_A)
    log = InputLog()
    assert log.read_file(str(fresh)) == DEP_A.encode()
    ((path, digest, kept),) = log.files
    assert (path, kept) == (str(fresh), None)
    assert digest == hashlib.sha256(DEP_A.encode()).hexdigest()
    st = fresh.stat()
    assert not settled(st, st.st_ctime_ns + SETTLED_NS - 1) and settled(
        st, st.st_ctime_ns + SETTLED_NS
    )


def test_errors_are_not_stored_and_stay_identical(project: Path) -> None:
    good, _ = _same_as_uncached(project, *RESOLVE)
    a = project / "deps" / "a" / "a.wit"
    a.write_text(DEP_A.replace("u32", "nope"))
    stored = _entries(project)
    plain = _witgen(project, *RESOLVE, cache=False)
    assert plain.returncode == 1 and b"nope" in plain.stderr and not plain.stdout
    for _ in range(2):
        run = _witgen(project, *RESOLVE)
        assert (run.returncode, run.stdout, run.stderr) == (1, b"", plain.stderr)
        assert _entries(project) == stored  # nothing stored for an error
    a.write_text(DEP_A)  # the content the stored entry was made from: valid again
    assert _same_as_uncached(project, *RESOLVE) == (good, True)


def _stored(project: Path) -> Path:
    _same_as_uncached(project, *RESOLVE)
    (entry,) = (project.parent / "cache" / "cli-results").iterdir()
    return entry


def _plant(entry: Path, kind: str) -> None:
    data = entry.read_bytes()
    forged = data.replace(b'"name": "i"', b'"name": "evil"')
    assert forged != data
    entry.unlink()
    if kind == "garbage":
        entry.write_bytes(os.urandom(4096))
    elif kind == "truncated":
        entry.write_bytes(data[: len(data) // 3])
    elif kind == "bad counts":
        head, count, rest = data.split(b"\0", 2)
        entry.write_bytes(b"\0".join([head, b"999999999", rest]))
    elif kind == "foreign key":
        entry.write_bytes(forged.replace(b"\0wit\0", b"\0other\0", 1))
    elif kind == "world-writable":
        entry.write_bytes(forged)
        entry.chmod(0o666)
    elif kind == "symlink":
        target = entry.with_name("elsewhere")
        target.write_bytes(forged)
        target.chmod(0o600)
        entry.symlink_to(target)
    elif kind == "fifo":
        os.mkfifo(entry)
    else:
        assert kind == "folder"
        entry.mkdir()


@pytest.mark.parametrize(
    "kind",
    ["garbage", "truncated", "bad counts", "foreign key", "world-writable", "symlink", "fifo",
     "folder"],
)  # fmt: skip
def test_a_planted_or_broken_entry_is_ignored(project: Path, kind: str) -> None:
    good, _ = _same_as_uncached(project, *RESOLVE)
    _plant(_stored(project), kind)
    run = _witgen(project, *RESOLVE, timeout=20)  # a FIFO must not block the reader
    assert (run.returncode, run.stdout, run.stderr) == (0, good, b"")


def test_a_forged_entry_of_another_user_is_ignored(project: Path) -> None:
    """Run as root in CI: the entry is given to another user; as anyone else, the entry is
    made group-writable (what another user could have planted in a shared folder)."""
    good, _ = _same_as_uncached(project, *RESOLVE)
    entry = _stored(project)
    entry.write_bytes(entry.read_bytes().replace(b'"name": "i"', b'"name": "evil"'))
    if os.geteuid() == 0:
        os.chown(entry, 4242, 4242)
    else:
        entry.chmod(0o620)
    assert _witgen(project, *RESOLVE).stdout == good


def test_concurrent_runs_agree(project: Path) -> None:
    expected = _witgen(project, *RESOLVE, cache=False).stdout
    results: list[subprocess.CompletedProcess[bytes]] = []

    def one() -> None:
        results.append(_witgen(project, *RESOLVE))

    for _round in range(2):  # cold: all store at once; then all replay
        threads = [threading.Thread(target=one) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert len(results) == 8
    assert all((r.returncode, r.stdout, r.stderr) == (0, expected, b"") for r in results)
    assert len(_entries(project)) == 1
    assert not [p for p in (project.parent / "cache" / "cli-results").iterdir() if p.suffix]


def test_a_changed_witgen_source_is_never_replayed(tmp_path: Path, project: Path) -> None:
    """witgen's own front-end sources are inputs too: an edit to the JSON writer must show."""
    copy = tmp_path / "tool"
    shutil.copytree(REPO / "witgen", copy / "witgen", ignore=shutil.ignore_patterns("__pycache__"))
    time.sleep(SETTLED_NS / 1e9 + 0.2)  # sources this fresh are never trusted
    env = {**os.environ, "PYTHONPATH": str(copy), "WITGEN_CACHE_DIR": str(tmp_path / "cache")}
    env.pop("WITGEN_NO_CACHE", None)

    def run() -> bytes:
        argv = [sys.executable, "-m", "witgen", *RESOLVE]
        out = subprocess.run(argv, cwd=tmp_path, env=env, capture_output=True, check=True)
        return out.stdout

    old = run()
    assert run() == old and _entries(project)
    writer = copy / "witgen" / "wit" / "jsonout.py"
    source = writer.read_text()
    assert source.count('inner = ind + "  "') == 2
    writer.write_text(source.replace('inner = ind + "  "', 'inner = ind + "   "'))
    new = run()
    assert new != old and json.loads(new) == json.loads(old)


def _every_package(shared: Path) -> list[Path]:
    corpus = sorted(p for p in (shared / "corpus").iterdir() if p.is_dir())
    return corpus + [case.path for case in wc.pass_cases(shared)]


def test_replayed_output_is_byte_identical_over_every_shared_package(
    shared_dir: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Each corpus and conformance package: stored, replayed, and uncached, the same status,
    stdout and stderr (the uncached JSON is checked against wasm-tools by the conformance
    tests)."""
    monkeypatch.setenv("WITGEN_CACHE_DIR", str(tmp_path / "cache"))
    packages = _every_package(shared_dir)
    assert len(packages) > 70
    replays = successes = 0
    replayed: list[int | None] = []
    real = clicache.replay
    monkeypatch.setattr(
        clicache, "replay", lambda argv: replayed.append(real(argv)) or replayed[-1]
    )
    for path in packages:
        for argv in (["resolve", str(path), "--json"], ["check", str(path)]):
            runs = []
            for cache in (True, True, False):
                if cache:
                    monkeypatch.delenv("WITGEN_NO_CACHE", raising=False)
                else:
                    monkeypatch.setenv("WITGEN_NO_CACHE", "1")
                code = main(argv)
                runs.append((code, *capsys.readouterr()))
                replays += replayed.pop() is not None if cache else 0
            assert runs[0] == runs[1] == runs[2], argv
            successes += runs[2][0] == 0
    # every success was stored by its first run and replayed by its second
    # (the packages that fail are the empty-record cases and one that needs a feature)
    assert replays == successes == 2 * (len(packages) - len(wc.EMPTY_RECORD_DIVERGENCES) - 1)
