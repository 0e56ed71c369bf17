"""A tiny layout engine that writes Rust the way `rustfmt` (default config) would (not the
canonical ABI's memory layout, which is `witgen.abi.layout`).

The generator builds each long construct (parameter lists, tuples, generic arguments, calls)
as a `Group`; `render` puts a group on one line when it fits in `MAX_WIDTH` columns and
otherwise puts every item on its own line, indented by four, with a trailing comma. Groups are
broken left to right until each line fits, which is what rustfmt does for the shapes the
generator emits (signatures, type aliases, tuple types, `let` with a call).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TypeAlias

MAX_WIDTH = 100
INDENT = "    "


@dataclass
class Group:
    open: str
    items: list[Node]
    close: str
    #: a single item is written `(x,)` on one line (Rust 1-tuples)
    one_tuple: bool = False
    #: rustfmt's small-heuristics width of the flat contents (fn_call_width = 60,
    #: struct_lit_width = 18, attr_fn_like_width = 70); None: only the line width counts
    limit: int | None = None
    #: `{ a, b }` (struct literal) rather than `(a, b)`
    pad: bool = False
    #: when broken, fill lines with as many items as fit (derive lists) instead of one per line
    fill: bool = False
    #: fill too when every item is short (rustfmt's short_array_element_width_threshold = 10)
    short_fill: bool = False


#: a piece of layout: text, a group that may break, or a concatenation (a list)
Node: TypeAlias = "str | Group | list[Node]"


def _inner(node: Group) -> str:
    inner = ", ".join(flat(i) for i in node.items)
    if node.one_tuple and len(node.items) == 1:
        inner += ","
    return inner


def flat(node: Node) -> str:
    if isinstance(node, str):
        return node
    if isinstance(node, list):
        return "".join(flat(n) for n in node)
    inner = _inner(node)
    if node.pad and inner:
        return node.open + " " + inner + " " + node.close
    return node.open + inner + node.close


def _parts(node: Node) -> list[str | Group]:
    if isinstance(node, list):
        out = []
        for n in node:
            out.extend(_parts(n))
        return out
    return [node]


def _method_call(node: Group) -> tuple[str, str] | None:
    """(receiver, `f`) when `node` is a call `recv.f(..)` on a plain receiver (a chain of two
    items for rustfmt), None for a path call `a::f(..)` or a longer chain."""
    recv, dot, rest = node.open.partition(".")
    return (recv, rest) if dot and "::" not in recv and "(" not in recv else None


def _within_limits(node: Node) -> bool:
    if isinstance(node, str):
        return True
    if isinstance(node, list):
        return all(_within_limits(n) for n in node)
    single = node.one_tuple and len(node.items) == 1
    if node.limit is not None and not single and len(_inner(node)) > node.limit:
        return False
    return all(_within_limits(i) for i in node.items)


def render(node: Node, indent: int = 0) -> str:
    """`node` laid out starting at column `indent` (the caller writes the indentation)."""
    text = flat(node)
    if indent + len(text) <= MAX_WIDTH and _within_limits(node):
        return text
    parts = _parts(node)
    out: list[str] = []
    col = indent
    pad = " " * indent
    for i, part in enumerate(parts):
        rest = "".join(flat(p) for p in parts[i:])
        if isinstance(part, str) or (col + len(rest) <= MAX_WIDTH and _within_limits(part)):
            s = flat(part)
            out.append(s)
            col = col + len(s) if "\n" not in s else len(s.rsplit("\n", 1)[1])
            continue
        if not part.items:
            s = flat(part)
            out.append(s)
            col += len(s)
            continue
        inner_pad = pad + INDENT
        only = part.items[0] if len(part.items) == 1 else None
        if part.open == "<" and isinstance(only, Group) and only.open == "(" and only.items:
            # a lone tuple argument overflows: `X<(` .. `)>`, as rustfmt writes it
            out.append(part.open + "(\n")
            for item in only.items:
                out.append(inner_pad + render(item, indent + 4) + ",\n")
            out.append(pad + ")" + part.close)
            col = indent + 1 + len(part.close)
            continue
        out.append(part.open + "\n")
        if part.fill or (part.short_fill and all(len(flat(i)) <= 10 for i in part.items)):
            line = ""
            for item in part.items:
                piece = flat(item) + ","
                if line and len(inner_pad) + len(line) + 1 + len(piece) > MAX_WIDTH:
                    out.append(inner_pad + line + "\n")
                    line = piece
                else:
                    line = f"{line} {piece}" if line else piece
            out.append(inner_pad + line + "\n")
        else:
            for item in part.items:
                out.append(inner_pad + render(item, indent + 4) + ",\n")
        out.append(pad + part.close)
        col = indent + len(part.close)
    return "".join(out)


def type_node(text: str) -> Node:
    """A Rust type written as a string, as a layout node whose `<...>` and `(...)` can break."""
    pos = 0

    def parse_seq(end: str | None) -> tuple[list[Node], bool]:
        nonlocal pos
        items: list[Node] = []
        cur: list[Node] = []
        buf = ""
        while pos < len(text):
            ch = text[pos]
            if end is not None and ch == end:
                break
            if ch in "<(" and not (ch == "<" and buf.endswith("for")):
                pos += 1
                inner, trailing = parse_seq(">" if ch == "<" else ")")
                pos += 1  # closing
                close = ">" if ch == "<" else ")"
                one = ch == "(" and trailing and len(inner) == 1
                cur.append(buf)
                buf = ""
                cur.append(Group(ch, inner, close, one_tuple=one, limit=60 if ch == "(" else None))
                continue
            if ch == "," and end is not None:
                cur.append(buf)
                buf = ""
                items.append(_simplify(cur))
                cur = []
                pos += 1
                while pos < len(text) and text[pos] == " ":
                    pos += 1
                continue
            buf += ch
            pos += 1
        cur.append(buf)
        last = _simplify(cur)
        trailing = flat(last) == ""
        if not trailing:
            items.append(last)
        return items, trailing

    items, _ = parse_seq(None)
    return items[0] if items else ""


def _simplify(parts: list[Node]) -> Node:
    parts = [p for p in parts if p != ""]
    if len(parts) == 1:
        return parts[0]
    return parts


def group(
    open_: str, items: Iterable[Node], close: str, one_tuple: bool = False, limit: int | None = None
) -> Group:
    return Group(open_, list(items), close, one_tuple, limit)


def call(callee: str, args: Iterable[Node]) -> Group:
    """`callee(args)`, broken like rustfmt's fn_call_width."""
    return Group(callee + "(", list(args), ")", limit=60, short_fill=True)


