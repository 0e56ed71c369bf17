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
            # lines end at "\n" only, as `line_col` counts them (splitlines would also break
            # at U+2028, U+0085, form feeds, ... that a comment may hold)
            lines = self.source.split("\n")
            if 0 < self.line <= len(lines):
                text = lines[self.line - 1].expandtabs(4).rstrip("\r")
                num = str(self.line)
                pad = " " * len(num)
                out.append(f"    {pad} |")
                out.append(f"    {num} | {text}")
                col = max(1, self.col or 1)
                out.append(f"    {pad} | {' ' * (col - 1)}^")
        return "\n".join(out)

    def __str__(self) -> str:
        return self.render()


def line_col(source: str, offset: int) -> tuple[int, int]:
    """1-based line and column (in characters) of a character offset in `source`."""
    line = source.count("\n", 0, offset) + 1
    start = source.rfind("\n", 0, offset) + 1
    return line, offset - start + 1
