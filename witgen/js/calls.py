"""The calls across the boundary, rendered from each function's plan: export wrappers (JS calls
the guest: lower the arguments, call the core export, lift the result, post-return) and import
trampolines (the guest calls JS: lift the arguments, call the host, lower the result).
"""

from __future__ import annotations

import json

from witgen.abi.plan import Direction, FuncPlan, ParamPlan, ResultPassing
from witgen.abi.shapes import VariantKind, VariantShape
from witgen.model import Function

from . import names as N
from .emitted import Emitted
from .lift import Lifter
from .lower import Lowerer

EXPORT, IMPORT = Direction.EXPORT, Direction.IMPORT


def returns_result(fp: FuncPlan) -> bool:
    """The function's result is a WIT `result`: its `err` case is thrown, not returned."""
    shape = fp.result.shape if fp.result is not None else None
    return isinstance(shape, VariantShape) and shape.kind is VariantKind.RESULT


def _roots(func: Function) -> list[str]:
    """The name of each param in error messages."""
    return [
        "self" if (i == 0 and func.base_kind == "method") else N.camel(p.name)
        for i, p in enumerate(func.params)
    ]


def _guarded(steps: list[tuple[int, str]], roots: list[str], lab: str, names: list[str]) -> list[str]:
    """Statements declaring `names` and running `steps` (param index, statement) in one `try`
    whose error names the failing param; `k` tracks the param only when there are several."""
    several = len({i for i, _ in steps}) > 1
    cur = steps[0][0]
    body = []
    for i, stmt in steps:
        if several and i != cur:
            body.append(f"k = {i};")
            cur = i
        body.append(stmt)
    root = f"{json.dumps(roots)}[k]" if several else json.dumps(roots[steps[0][0]])
    decl = ([f"k = {steps[0][0]}"] if several else []) + names
    return ([f"let {', '.join(decl)};"] if decl else []) + [
        f"try {{ {' '.join(body)} }} catch (e) {{ throw fail(st, e, {lab}, {root}); }}"
    ]


