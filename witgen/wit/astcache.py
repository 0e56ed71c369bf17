"""Parse results cached by file content: in memory for the process, and on disk across builds.

A monorepo's packages parse the same WASI deps again and again, and every `witgen` process
starts cold. Syntax trees are keyed by the SHA-256 of the file's text (plus the grammar and
witgen's version), so a file parsed once by any build is loaded with `pickle` afterwards and
lark is not even imported. Errors are never cached: a file that fails to parse is parsed (and
fails) again, so the error always comes from the parser.

The key also covers the source of the lexer, grammar, parser and syntax-tree modules. The
disk cache lives in `$WITGEN_CACHE_DIR` (default `~/.cache/witgen`) under `ast/`; set
`WITGEN_NO_CACHE=1` to turn it off. A damaged or unreadable cache entry is ignored.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from pathlib import Path

from witgen import __version__
from witgen.cachedir import cache_root
from witgen.wit import ast

_memory: dict[str, ast.PackageBody] = {}
_GRAMMAR = Path(__file__).with_name("grammar.lark")
_dir: str | None = None


def _ast_dir() -> str | None:
    global _dir
    if _dir is None:
        if os.environ.get("WITGEN_NO_CACHE"):
            return None
        # everything that shapes a syntax tree: a changed lexer or parser must not reuse trees
        h = hashlib.sha256(__version__.encode())
        for name in ("grammar.lark", "lexer.py", "parser.py", "treebuilder.py", "versions.py", "ast.py"):
            h.update(_GRAMMAR.with_name(name).read_bytes())
        salt = h.hexdigest()[:16]
        _dir = os.path.join(cache_root(), "ast", salt)
    return _dir


def _with_file(body: ast.PackageBody, file: ast.SourceFile | None) -> ast.PackageBody:
    """The cached tree is shared; only the file (path shown in errors) differs per use."""
    body.file = file
    for sub in body.nested:
        _with_file(sub, file)
    return body


def parse(text: str, path: str) -> ast.PackageBody:
    digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
    file = ast.SourceFile(path, text)
    hit = _memory.get(digest)
    if hit is not None:
        return _with_file(hit, file)
    folder = _ast_dir()
    entry = os.path.join(folder, digest[:2], digest + ".pickle") if folder else None
    if entry is not None:
        try:
            with open(entry, "rb") as f:
                body = pickle.load(f)
            if isinstance(body, ast.PackageBody):
                _memory[digest] = body
                return _with_file(body, file)
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError):
            pass
    from witgen.wit.parser import parse as parse_text  # imports lark: only on a cache miss

    body = parse_text(text, path)
    if len(_memory) > 4096:
        _memory.clear()
    _memory[digest] = body
    if entry is not None:
        _store(entry, body)
    return _with_file(body, file)


def _store(entry: str, body: ast.PackageBody) -> None:
    keep = body.file
    _with_file(body, None)  # the source text is not worth storing
    try:
        os.makedirs(os.path.dirname(entry), exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=os.path.dirname(entry), suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as f:
                pickle.dump(body, f, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, entry)
        except BaseException:
            try:
                os.unlink(tmp)
            except OSError:
                pass
            raise
    except OSError:
        pass  # a read-only or full cache only costs speed
    finally:
        _with_file(body, keep)
