"""lark's LALR parser for `grammar.lark`, with its tables cached on disk as JSON.

Building the tables takes lark a noticeable fraction of a second, and is needed by every
process that parses a file the syntax-tree cache does not have. lark's own `cache=` option
stores them with pickle, so a file planted in the cache folder would run code; here lark's
serialized tables (plain dicts, lists, tuples, strings and numbers) are written as JSON, read
back through a decoder that accepts only those, and handed to lark's loader, which builds only
lark's own grammar classes. An entry that does not decode, or whose rules call anything but
`TreeBuilder`'s own callbacks, is ignored and rewritten.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import lark
from lark import Lark
from lark.grammar import Rule
from lark.lexer import Lexer, TerminalDef

from witgen.cachedir import cache_root, write_atomic
from witgen.wit.treebuilder import TreeBuilder

GRAMMAR = Path(__file__).with_name("grammar.lark")
#: version of the entry layout; part of the entry's key
FORMAT = "witgen-lark-json-1"


class _Malformed(ValueError):
    pass


def build_parser(builder: TreeBuilder, lexer: type[Lexer]) -> Lark:
    """The LALR parser over `lexer`'s tokens, calling `builder` during the parse."""
    grammar = GRAMMAR.read_text()
    key = hashlib.sha256(f"{FORMAT}\n{lark.__version__}\n{grammar}".encode()).hexdigest()[:16]
    entry = os.path.join(cache_root(), f"lark-wit-{key}.json")
    parser = _read(entry, key, builder, lexer)
    if parser is None:
        parser = Lark(
            grammar, parser="lalr", lexer=lexer, transformer=builder, maybe_placeholders=True
        )
        _write(entry, key, parser)
    return parser


def _read(entry: str, key: str, builder: TreeBuilder, lexer: type[Lexer]) -> Lark | None:
    try:
        with open(entry, "rb") as f:
            doc = json.loads(f.read(), object_hook=_from_json)
    except (OSError, ValueError, TypeError, RecursionError):
        return None
    match doc:
        case {"format": str(fmt), "key": str(k), "data": tables, "memo": memo_data} if (
            fmt == FORMAT and k == key
        ):
            pass
        case _:
            return None
    match tables:
        case {"options": dict(options), "parser": {"lexer_conf": dict(lexer_conf)}}:
            options["lexer"] = lexer
            lexer_conf["lexer_type"] = lexer
        case _:
            return None
    try:
        parser = Lark.__new__(Lark)._load({"data": tables, "memo": memo_data}, transformer=builder)
    except Exception:  # lark's loader may fail in any way on tables it did not write
        return None
    return parser if _calls_only_builder(parser, builder) else None


def _calls_only_builder(parser: Lark, builder: TreeBuilder) -> bool:
    """Whether every rule's callback is a public `TreeBuilder` method or lark's default node.

    lark looks a rule's callback up by name on the transformer; tables naming anything else
    (lark's own `Transformer` methods, a helper of `TreeBuilder`) were not written by `_write`.
    """
    own = vars(TreeBuilder)
    for rule in parser.rules:
        name = str(rule.alias or rule.options.template_source or rule.origin.name)
        if hasattr(builder, name) and (name.startswith("_") or name not in own):
            return False
    return True


def _write(entry: str, key: str, parser: Lark) -> None:
    data, memo = parser.memo_serialize([TerminalDef, Rule])
    # the lexer class and the transformer are objects; `_read` supplies them again
    data["options"] = dict(data["options"], lexer="witgen-tokens", transformer=None)
    data["parser"]["lexer_conf"] = dict(data["parser"]["lexer_conf"], lexer_type="witgen-tokens")
    try:
        text = json.dumps({"format": FORMAT, "key": key, "data": _to_json(data), "memo": _to_json(memo)})
        write_atomic(entry, text)
    except (OSError, TypeError):
        pass  # an unwritable cache, or tables this encoder does not know, only cost speed


# lark's serialized tables use tuples and dicts with int keys, which JSON lacks: a tuple is
# written as {"#t": [...]} and a dict with other than string keys as {"#d": [[key, value], ...]}
# ('#' cannot start a grammar symbol, so these never clash with lark's own dicts).


def _to_json(o: object) -> object:
    match o:
        case None | bool() | int() | str():
            return o
        case list():
            return [_to_json(x) for x in o]
        case tuple():
            return {"#t": [_to_json(x) for x in o]}
        case dict() if all(isinstance(k, str) and not k.startswith("#") for k in o):
            return {k: _to_json(v) for k, v in o.items()}
        case dict():
            return {"#d": [[_to_json(k), _to_json(v)] for k, v in o.items()]}
    raise TypeError(f"cannot cache {type(o).__name__} in lark's tables")


def _from_json(o: dict[str, object]) -> object:
    """`json.loads` hook, called for every JSON object, innermost first."""
    if len(o) == 1:
        tag, value = next(iter(o.items()))
        if tag == "#t" and type(value) is list:
            return tuple(value)
        if tag == "#d" and type(value) is list:
            return dict(map(_pair, value))
    return o


def _pair(p: object) -> tuple[object, object]:
    match p:
        case [str() | int() | tuple() as k, v]:
            return (k, v)
    raise _Malformed(p)