class CallRenderer:
    """Bodies of export wrappers and import trampolines."""

    def __init__(self, out: Emitted, lower: Lowerer, lift: Lifter) -> None:
        self.out = out
        self.lower = lower
        self.lift = lift

    # --- JS calls the guest -----------------------------------------------------------------

    def export_body(
        self,
        fp: FuncPlan,
        label: str,
        args: list[str],
        core: str,
        post: str | None,
        ind: str,
        ctor_of: int | None = None,
    ) -> str:
        """The body of the JS method calling export `fp` (`args`: its JS arguments)."""
        lab = json.dumps(label)
        out = [f"live(st, {lab});"]
        call_args: list[str] = []
        if fp.params:
            call_args = self._lower_params(fp, args, lab, out)
        has_res = fp.signature.results != ()
        call = f"{core}({', '.join(call_args)})"
        out.append(
            f"let r; try {{ r = {call}; }} catch (e) {{ throw trap(st, e, {lab}); }}"
            if has_res
            else f"try {{ {call}; }} catch (e) {{ throw trap(st, e, {lab}); }}"
        )
        if fp.lends_handles:
            self.out.use("lend")
            out.append("if (st.lent.length) unlend(st);")
        post_call = ""
        if post:
            self.out.use("post")
            post_call = f"if ({post}) post(st, {post}, {'r' if has_res else 'undefined'}, {lab});"
        if fp.result is None:
            if post_call:
                out.append(post_call)
            return "".join(f"{ind}{ln}\n" for ln in out)
        self._lift_result(fp, lab, out, ctor_of)
        if post_call:
            out.append(post_call)
        if ctor_of is not None:
            out.append(f"this[REP] = v; st.C{ctor_of}[FR].register(this, v, this);")
        elif returns_result(fp):
            self.out.use("WitResultError")
            out.append('if (v.tag === "err") throw new WitResultError(v.val);')
            out.append("return v.val;")
        else:
            out.append("return v;")
        return "".join(f"{ind}{ln}\n" for ln in out)

    def _lower_params(self, fp: FuncPlan, args: list[str], lab: str, out: list[str]) -> list[str]:
        """Append the statements lowering `args`; the core call's arguments."""
        steps: list[tuple[int, str]] = []
        if fp.block is not None:
            self.out.use("alloc")
            names = ["q"]
            steps.append((0, f"q = alloc(st, {fp.block.size}, {fp.block.align});"))
            for i, p in enumerate(fp.params):
                steps.append((i, self.lower.store(p.type, args[i], f"q + {p.offset}", EXPORT)))
            call_args = ["q"]
        elif all(p.shape.facts.direct or p.shape.facts.ptr_len for p in fp.params):
            xs: list[str] = []
            for i, p in enumerate(fp.params):
                if p.shape.facts.direct:
                    x = self.lower.lower_flat_expr(p.type, args[i], EXPORT, json.loads(lab))
                    steps.append((i, f"x{len(xs)} = {x};"))
                    xs.append(f"x{len(xs)}")
                else:
                    a, b = f"x{len(xs)}", f"x{len(xs) + 1}"
                    x = self.lower.lower_ptr_len(p.shape, args[i], EXPORT)
                    steps.append((i, f"{a} = {x}; {b} = st.n;"))
                    xs += [a, b]
            names = xs
            call_args = xs
        else:
            out.append("const o = [];")
            names = []
            for i, p in enumerate(fp.params):
                steps.append((i, self.lower.lower_flat_push(p.type, args[i], "o", EXPORT)))
            call_args = ["...o"]
        out.extend(_guarded(steps, _roots(fp.func), lab, names))
        return call_args

    def _lift_result(self, fp: FuncPlan, lab: str, out: list[str], ctor_of: int | None) -> None:
        """Append the statements lifting the export's result `r` into `v`."""
        assert fp.result is not None
        res, shape = fp.result, fp.result.shape
        returned_ptr = res.passing is ResultPassing.RETURNED_POINTER
        # the call may have grown memory: refresh the views before reading it
        pre = ""
        if returned_ptr or shape.facts.touches_memory:
            self.out.use("mem")
            pre = "mem(st); "
        if ctor_of is not None:
            self.out.use("Tbl", "xres")
            set_v = f"v = st.g{ctor_of}.take(r, true);"
        elif returned_ptr:
            self.out.use("rng")
            load = self.lift.load(res.type, "rp", EXPORT)
            set_v = f"const rp = rng(st, r, {shape.size}, {shape.align}); v = {load};"
        elif shape.facts.direct:
            set_v = f"v = {self.lift.lift_flat_direct(shape, 'r', EXPORT)};"
        else:
            set_v = f"v = {self.lift.lift_flat(res.type, '[r]', 0, EXPORT)};"
        if self.lift.can_fail(res.type) or returned_ptr or ctor_of is not None:
            out.append(
                f'let v; try {{ {pre}{set_v} }} catch (e) {{ throw fail(st, e, {lab}, "result"); }}'
            )
        else:
            out.append(f"{pre}const {set_v}")

    # --- the guest calls JS -----------------------------------------------------------------

    def trampoline(self, n: int, fp: FuncPlan, label: str, call: str) -> str:
        """`function t<n>(...)`: the core import `fp`, calling the host with JS `call`, which
        takes the lifted arguments `x0`, `x1`, ..."""
        lab, args, out = self.import_head(fp, label)
        if fp.result is None:
            out.append(f"{call};")
        else:
            self._lower_result(fp, call, args, lab, out)
        return f"function t{n}({', '.join(args)}) {{\n" + "".join(f"  {ln}\n" for ln in out) + "}\n"

    def import_head(self, fp: FuncPlan, label: str) -> tuple[str, list[str], list[str]]:
        """What every core import's function starts with: its JSON label, its core parameter
        names `a0`, ... and the statements so far (the state, memory, the params lifted into
        `x0`, ...)."""
        lab = json.dumps(label)
        args = [f"a{i}" for i in range(len(fp.signature.params))]
        out = ["const st = this;"]
        if fp.needs_memory:
            self.out.use("mem")
            out.append("mem(st);")
        if fp.params:
            self._lift_params(fp, args, lab, out)
        return lab, args, out

    def _lift_params(self, fp: FuncPlan, args: list[str], lab: str, out: list[str]) -> None:
        """Append the statements lifting the core args into `x0`, `x1`, ...; a param whose
        lifting cannot fail (a number, a bool) is lifted outside the `try`."""
        steps: list[tuple[int, str]] = []
        names = []
        if fp.block is not None:
            self.out.use("rng")
            steps.append((0, f"const q = rng(st, a0, {fp.block.size}, {fp.block.align});"))
            for i, p in enumerate(fp.params):
                steps.append((i, f"x{i} = {self.lift.load(p.type, f'q + {p.offset}', IMPORT)};"))
                names.append(f"x{i}")
        else:
            if not all(p.shape.facts.direct or p.shape.facts.ptr_len for p in fp.params):
                out.append(f"const A = [{', '.join(args)}];")
            safe = []
            for i, p in enumerate(fp.params):
                if p.shape.facts.direct and not self.lift.can_fail(p.type):
                    safe.append(f"x{i} = {self._lift_flat_param(p)}")
                else:
                    steps.append((i, f"x{i} = {self._lift_flat_param(p)};"))
                    names.append(f"x{i}")
            if safe:
                out.append(f"const {', '.join(safe)};")
        if steps:
            out.extend(_guarded(steps, _roots(fp.func), lab, names))

    def _lift_flat_param(self, p: ParamPlan) -> str:
        pos = p.flat_start
        assert pos is not None
        if p.shape.facts.direct:
            return self.lift.lift_flat_direct(p.shape, f"a{pos}", IMPORT)
        if p.shape.facts.ptr_len:
            return self.lift.lift_ptr_len(p.shape, f"a{pos}", f"a{pos + 1}", IMPORT)
        return self.lift.lift_flat(p.type, "A", pos, IMPORT)

    def _lower_result(
        self, fp: FuncPlan, call: str, args: list[str], lab: str, out: list[str]
    ) -> None:
        assert fp.result is not None
        res, shape = fp.result, fp.result.shape
        if returns_result(fp):
            self.out.use("WitResultError")
            out.append(
                f'let v; try {{ v = {{ tag: "ok", val: {call} }}; }} '
                'catch (e) { if (!isResErr(e)) throw e; v = { tag: "err", val: e.payload }; }'
            )
        else:
            out.append(f"const v = {call};")
        # a bad value here is the host's: `fail` says the host returned it
        blame = f'catch (e) {{ throw fail(st, e, {lab}, "result", 1); }}'
        if res.passing is ResultPassing.RETURN_POINTER:
            self.out.use("rng", "mem")
            store = self.lower.store(res.type, "v", "q", IMPORT)
            # the host may have re-entered the guest and grown memory: refresh the views
            out.append(
                f"try {{ mem(st); const q = rng(st, {args[-1]}, {shape.size}, {shape.align}); "
                f"{store} }} {blame}"
            )
        elif shape.facts.direct:
            out.append(f"try {{ return {self.lower.lower_flat_expr(res.type, 'v', IMPORT)}; }} {blame}")
        else:
            out.append(
                f"const o = []; try {{ {self.lower.lower_flat_push(res.type, 'v', 'o', IMPORT)} }} "
                f"{blame}"
            )
            out.append("return o[0];")
