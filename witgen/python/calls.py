"""The bodies of calls across the boundary: export methods (Python -> guest) and import
trampolines (guest -> the host's Python object), with their signatures.

An export checks and converts its arguments (a failure is a `TypeError`/`ValueError` naming the
function and the argument's path), calls the `Func` through the instance context (a trap is a
`WitTrapError`) and converts the result; a function returning `result<T, E>` returns `T` or
raises `WitResultError(e)`. A trampoline converts the guest's arguments, calls the host's
method, and checks and converts what it returned the same way (the path root is `result`); a
host raising `WitResultError` returns `err`.
"""

from __future__ import annotations

from witgen.model import Prim, Resolve, Result_, Type

from . import names as N
from .convert import Converters
from .pytypes import PyTypes, doc_lines
from .scopes import Member


def top_result(resolve: Resolve, t: Type | None) -> Result_ | None:
    """The `result` kind when a function's result is a `result<T, E>`."""
    if t is None:
        return None
    u = resolve.unalias(t)
    if isinstance(u, Prim):
        return None
    kind = resolve.types[u].kind
    return kind if isinstance(kind, Result_) else None


class Calls:
    def __init__(self, resolve: Resolve, types: PyTypes, conv: Converters) -> None:
        self.r = resolve
        self.types = types
        self.conv = conv

    def params(self, m: Member, skip_self: bool) -> list[tuple[str, str, Type]]:
        """(Python name, WIT name, type) of `m`'s parameters."""
        ps = m.func.params[1:] if skip_self else m.func.params
        taken = {"self", "c"}
        return [(N.unique(N.snake(p.name), taken), p.name, p.type) for p in ps]

    def returns(self, m: Member) -> str:
        """The annotation of what the Python side returns."""
        res = top_result(self.r, m.func.result)
        if res is not None:
            return self.types.opt(res.ok)
        return self.types.opt(m.func.result)

    def doc(self, m: Member, exported: bool, ind: str) -> str:
        """The docstring of `m`: its WIT docs, and how a `result`'s `err` travels."""
        text = (m.func.docs or "").strip()
        res = top_result(self.r, m.func.result)
        if res is not None:
            err = self.types.opt(res.err)
            how = (
                f"Raises `WitResultError` whose `value` is the `err` ({err})."
                if exported
                else f"Raise `WitResultError(e)` (e: {err}) to return `err`."
            )
            text = f"{text}\n\n{how}" if text else how
        return doc_lines(text, ind)

    def signature(self, m: Member, skip_self: bool) -> str:
        args = ["self"] + [f"{py}: {self.types.annot(t)}" for py, _, t in self.params(m, skip_self)]
        return f"def {m.name}({', '.join(args)}) -> {self.returns(m)}:"

    def export_body(self, m: Member, fx: int, self_expr: str | None, ind: str) -> str:
        """Statements of an export method; `c` is the context, `self_expr` the resource object
        of a method (None otherwise)."""
        lines = []
        args: list[tuple[str, str, str]] = []  # (root for messages, wit type expr, python expr)
        params = self.params(m, self_expr is not None)
        if self_expr is not None:
            args.append(("self", self.conv.lower(m.func.params[0].type, self_expr), ""))
        for py, wit, t in params:
            args.append((wit, self.conv.lower(t, py), ""))
        xs = []
        if args:
            lines.append(f"_s = {args[0][0]!r}")
            lines.append("try:")
            for i, (root, expr, _) in enumerate(args):
                if i:
                    lines.append(f"    _s = {root!r}")
                lines.append(f"    _x{i} = {expr}")
                xs.append(f"_x{i}")
            lines += ["except _rt.Bad as _e:", f"    raise c.fail(_e, {m.label!r}, _s) from None"]
        call = f"c.call(c.fx[{fx}], {m.label!r}{''.join(', ' + x for x in xs)})"
        res = top_result(self.r, m.func.result)
        if m.func.result is None:
            lines.append(call)
        elif res is not None:
            assert m.func.result is not None
            lines.append(f"_r = {self.conv.lift(m.func.result, call)}")
            lines += ["if isinstance(_r, _rt.Err):", "    raise _rt.WitResultError(_r.value)",
                      "return _r.value"]  # fmt: skip
        else:
            lines.append(f"return {self.conv.lift_typed(m.func.result, call)}")
        return "".join(f"{ind}{line}\n" for line in lines)

    def trampoline(self, m: Member, n: int, target: str, ind: str) -> str:
        """A nested function `f{n}(store, *args)` calling `target` (the host callable, or for a
        method `None`: the lifted self's method)."""
        ps = m.func.params
        xs = [f"a{i}" for i in range(len(ps))]
        sig = ", ".join(["_s: object"] + [f"{x}: _t.Any" for x in xs])
        lifted = [self.conv.lift(p.type, x) for p, x in zip(ps, xs, strict=True)]
        if m.func.kind in ("method", "async-method"):
            call = f"{lifted[0]}.{m.name}({', '.join(lifted[1:])})"
        else:
            call = f"{target}({', '.join(lifted)})"
        lines = [f"def f{n}({sig}) -> _t.Any:"]
        res = top_result(self.r, m.func.result)
        if m.func.result is None:
            lines.append(f"    {call}")
            lines.append("    return None")
        else:
            if res is not None and res.ok is None:
                lines += ["    try:", f"        {call}", "        v: object = _rt.Ok(None)",
                          "    except _rt.WitResultError as err:", "        v = _rt.Err(err.value)"]  # fmt: skip
            elif res is not None:
                lines += ["    try:", f"        v: object = _rt.Ok({call})",
                          "    except _rt.WitResultError as err:", "        v = _rt.Err(err.value)"]  # fmt: skip
            else:
                lines.append(f"    v = {call}")
            lines += ["    try:", f"        return {self.conv.lower(m.func.result, 'v')}",
                      "    except _rt.Bad as e:", f"        raise e.error({m.label!r}, 'result') from None"]  # fmt: skip
        return "".join(f"{ind}{line}\n" for line in lines)
