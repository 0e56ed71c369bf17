"""The WIT tokenizer: source text to a list of lark `Token`s, plus doc comments by position.

One compiled regex does the scanning; nested block comments are the only thing scanned by
hand. It owns everything lark's own lexer cannot express for WIT: nested `/* */` comments,
doc comments (kept and attached to the token that follows them), `%`-escaped identifiers,
CRLF line ends, a leading BOM, the Unicode code points WIT forbids, and context-dependent
numbers (`1.2.3` is a version, `4` an integer).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from lark import Token

from witgen.errors import WitError, line_col
from witgen.records import record

KEYWORDS = frozenset(
    """use type func u8 u16 u32 u64 s8 s16 s32 s64 f32 f64 char resource own borrow record
    flags variant enum bool string option result future stream error-context list map _ as
    from static interface tuple import export world package constructor async include with""".split()
)

PUNCT = {
    "=": "_EQ",
    ",": "_COMMA",
    ":": "_COLON",
    ";": "_SEMI",
    "(": "_LPAR",
    ")": "_RPAR",
    "{": "_LBRACE",
    "}": "_RBRACE",
    "<": "_LT",
    ">": "_GT",
    "*": "_STAR",
    "@": "AT",
    "/": "_SLASH",
    ".": "_DOT",
    "->": "_RARROW",
}

#: lark terminal name of each keyword
KEYWORD_TYPES = {
    kw: ("UNDERSCORE" if kw == "_" else kw.upper().replace("-", "_")) for kw in KEYWORDS
}

_SEMVER_TAIL = r"(?:-[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?"

_SCAN = re.compile(
    r"(?P<ws>[ \t\n]+|\r\n)"
    r"|(?P<line>//[^\n]*)"
    r"|(?P<block>/\*)"
    r"|(?P<id>%?[^\W\d][\w-]*)"
    r"|(?P<num>[0-9]+(?:\.[0-9]+)*" + _SEMVER_TAIL + r")"  # ASCII digits only, as wit-parser
    r"|(?P<punct>->|[=,:;(){}<>*@/.])"
    r'|(?P<string>"[^"\n]*")'
)

# Code points wit-parser rejects anywhere in a file: bidirectional overrides, a few characters
# Unicode deprecates, and control codes other than tab/newline/carriage return.
_FORBIDDEN = re.compile(
    "[\u202a-\u202e\u2066-\u2069\u0149\u0673\u0f77\u0f79\u17a3\u17a4\u17b4\u17b5"
    "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]"
)

_FRAGMENT = re.compile(r"[a-z][a-z0-9]*|[A-Z][A-Z0-9]*|[0-9][a-z0-9]*|[0-9][A-Z0-9]*")


@record(slots=False)
class Lexed:
    """The tokens of one file and the doc comments that precede some of them.

    `tokens` is consumed once, as the parser asks for them, so a big file's tokens are never
    all alive at once; `docs` fills up as they are made (a token's doc text is there by the time
    the token has been handed out), as does wit-parser's tokenizer, which lexes on demand.
    """

    tokens: Iterator[Token]
    docs: dict[int, str]  # start offset of a token -> the doc text of the comments before it


def _error(msg: str, path: str, source: str, offset: int) -> WitError:
    line, col = line_col(source, offset)
    return WitError(msg, path, line, col, source)


def validate_id(name: str, path: str, source: str, offset: int) -> None:
    """Check a kebab-case identifier: fragments split by `-`, each all lower or all upper case."""
    parts = name.split("-")
    for i, part in enumerate(parts):
        if not part:
            raise _error("identifiers must have characters between '-'s", path, source, offset)
        if i == 0 and not part[0].isascii() or not part[0].isalpha() and i == 0:
            raise _error(f"invalid character in identifier {part[0]!r}", path, source, offset)
        if not _FRAGMENT.fullmatch(part):
            bad = _first_bad_char(part)
            raise _error(f"invalid character in identifier {bad!r}", path, source, offset)


def _first_bad_char(part: str) -> str:
    if not part[0].isascii() or not part[0].isalnum():
        return part[0]
    lower = part[0].islower() or (part[0].isdigit() and not any(c.isupper() for c in part))
    for c in part[1:]:
        if not (c.isascii() and c.isalnum()):
            return c
        if c.isalpha() and c.islower() != lower:
            return c
    return part[-1]


def _doc_text(comments: list[str]) -> str:
    """Turn the raw comments before an item into its doc text, the way wit-parser does.

    `/** */` blocks lose their delimiters, other comments their leading slashes; each entry is
    trimmed at the end; the smallest indentation among non-empty entries is removed (as spaces);
    entries are joined line by line and trailing newlines dropped.
    """
    entries = []
    for c in comments:
        if c.startswith("/**") and c.endswith("*/") and len(c) >= 5:
            c = c[3:-2]
        else:
            c = c.lstrip("/")
        entries.append(c.rstrip())
    indent = min((len(e) - len(e.lstrip()) for e in entries if e), default=0)
    out = []
    for e in entries:
        if indent and e.startswith(" " * indent):
            e = e[indent:]
        if not e:
            out.append("\n")
        else:
            out.extend(line.rstrip("\r") + "\n" for line in e.split("\n"))
    return "".join(out).rstrip("\n")


def tokenize(source: str, path: str) -> Lexed:
    """Split `source` into tokens, lazily. Forbidden code points are checked at once, anywhere
    in the file (as wit-parser does); the iterator raises `WitError` at the first character that
    cannot start a token."""
    bad = _FORBIDDEN.search(source)
    if bad is not None:
        ch = bad.group()
        if "\u202a" <= ch <= "\u202e" or "\u2066" <= ch <= "\u2069":
            what = f"bidirectional override codepoint U+{ord(ch):04X}"
        elif ord(ch) < 0xA0:
            what = f"control code U+{ord(ch):04X}"
        else:
            what = f"codepoint U+{ord(ch):04X}, which Unicode discourages,"
        raise _error(f"input contains {what}", path, source, bad.start())

    docs: dict[int, str] = {}
    return Lexed(_tokens(source, path, docs), docs)


def _tokens(source: str, path: str, docs: dict[int, str]) -> Iterator[Token]:
    pending: list[str] = []
    pos = 1 if source.startswith("\ufeff") else 0
    end = len(source)
    match = _SCAN.match
    while pos < end:
        m = match(source, pos)
        if m is None:
            ch = source[pos]
            if ch == '"':
                raise _error("unterminated string literal", path, source, pos)
            if ch == "%":
                raise _error("expected an identifier after `%`", path, source, pos)
            if ch == "-":
                raise _error("unexpected character '-' (did you mean `->`?)", path, source, pos)
            raise _error(f"unexpected character {ch!r}", path, source, pos)
        kind = m.lastgroup
        text = m.group()
        if kind == "ws":
            pos = m.end()
            continue
        if kind == "line":
            pending.append(text)
            pos = m.end()
            continue
        if kind == "block":
            close = _block_end(source, pos, path)
            pending.append(source[pos:close])
            pos = close
            continue
        start = pos
        pos = m.end()
        if kind == "id":
            if text[0] == "%":
                name = text[1:]
                validate_id(name, path, source, start)
                tok = Token("ID", name, start, None, None, None, None, pos)
            elif text in KEYWORDS:
                tok = Token(KEYWORD_TYPES[text], text, start, None, None, None, None, pos)
            else:
                validate_id(text, path, source, start)
                tok = Token("ID", text, start, None, None, None, None, pos)
        elif kind == "num":
            if "." in text or "-" in text or "+" in text:
                tok = Token("VERSION", text, start, None, None, None, None, pos)
            else:
                tok = Token("INTEGER", text, start, None, None, None, None, pos)
        elif kind == "string":
            tok = Token("STRLIT", text[1:-1], start, None, None, None, None, pos)
        else:
            tok = Token(PUNCT[text], text, start, None, None, None, None, pos)
        if pending:
            docs[start] = _doc_text(pending)
            pending = []
        yield tok


_BLOCK_MARK = re.compile(r"/\*|\*/")


def _block_end(source: str, start: int, path: str) -> int:
    """Offset just past the (possibly nested) block comment starting at `start`."""
    depth = 0
    for m in _BLOCK_MARK.finditer(source, start):
        depth += 1 if m.group() == "/*" else -1
        if depth == 0:
            return m.end()
    raise _error("unterminated block comment", path, source, start)
