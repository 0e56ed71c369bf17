"""The output of `witgen check` and `witgen resolve --json`, cached across processes.

A warm `witgen resolve` would otherwise import argparse and the front end and resolve the
whole WIT again to print the same text. After a successful run, the text is stored with what
it depended on; a later run with the same key replays it when every dependency still checks:

* the key: the command, PATH as given and the working folder, the enabled features, the
  witgen package's folder and version, the Python version and the entry format;
* every WIT file the loader read: the same SHA-256 as the bytes it read (a file whose stat
  is unchanged since it was read, and was settled then, is not hashed again: see
  `witgen.inputlog`);
* every folder the loader listed: the same names with the same kinds (a file added to
  `deps/`, a new package folder, a file turned into a folder all change it);
* witgen's own front-end sources (`witgen/*.py`, `witgen/wit/*`), checked like WIT files.

Anything else (no entry, a malformed, truncated, foreign or planted one, a changed input, an
option the fast parser does not know) falls back to the normal path, which stores a fresh
entry. Errors are never stored: an invalid WIT is parsed and resolved again each time, so its
message always comes from the front end. `WITGEN_NO_CACHE=1` turns this cache off.

An entry is a fixed layout of NUL-separated UTF-8 fields followed by the output text, never
pickle or marshal: reading it cannot run code. It is read only when it is a regular file
owned by this user and writable by no one else, no bigger than `MAX_ENTRY`. Entries are
written through a temporary file and a rename, so concurrent runs only ever see whole
entries. Like the parse cache, the folder is trusted to be this user's own: anyone who can
write it can make witgen print what they like.

This module imports only what the interpreter has loaded at startup (os, stat, sys, time);
hashing is imported only when a stat no longer matches.
"""

from __future__ import annotations

import os
import stat
import sys
import time

from witgen.inputlog import FileStat, InputLog, encode_listing, file_stat, listing, settled

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable

FORMAT = "witgen-cli-result-1"
#: the largest output stored, and the largest entry read
MAX_OUTPUT = 16 * 1024 * 1024
MAX_ENTRY = MAX_OUTPUT + 4 * 1024 * 1024
#: witgen's own files that a stored result depends on, by folder relative to the package
_SOURCE_DIRS = ("", "wit")
_PACKAGE = os.path.dirname(os.path.abspath(__file__))
#: when this process started using witgen: sources changed since may not be what ran
_STARTED_NS = time.time_ns()


def enabled() -> bool:
    return not os.environ.get("WITGEN_NO_CACHE")


def feature_set(values: Iterable[str]) -> list[str]:
    """The features named by `--features` values (comma- or space-separated), sorted."""
    return sorted({f for arg in values for f in arg.replace(",", " ").split()})


def key(command: str, path: str, features: Iterable[str], all_features: bool) -> list[str]:
    from witgen import __version__

    return [
        FORMAT,
        sys.version,
        _PACKAGE,
        __version__,
        command,
        os.getcwd(),
        path,
        ",".join(feature_set(features)),
        "all" if all_features else "",
    ]


