"""Parse results cached by file content: in memory for the process, and on disk across builds.

A monorepo's packages parse the same WASI deps again and again, and every `witgen` process
starts cold. Syntax trees are keyed by the SHA-256 of the file's text, so a file parsed once by
any build is read back afterwards and lark is not even imported. Errors are never cached: a file
that fails to parse is parsed (and fails) again, so the error always comes from the parser.

On disk an entry is JSON written by `witgen.wit.astcodec`, never pickle: the cache folder may
be writable by others (a shared home, a CI cache), and reading an entry must not be able to run
code. An entry names the digest of the text it was made from, and is used only when that
matches and every node decodes; anything else (a garbled, truncated, planted or stale file) is
ignored and replaced. The folder (`$WITGEN_CACHE_DIR`, default `~/.cache/witgen`, under
`ast-json/`) is keyed by the entry format and by the sources of every module that shapes a
tree, so older entries (including the pickles earlier versions wrote under `ast/`) are never
read. `WITGEN_NO_CACHE=1` turns the disk cache off.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from witgen.cachedir import cache_root, write_atomic
from witgen.wit import ast, astcodec

#: version of the entry layout; part of the folder key
FORMAT = "witgen-ast-json-1"
#: the files whose contents shape a syntax tree or its encoding
_SOURCES = (
    "grammar.lark",
    "lexer.py",
    "parser.py",
    "treebuilder.py",
    "versions.py",
    "ast.py",
    "astcodec.py",
)

_memory: dict[str, ast.PackageBody] = {}
_dir: str | None = None


def _ast_dir() -> str | None:
    global _dir
    if _dir is None:
        if os.environ.get("WITGEN_NO_CACHE"):
            return None
        h = hashlib.sha256(FORMAT.encode())
        here = Path(__file__).parent
        for name in _SOURCES:
            h.update((here / name).read_bytes())
        _dir = os.path.join(cache_root(), "ast-json", h.hexdigest()[:16])
    return _dir


def _with_file(body: ast.PackageBody, file: ast.SourceFile) -> ast.PackageBody:
    """The cached tree is shared; only the file (path shown in errors) differs per use."""
    body.file = file
    for sub in body.nested:
        _with_file(sub, file)
    return body


def parse(text: str, path: str) -> ast.PackageBody:
    digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
    file = ast.SourceFile(path, text)
    body = _memory.get(digest)
    if body is None:
        folder = _ast_dir()
        entry = os.path.join(folder, digest[:2], digest + ".json") if folder else None
        body = _load(entry, digest, text) if entry is not None else None
        if body is None:
            from witgen.wit.parser import parse as parse_text  # imports lark: only on a miss

            body = parse_text(text, path)
            if entry is not None:
                _store(entry, digest, body)
        if len(_memory) > 4096:
            _memory.clear()
        _memory[digest] = body
    return _with_file(body, file)


def _load(entry: str, digest: str, text: str) -> ast.PackageBody | None:
    """The tree in `entry` if it is a well-formed entry for exactly this text, else None."""
    try:
        with open(entry, "rb") as f:
            data = json.loads(f.read())
    except (OSError, ValueError, RecursionError):
        return None
    match data:
        case {"format": str(fmt), "source": str(source), "tree": tree} if (
            fmt == FORMAT and source == digest
        ):
            try:
                return astcodec.decode(tree, text)
            except (astcodec.Malformed, RecursionError):
                return None
    return None


def _store(entry: str, digest: str, body: ast.PackageBody) -> None:
    try:
        data = json.dumps({"format": FORMAT, "source": digest, "tree": astcodec.encode(body)})
    except RecursionError:
        return  # a tree this deep fails to resolve anyway; not worth a cache entry
    try:
        write_atomic(entry, data)
    except OSError:
        pass  # a read-only or full cache only costs speed
