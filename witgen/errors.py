"""`WitError`: the one exception type user input can raise, and its `file:line:col` rendering."""

from __future__ import annotations


class WitError(Exception):
    """An error in the user's WIT (or in how witgen was asked to use it).

    `file`, `line` (1-based) and `col` (1-based) point at the offending text when known;
    `source` is the text of that file so the line can be shown with a caret.
    """

    def __init__(
        self,
        message: str,
        file: str | None = None,
        line: int | None = None,
        col: int | None = None,
        source: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.file = file
        self.line = line
        self.col = col
        self.source = source

    @property
    def location(self) -> str | None:
        if self.file is None or self.line is None:
            return None
        return f"{self.file}:{self.line}:{self.col or 1}"

    def render(self) -> str:
        """`error: msg`, then ` --> file:line:col`, the source line and a caret under the column."""
        out = [f"error: {self.message}"]
        loc = self.location
        if loc is None:
            return out[0]
        out.append(f"     --> {loc}")
        if self.source is not None and self.line is not None:
            # lines end at "\n" only, as for `line`: str.splitlines would also split at
            # U+2028, form feeds and lone CRs, and show the wrong line
            lines = self.source.split("\n")
            if 0 < self.line <= len(lines):
                raw = lines[self.line - 1].rstrip("\r")
                # `col` counts UTF-8 bytes (as wasm-tools does); the caret goes under the
                # character that starts there
                before = raw.encode()[: max(0, (self.col or 1) - 1)].decode(errors="ignore")
                text = raw.expandtabs(4)
                num = str(self.line)
                pad = " " * len(num)
                out.append(f"    {pad} |")
                out.append(f"    {num} | {text}")
                out.append(f"    {pad} | {' ' * len(before.expandtabs(4))}^")
        return "\n".join(out)

    def __str__(self) -> str:
        return self.render()


def line_col(source: str, offset: int) -> tuple[int, int]:
    """1-based line and column of a character offset in `source`, as wasm-tools counts them:
    lines end at "\n" only, and the column counts UTF-8 bytes from the start of the line."""
    line = source.count("\n", 0, offset) + 1
    start = source.rfind("\n", 0, offset) + 1
    prefix = source[start:offset]
    return line, (len(prefix) if prefix.isascii() else len(prefix.encode())) + 1