def struct_lit(name: str, fields: Iterable[Node]) -> Group:
    return Group(name + " {", list(fields), "}", limit=18, pad=True)


def derive(items: Iterable[Node]) -> Group:
    return Group("#[derive(", list(items), ")]", limit=70, fill=True)


def tuple_(items: Iterable[Node]) -> Group:
    return Group("(", list(items), ")", one_tuple=True, limit=60)


def tuple_expr(items: Iterable[Node]) -> Group:
    return Group("(", list(items), ")", one_tuple=True, limit=60, short_fill=True)


def tuple_pat(items: Iterable[Node]) -> Group:
    return Group("(", list(items), ")", one_tuple=True)


class Writer:
    """Lines of Rust with an indentation level; `{`/`}` helpers keep blocks balanced.

    Nothing written is edited afterwards: the header of a block `open` starts is held until
    the block's first line (then written with ` {`) or its `close` (then written as
    `header {}`), and a blank line asked for is written only when a line follows it, so there
    is none after `{`, before `}` or at the end.
    """

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.level = 0
        self._open: tuple[Node, int] | None = None  # header, its level
        self._blank = False

    def _flush(self) -> None:
        """Write the held block header and blank line."""
        if self._open is not None:
            header, level = self._open
            self._open = None
            self._render_at([header, " {"], level)
        if self._blank:
            self._blank = False
            self.lines.append("")

    def _emit(self, text: str) -> None:
        self._flush()
        self.lines.append(text)

    def _render_at(self, node: Node, level: int) -> None:
        first, *rest = render(node, level * 4).split("\n")
        self.lines.append(INDENT * level + first)
        self.lines.extend(rest)

    @property
    def col(self) -> int:
        return self.level * 4

    def line(self, node: Node = "") -> None:
        if node == "" or node == []:
            self._blank = self._open is None
            return
        self._flush()
        self._render_at(node, self.level)

    def sig(self, head: str, params: list[Node], tail: str, where: list[str] | None = None) -> None:
        """A function signature and its opening brace: one line when it fits, else one
        parameter per line; `where` clauses on their own lines."""
        one: list[Node] = [head, Group("(", list(params), ")"), tail]
        self.line(one + ([] if where else [" {"]))
        if where:
            self.line("where")
            self.level += 1
            for b in where:
                self.where_bound(b)
            self.level -= 1
            self.line("{")
        self.level += 1

    def fn(
        self,
        head: str,
        params: list[Node],
        ret: Node | None = None,
        end: str = " {",
        where: list[str] | None = None,
    ) -> None:
        """A function signature as rustfmt lays it out; `ret` is the return type node (None for
        none), `end` is `;` (a declaration) or ` {` (opens a body, unless there is a `where`)."""
        tail: list[Node] = [] if ret is None else [" -> ", ret]
        end_now = ";" if end == ";" else ("" if where else " {")
        one = [head, Group("(", list(params), ")"), *tail, end_now]
        pad = INDENT * self.level
        width = self.col + len(flat(one))
        limit = MAX_WIDTH - 1 if end == ";" else MAX_WIDTH
        if width <= limit and _within_limits(params):
            self._emit(pad + flat(one))
        elif end == ";" and ret is not None and width == MAX_WIDTH and _within_limits(params):
            self._emit(pad + flat([head, Group("(", list(params), ")")]))
            self._emit(pad + INDENT + flat(["-> ", ret, end_now]))
        else:
            self._emit(pad + head + "(")
            for p in params:
                self._emit(pad + INDENT + render(p, self.col + 4) + ",")
            close = [")", *tail, end_now]
            bound = ret[0] if isinstance(ret, list) and ret[1:] == [" + Send"] else None
            # `) -> impl Future<Output = T> + Send;`: rustfmt keeps the `impl` bound whole while
            # it ends within the line, even if ` + Send;` then overflows, and up to 3 columns
            # past it moves ` + Send` to the next line; only longer bounds break `<...>`
            head_end = self.col + len(flat([") -> ", bound])) if bound is not None else 0
            if end == ";" and bound is not None and self.col + len(flat(close)) > MAX_WIDTH:
                if head_end <= MAX_WIDTH:
                    self._emit(pad + flat(close))
                elif head_end <= MAX_WIDTH + 3:
                    self._emit(pad + flat([") -> ", bound]))
                    self._emit(pad + " " * 7 + "+ Send" + end_now)
                else:
                    self._emit(pad + render(close, self.col))
            elif (
                end_now == " {"
                and bound is not None
                and MAX_WIDTH - 3 <= self.col + len(flat([")", *tail])) <= MAX_WIDTH + 3
            ):
                # as for `;` above: the `impl` bound stays whole up to 3 columns past the
                # limit, and the brace moves to its own line
                self._emit(pad + flat([")", *tail]))
                self._emit(pad + "{")
            elif (
                end_now == " {"
                # a tuple return is broken instead (rustfmt moves the brace only for a type it
                # cannot break)
                and not isinstance(ret, Group)
                # an `impl Future<..> + Send` return keeps its brace up to 96 columns only
                and self.col + len(flat(close)) >= MAX_WIDTH - (3 if bound is not None else 1)
                and self.col + len(flat(close)) - 2 <= MAX_WIDTH
            ):
                self._emit(pad + flat([")", *tail]))
                self._emit(pad + "{")
            else:
                self._emit(pad + render(close, self.col))
        if where:
            self.line("where")
            self.level += 1
            for b in where:
                self.where_bound(b)
            self.level -= 1
            self.line("{")
        if end != ";":
            self.level += 1

    def where_bound(self, bound: str) -> None:
        """`T: A + B,` on one line, or broken before each `+` as rustfmt does."""
        text = bound + ","
        if self.col + len(text) <= MAX_WIDTH:
            self.line(text)
            return
        head, _, rest = bound.partition(": ")
        parts = rest.split(" + ")
        pad = INDENT * self.level
        if head.startswith("for<") and self.col + 4 + len(rest) + 1 <= MAX_WIDTH:
            self._emit(f"{pad}{head}:")
            self._emit(f"{pad}{INDENT}{rest},")
            return
        self._emit(f"{pad}{head}: {parts[0]}")
        for i, p in enumerate(parts[1:]):
            comma = "," if i == len(parts) - 2 else ""
            self._emit(f"{pad}{INDENT}+ {p}{comma}")

    def let_await(self, lhs: str, call_node: Group, suffix: str = ";") -> None:
        """`lhs = CALL.await;`. A method call (`recv.f(..).await`, a chain of two items) is
        broken when wider than rustfmt's 60-column chain width; a path call only when it does
        not fit the line."""
        chain: list[Node] = [call_node, ".await"]
        head = f"{lhs} = " if lhs else ""
        method = _method_call(call_node)
        if len(flat(chain)) <= 60:
            if lhs:
                self.let(lhs, chain, suffix)
            else:
                self.line(chain + [suffix])
            return
        if not method and self._await_one_line(lhs, chain, suffix):
            return
        if not method and lhs and self._await_next_line(lhs, call_node, suffix):
            return
        if method:
            recv, rest = method
            self.line(f"{head}{recv}")
            self.level += 1
            self.line(
                Group(
                    "." + rest,
                    call_node.items,
                    call_node.close,
                    limit=call_node.limit,
                    short_fill=call_node.short_fill,
                )
            )
            self.line(".await" + suffix)
            self.level -= 1
            return
        self._flush()
        before = len(self.lines)
        self.line([head, call_node])
        if len(self.lines) - before > 1:
            self.line(".await" + suffix)
        else:
            self.level += 1
            self.line(".await" + suffix)
            self.level -= 1

    def _await_next_line(self, lhs: str, call_node: Group, suffix: str) -> bool:
        """`lhs =`, then `PATH(args)` whole on the next line and `.await` below it: rustfmt
        prefers that to breaking the arguments after `lhs = PATH(` (its right-hand side goes
        to the next line when the first line would otherwise end with `(`)."""
        if not _within_limits([call_node]) or self.col + 4 + len(flat(call_node)) > MAX_WIDTH:
            return False
        if self.col + len(lhs) + 3 + len(flat(call_node)) <= MAX_WIDTH:
            return False  # `lhs = PATH(args)` fits: `.await` alone goes below
        self.line(lhs + " =")
        self.level += 1
        self.line(call_node)
        self.level += 1
        self.line(".await" + suffix)
        self.level -= 2
        return True

    def _await_one_line(self, lhs: str, chain: list[Node], suffix: str) -> bool:
        """`PATH(args).await` is a chain of one item after its parent, which rustfmt keeps on
        one line whenever it fits the line (the 60-column chain width counts from two items
        on): on the `let` line, else alone on the next one. False: neither fits."""
        node: list[Node] = [f"{lhs} = " if lhs else "", chain, suffix]
        width = MAX_WIDTH - 1 if ":" in lhs else MAX_WIDTH
        if self.col + len(flat(node)) <= width and _within_limits(node):
            self.line(node)
            return True
        nxt: list[Node] = [chain, suffix]
        if lhs and self.col + 4 + len(flat(nxt)) <= MAX_WIDTH and _within_limits(nxt):
            self.line(lhs + " =")
            self.level += 1
            self.line(nxt)
            self.level -= 1
            return True
        return False

    def let(self, lhs: str, rhs: Node, suffix: str = ";") -> None:
        """`lhs = rhs;`, moving the right-hand side to the next line when that makes it fit."""
        node = [lhs, " = ", rhs, suffix]
        # rustfmt leaves one column less to a `let` with a type annotation, and two to a
        # method call followed by `?` (`recv.f(..)?;`: a chain of two items)
        width = MAX_WIDTH - 1 if ":" in lhs else MAX_WIDTH
        if isinstance(rhs, Group) and suffix.startswith("?") and _method_call(rhs):
            width = MAX_WIDTH - 2
        if self.col + len(flat(node)) <= width and _within_limits(node):
            self.line(node)
            return
        nxt = [rhs, suffix]
        first = rhs[0] if isinstance(rhs, list) and rhs else rhs
        if isinstance(first, Group) and first.open == "(":
            self.line(node)
            return
        if self.col + 4 + len(flat(nxt)) <= MAX_WIDTH and _within_limits(nxt):
            self.line(lhs + " =")
            self.level += 1
            self.line(nxt)
            self.level -= 1
            return
        self.line(node)

    def bounded(self, head: str, bounds: list[str], subject: str | None = None) -> None:
        """An empty-bodied `pub trait X: A + B {}` (subject None) or
        `impl<..> X for H where H: A + B {}` (subject "H"), laid out as rustfmt does."""
        joined = " + ".join(bounds)
        pad = INDENT * (self.level + 1)
        if subject is None:
            one = f"{head}: {joined}"
            if (len(joined) <= 62 or "<" not in joined) and self.col + len(one) + 3 <= MAX_WIDTH:
                self.line(one + " {}")
                return
            self.line(head + ":")
            if self._bounds_fit(joined):
                self._emit(pad + joined)
            else:
                self._emit(pad + bounds[0])
                for b in bounds[1:]:
                    self._emit(pad + "+ " + b)
        else:
            one = f"{head} where {subject}: {joined}"
            total = self.col + len(one) + 3
            if total <= MAX_WIDTH + 3:
                self.line(one + " {}")
                return
            if total == MAX_WIDTH + 4:
                self.line(one)
                self.line("{}")
                return
            self.line(head + " where")
            first = f"{pad}{subject}: {joined}"
            # rustfmt keeps one predicate line only below the width (it reserves its `,`)
            if len(first) < MAX_WIDTH:
                self._emit(first)
            else:
                self._emit(f"{pad}{subject}: {bounds[0]}")
                for b in bounds[1:]:
                    self._emit(pad + INDENT + "+ " + b)
        self.line("{")
        self.line("}")

    def _bounds_fit(self, joined: str) -> bool:
        """Whether rustfmt keeps a trait's supertrait bounds on the one line under its head.
        Measured on rustfmt 1.95: 104 columns at the top level, 4 fewer per nesting level (it
        counts the indentation twice)."""
        return 2 * self.col + len(INDENT) + len(joined) <= MAX_WIDTH + 4

    def open_trait(self, head: str, supers: list[str]) -> None:
        """`pub trait X: A + B {`, with the bounds on their own lines when long."""
        if not supers:
            self.open(head)
            return
        joined = " + ".join(supers)
        one = f"{head}: {joined} {{"
        if len(joined) <= 62 and self.col + len(one) <= MAX_WIDTH:
            self.line(one)
        else:
            pad = INDENT * (self.level + 1)
            self.line(head + ":")
            if self._bounds_fit(joined):
                self._emit(pad + joined)
            else:
                self._emit(pad + supers[0])
                for b in supers[1:]:
                    self._emit(pad + "+ " + b)
            self.line("{")
        self.level += 1

    def raw(self, text: str) -> None:
        """Lines written as given, each indented by the current level."""
        pad = INDENT * self.level
        for ln in text.split("\n"):
            if ln:
                self._emit(pad + ln)
            else:
                self.line()

    def open_impl(self, head: str, ty: str) -> None:
        """`{head} for {ty} {` (a non-empty body follows); when that passes the width, rustfmt
        puts `for {ty}` on its own line and the brace on the next."""
        one = f"{head} for {ty}"
        if self.col + len(one) + 2 <= MAX_WIDTH:
            self.open(one)
            return
        self.line(head)
        self._emit(INDENT * (self.level + 1) + f"for {ty}")
        self.line("{")
        self.level += 1

    def open(self, node: Node) -> None:
        self._flush()
        self._open = (node, self.level)
        self.level += 1

    def close(self, suffix: str = "") -> None:
        self.level -= 1
        self._blank = False
        if self._open is not None:
            header, level = self._open
            self._open = None
            self._render_at([header, " {}" + suffix], level)
            return
        self._emit(INDENT * self.level + "}" + suffix)

    def docs(self, docs: str | None, inner: bool = False) -> None:
        if not docs:
            return
        mark = "//!" if inner else "///"
        for ln in doc_lines(docs):
            self._emit(INDENT * self.level + (f"{mark} {ln}" if ln else mark))

    def text(self) -> str:
        assert self._open is None, "a block is left open"
        return "\n".join(self.lines) + "\n"


def doc_lines(docs: str) -> list[str]:
    """The lines of a WIT doc comment for `///`/`//!`/`//` comments: split at any line end
    (rustc rejects a bare CR in a doc comment), tabs expanded, trailing blanks dropped."""
    return [ln.rstrip() for ln in re.split(r"\r\n|\r|\n", docs.replace("\t", "    "))]
