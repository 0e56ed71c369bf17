"""Where each key of a TOML document is: `key_positions(text) -> {key path: (line, col)}`.

`tomllib` gives the values but no positions, and a configuration error should point at its
line. This scanner walks the text once, following TOML's structure just far enough for
that: table headers `[a.b]`, arrays of tables `[[a.b]]` (numbered per array, nested ones
under the latest element of their parent), dotted keys, inline tables, and arrays (their
elements numbered). Strings of all four kinds and comments are skipped, so their contents
never look like keys.

A key path is a tuple of keys and array indices: `("tool", "witgen", "bindings", 1,
"world")`. Each path maps to the 1-based line and column where it is first defined (for a
table, its header; for an array element, its first character). The scanner never raises:
on text that is not valid TOML (tomllib reports that) it returns what it found so far.
"""

from __future__ import annotations

from collections.abc import Callable

KeyPath = tuple[str | int, ...]
Position = tuple[int, int]

_BARE = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")
_ESCAPES = {"b": "\b", "t": "\t", "n": "\n", "f": "\f", "r": "\r", '"': '"', "\\": "\\"}


def key_positions(text: str) -> dict[KeyPath, Position]:
    """Positions of every key, table and array element defined in `text`."""
    scanner = _Scanner(text)
    scanner.document()
    return scanner.found


def locate(positions: dict[KeyPath, Position], path: KeyPath, shortest: int = 1) -> Position | None:
    """The position of `path`, or of its longest defined prefix of at least `shortest` keys;
    None if there is none."""
    for end in range(len(path), max(shortest, 1) - 1, -1):
        pos = positions.get(path[:end])
        if pos is not None:
            return pos
    return None


class _Scanner:
    def __init__(self, text: str) -> None:
        self.s = text
        self.i = 0
        self.line = 1
        self.line_start = 0
        self.found: dict[KeyPath, Position] = {}
        #: array-of-tables path (with the indices of its parents) -> index of its last element
        self.arrays: dict[KeyPath, int] = {}

    # -- characters

    def peek(self, k: int = 0) -> str:
        j = self.i + k
        return self.s[j] if j < len(self.s) else ""

    def advance(self, n: int = 1) -> None:
        for _ in range(n):
            if self.i >= len(self.s):
                return
            if self.s[self.i] == "\n":
                self.line += 1
                self.line_start = self.i + 1
            self.i += 1

    def pos(self) -> Position:
        return self.line, self.i - self.line_start + 1

    def skip_space(self, *, newlines: bool) -> None:
        while self.i < len(self.s):
            c = self.s[self.i]
            if c in " \t\r" or (newlines and c == "\n"):
                self.advance()
            elif c == "#":
                while self.i < len(self.s) and self.s[self.i] != "\n":
                    self.advance()
            else:
                return

    def skip_line(self) -> None:
        while self.i < len(self.s) and self.s[self.i] != "\n":
            self.advance()

    def record(self, path: KeyPath, pos: Position) -> None:
        self.found.setdefault(path, pos)

    # -- structure

    def document(self) -> None:
        table: KeyPath = ()
        while True:
            self.skip_space(newlines=True)
            if self.i >= len(self.s):
                return
            start = self.i
            if self.peek() == "[":
                table = self.header()
            else:
                self.keyval(table)
            self.skip_space(newlines=False)
            self.skip_line()
            if self.i == start:  # no progress on malformed text
                self.advance()

    def header(self) -> KeyPath:
        pos = self.pos()
        many = self.peek(1) == "["
        self.advance(2 if many else 1)
        self.skip_space(newlines=False)
        keys = self.key()
        self.advance(2 if many else 1)  # `]]` or `]`
        if not keys:
            return ()
        path = self.concrete(tuple(keys))
        if many:
            index = self.arrays.get(path, -1) + 1
            self.arrays[path] = index
            self.record(path, pos)
            path = (*path, index)
        self.record(path, pos)
        return path

    def concrete(self, keys: KeyPath) -> KeyPath:
        """`keys` with the latest index inserted after each array of tables it goes through."""
        path: KeyPath = ()
        for k in keys[:-1]:
            path = (*path, k)
            if path in self.arrays:
                path = (*path, self.arrays[path])
        return (*path, keys[-1])

    def keyval(self, base: KeyPath) -> None:
        pos = self.pos()
        keys = self.key()
        self.skip_space(newlines=False)
        if not keys or self.peek() != "=":
            return
        self.advance()
        self.skip_space(newlines=False)
        for end in range(1, len(keys) + 1):
            self.record((*base, *keys[:end]), pos)
        self.value((*base, *keys))

    def key(self) -> list[str]:
        """A (dotted) key; stops before `=`, `]` or anything else that cannot continue it."""
        parts: list[str] = []
        while True:
            self.skip_space(newlines=False)
            c = self.peek()
            if c == '"' or c == "'":
                parts.append(self.string())
            elif c in _BARE and c:
                start = self.i
                while self.peek() in _BARE and self.peek():
                    self.advance()
                parts.append(self.s[start : self.i])
            else:
                return parts
            self.skip_space(newlines=False)
            if self.peek() != ".":
                return parts
            self.advance()

    def value(self, path: KeyPath) -> None:
        c = self.peek()
        if c == "{":
            self.advance()
            self.items(path, "}", lambda: self.keyval(path))
        elif c == "[":
            self.advance()
            index = [0]

            def element() -> None:
                self.record((*path, index[0]), self.pos())
                self.value((*path, index[0]))
                index[0] += 1

            self.items(path, "]", element)
        elif c == '"' or c == "'":
            self.string()
        else:  # number, boolean, date-time: up to the next delimiter
            while self.peek() and self.peek() not in ",]}\n#":
                self.advance()

    def items(self, path: KeyPath, close: str, item: Callable[[], None]) -> None:
        while True:
            self.skip_space(newlines=True)
            if not self.peek():
                return
            if self.peek() == close:
                self.advance()
                return
            start = self.i
            item()
            self.skip_space(newlines=True)
            if self.peek() == ",":
                self.advance()
            elif self.i == start:  # malformed: skip a character rather than loop
                self.advance()

    def string(self) -> str:
        """Skip a string of any of the four kinds; return its value (escapes decoded)."""
        quote = self.peek()
        if self.s.startswith(quote * 3, self.i):
            self.advance(3)
            out = self._until(quote * 3, escapes=quote == '"')
            while self.peek() == quote:  # up to two quotes may end the content
                out += quote
                self.advance()
            return out
        self.advance()
        return self._until(quote, escapes=quote == '"', single_line=True)

    def _until(self, end: str, *, escapes: bool, single_line: bool = False) -> str:
        out: list[str] = []
        while self.i < len(self.s):
            if self.s.startswith(end, self.i):
                self.advance(len(end))
                return "".join(out)
            c = self.s[self.i]
            if single_line and c == "\n":
                return "".join(out)
            if escapes and c == "\\":
                out.append(_ESCAPES.get(self.peek(1), self.peek(1)))
                self.advance(2)
                continue
            out.append(c)
            self.advance()
        return "".join(out)