def _entry_path(fields: list[str]) -> str:
    """The entry's file: named by a 64-bit FNV-1a hash of the key (collisions only cost a
    miss: the entry holds its whole key)."""
    h = 0xCBF29CE484222325
    for byte in "\0".join(fields).encode("utf-8", "surrogateescape"):
        h = ((h ^ byte) * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    from witgen.cachedir import cache_root

    return os.path.join(cache_root(), "cli-results", f"{h:016x}")


def parse_argv(argv: list[str]) -> list[str] | None:
    """The key of a plain `check PATH` / `resolve PATH --json` command line (with
    `--features`, `--features=`, `--all-features`), or None for anything else: help,
    abbreviations, other commands and mistakes go to argparse."""
    if not argv or argv[0] not in ("check", "resolve"):
        return None
    path: str | None = None
    features: list[str] = []
    all_features = json = False
    rest = iter(argv[1:])
    for arg in rest:
        if arg == "--json":
            json = True
        elif arg == "--all-features":
            all_features = True
        elif arg == "--features":
            value = next(rest, None)
            if value is None or value.startswith("-"):
                return None
            features.append(value)
        elif arg.startswith("--features="):
            features.append(arg[len("--features=") :])
        elif arg.startswith("-") or path is not None:
            return None
        else:
            path = arg
    if path is None or json != (argv[0] == "resolve"):
        return None
    return key(argv[0], path, features, all_features)


# --- replaying ----------------------------------------------------------------------------


def replay(argv: list[str]) -> int | None:
    """Print the stored output for `argv` and return the exit status, or None (nothing
    printed) when there is no valid entry for it."""
    if not enabled():
        return None
    try:
        fields = parse_argv(argv)
    except OSError:  # the working folder is gone
        return None
    if fields is None:
        return None
    text = _valid_output(_entry_path(fields), fields)
    if text is None:
        return None
    sys.stdout.write(text)
    sys.stdout.flush()
    return 0


#: never follow a planted symlink, never wait for a writer on a planted FIFO (POSIX only)
_NO_FOLLOW = getattr(os, "O_NOFOLLOW", 0)
_NO_WAIT = getattr(os, "O_NONBLOCK", 0)


def _read_entry(path: str) -> bytes | None:
    try:
        fd = os.open(path, os.O_RDONLY | _NO_FOLLOW | _NO_WAIT)
    except OSError:
        return None
    try:
        st = os.fstat(fd)
        geteuid = getattr(os, "geteuid", None)
        trusted = (
            stat.S_ISREG(st.st_mode)
            and st.st_size <= MAX_ENTRY
            and (geteuid is None or st.st_uid == geteuid())
            and not st.st_mode & 0o022
        )
        return os.read(fd, st.st_size + 1) if trusted else None
    except OSError:
        return None
    finally:
        os.close(fd)


def _valid_output(path: str, key_fields: list[str]) -> str | None:
    data = _read_entry(path)
    if data is None:
        return None
    try:
        head, count, rest = data.split(b"\0", 2)
        n = int(count)
        if head != FORMAT.encode() or not 0 <= n <= len(rest):
            return None
        *raw, body = rest.split(b"\0", n)
        fields = [f.decode("utf-8", "surrogateescape") for f in raw]
        if len(fields) != n:
            return None
        held = _dependencies_hold(fields, key_fields)
        if held is None:
            return None
        text = body.decode("utf-8", "surrogatepass")
    except (ValueError, IndexError):  # a malformed count or field, undecodable text
        return None
    if held:  # some stats went stale with the contents unchanged: store the new ones
        _write_entry(path, fields, body)
    return text


def _dependencies_hold(fields: list[str], key_fields: list[str]) -> bool | None:
    """None unless every part of `fields` matches the key and the file system; else whether
    a file's stat was renewed in `fields`. `fields` is the key, then a count and (path,
    digest, stat) per file, then a count and (path, listing) per folder."""
    k = len(key_fields)
    if fields[:k] != key_fields:
        return None
    nfiles = int(fields[k])
    files_end = k + 1 + 3 * nfiles
    if not 0 <= nfiles or files_end >= len(fields):
        return None
    if len(fields) != files_end + 1 + 2 * int(fields[files_end]):
        return None
    renewed = False
    for i in range(k + 1, files_end, 3):
        held = _file_holds(fields[i], fields[i + 1], fields[i + 2])
        if held is None:
            return None
        if held:
            fields[i + 2] = held
            renewed = True
    for i in range(files_end + 1, len(fields), 2):
        try:
            if encode_listing(listing(fields[i])) != fields[i + 1]:
                return None
        except OSError:
            return None
    return renewed


def _stat_text(st: os.stat_result) -> str:
    return ",".join(map(str, file_stat(st)))


def _file_holds(path: str, digest: str, stat_text: str) -> str | None:
    """None if `path` no longer has `digest`; else "" when its stat is still `stat_text`, or
    the stat to record instead (the content checked, the file settled)."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    if not stat.S_ISREG(st.st_mode):
        return None
    if stat_text and stat_text == _stat_text(st):
        return ""
    checked = _digest(path)
    if checked is None or checked[0] != digest:
        return None
    return _stat_text(checked[1]) if settled(checked[1], time.time_ns()) else ""


def _digest(path: str) -> tuple[str, os.stat_result] | None:
    """The SHA-256 of `path` and its stat before reading, if it is a regular file."""
    import hashlib

    try:
        fd = os.open(path, os.O_RDONLY | _NO_WAIT)
    except OSError:
        return None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            return None
        h = hashlib.sha256()
        while chunk := os.read(fd, 1 << 20):
            h.update(chunk)
        return h.hexdigest(), st
    except OSError:
        return None
    finally:
        os.close(fd)


def _write_entry(path: str, fields: list[str], body: bytes) -> None:
    """Write an entry atomically; a cache that cannot be written only costs speed."""
    from witgen.cachedir import write_atomic

    head = "\0".join([FORMAT, str(len(fields)), *fields]) + "\0"
    try:
        write_atomic(path, head.encode("utf-8", "surrogateescape") + body)
    except (OSError, UnicodeEncodeError):
        pass


# --- storing ------------------------------------------------------------------------------


class Capture:
    """Writes output to stdout and keeps a copy (up to `MAX_OUTPUT` characters) to store."""

    def __init__(self) -> None:
        self.parts: list[str] | None = [] if enabled() else None
        self._size = 0

    def write(self, text: str) -> None:
        sys.stdout.write(text)
        if self.parts is not None:
            self._size += len(text)
            if self._size <= MAX_OUTPUT:
                self.parts.append(text)
            else:
                self.parts = None

    def store(self, key_fields: list[str], log: InputLog) -> None:
        """Store what was written as the output for `key_fields`; a cache that cannot be
        written, or witgen sources changed under the run, only mean no entry."""
        if self.parts is None:
            return
        sources = _source_files()
        if sources is None:
            return
        fields = [*key_fields, str(len(log.files) + len(sources))]
        for path, digest, kept in [*log.files, *sources]:
            fields += [path, digest, ",".join(map(str, kept)) if kept else ""]
        fields.append(str(len(log.folders)))
        for folder, entries in log.folders:
            fields += [folder, entries]
        try:
            body = "".join(self.parts).encode("utf-8", "surrogatepass")
        except UnicodeEncodeError:
            return
        _write_entry(_entry_path(key_fields), fields, body)


def _source_files() -> list[tuple[str, str, FileStat | None]] | None:
    """witgen's front-end sources with their digests, or None when one of them changed
    since shortly before this process started (the code that ran may not be what is on disk)
    or cannot be read."""
    import hashlib

    out: list[tuple[str, str, FileStat | None]] = []
    try:
        for sub in _SOURCE_DIRS:
            folder = os.path.join(_PACKAGE, sub)
            for name, kind in listing(folder):
                if kind != "f" or not name.endswith((".py", ".lark")):
                    continue
                path = os.path.join(folder, name)
                with open(path, "rb") as f:
                    st = os.fstat(f.fileno())
                    data = f.read()
                if not settled(st, _STARTED_NS):
                    return None
                out.append((path, hashlib.sha256(data).hexdigest(), file_stat(st)))
    except OSError:
        return None
    return out
