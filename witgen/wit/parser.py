"""WIT source text to `witgen.wit.ast` nodes: lark's LALR parser fed by `witgen.wit.lexer`.

The rule callbacks (`witgen.wit.treebuilder`) run during the parse, so no lark tree is built;
the parse tables are cached on disk (`witgen.wit.tables`), so building them is not a per-run
cost. Syntax errors become `WitError`s naming what was expected. Finished trees are cached by
`witgen.wit.astcache`.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

from lark import Lark, Token
from lark.exceptions import (
    UnexpectedCharacters,
    UnexpectedEOF,
    UnexpectedInput,
    UnexpectedToken,
    VisitError,
)
from lark.lexer import Lexer, LexerState

from witgen.errors import WitError
from witgen.wit import ast
from witgen.wit.lexer import KEYWORD_TYPES, PUNCT, tokenize
from witgen.wit.tables import build_parser
from witgen.wit.treebuilder import TreeBuilder

_DESCRIBE = {v: f"'{k}'" for k, v in PUNCT.items()}
_DESCRIBE.update({v: f"keyword `{k}`" for k, v in KEYWORD_TYPES.items()})
_DESCRIBE.update(
    {
        "ID": "an identifier",
        "INTEGER": "an integer",
        "VERSION": "a version",
        "STRLIT": "a string literal",
        "$END": "eof",
    }
)


class _TokenList(Lexer):
    """A lark 'lexer' that hands over the tokens `witgen.wit.lexer` already made."""

    __future_interface__ = 2

    def __init__(self, lexer_conf: object) -> None:
        pass

    def lex(self, lexer_state: LexerState, parser_state: Any) -> Iterator[Token]:
        tokens: object = lexer_state.text  # the iterator `parse` hands to lark
        assert isinstance(tokens, Iterator)
        return tokens


_lock = threading.Lock()
_parser: Lark | None = None
_builder: TreeBuilder | None = None


def _get_parser() -> tuple[Lark, TreeBuilder]:
    global _parser, _builder
    if _parser is None or _builder is None:
        builder = TreeBuilder()
        _parser = build_parser(builder, _TokenList)
        _builder = builder
    return _parser, _builder


def parse(text: str, path: str) -> ast.PackageBody:
    """Parse one file (uncached; `witgen.wit.astcache.parse` is the cached entry point)."""
    lexed = tokenize(text, path)
    file = ast.SourceFile(path, text)
    with _lock:
        parser, builder = _get_parser()
        builder.docs = lexed.docs
        builder.file = file
        try:
            tree = parser.parse(lexed.tokens)
        except WitError:
            raise
        except UnexpectedToken as e:
            raise _syntax_error(e, file) from None
        except (UnexpectedEOF, UnexpectedCharacters, UnexpectedInput) as e:
            raise file.error(f"syntax error: {e}", len(text)) from None
        except VisitError as e:  # how lark wraps an error raised by a rule callback
            if isinstance(e.orig_exc, WitError):
                raise e.orig_exc from None
            raise
        finally:
            builder.file = ast.SourceFile("", "")
            builder.docs = {}
    assert isinstance(tree, ast.PackageBody)
    return tree


def _syntax_error(e: UnexpectedToken, file: ast.SourceFile) -> WitError:
    tok = e.token
    expected = sorted(_DESCRIBE.get(t, t) for t in e.expected if not t.startswith("__"))
    if tok.type == "$END":
        found, pos = "eof", len(file.text)
    else:
        found, pos = _DESCRIBE.get(tok.type, tok.type), tok.start_pos
        if tok.type == "ID":
            found = f"an identifier `{tok}`"
    if len(expected) == 1:
        want = expected[0]
    elif len(expected) <= 6:
        want = ", ".join(expected[:-1]) + " or " + expected[-1]
    else:
        want = "one of " + ", ".join(expected)
    return file.error(f"expected {want}, found {found}", pos)
