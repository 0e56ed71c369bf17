"""The calls across the boundary: export wrappers (JS calls the guest: lower the arguments, call
the core export, lift the result, post-return) and import trampolines (the guest calls JS:
lift the arguments, call the host, lower the result).
"""

from __future__ import annotations

import json

from witgen.abi import AbiVariant, flatten_type, signature
from witgen.abi.layout import align_to

from . import names as N
from .model import Fn


class Calls:
    """Bodies of export wrappers and import trampolines."""

    def export_body(
        self,
        fn: Fn,
        args: list[str],
        core: str,
        post: str | None,
        ind: str,
        ctor_of: int | None = None,
    ) -> str:
        func, ctx = fn.func, "e"
        sig = signature(self.r, func, AbiVariant.EXPORT)
        label = json.dumps(fn.label)
        roots = [
            "self" if (i == 0 and func.kind == "method") else N.camel(p.name)
            for i, p in enumerate(func.params)
        ]
        out = [f"live(st, {label});"]
        call_args: list[str] = []
        if func.params:
            types = [p.type for p in func.params]
            lines = []
            if sig.indirect_params:
                self.needs_memory = self.needs_realloc = True
                self.use("alloc")
                offs = self.lay.record_offsets(types)
                align = max(self.lay.align(t) for t in types)
                size = align_to(offs[-1] + self.lay.size(types[-1]), align)
                out.append("let k = 0, q;")
                lines.append(f"q = alloc(st, {size}, {align});")
                for i, (t, off) in enumerate(zip(types, offs, strict=False)):
                    lines.append(f"k = {i}; {self.store(t, args[i], f'q + {off}', ctx)}")
                call_args = ["q"]
            elif all(
                self.is_direct(t) or self.touches_mem(t) and self.is_ptr_len(t) for t in types
            ):
                xs = []
                for i, t in enumerate(types):
                    if self.is_direct(t):
                        lines.append(
                            f"{self.kset(i)}x{len(xs)} = {self.lower_flat_expr(t, args[i], ctx)};"
                        )
                        xs.append(f"x{len(xs)}")
                    else:
                        a, b = f"x{len(xs)}", f"x{len(xs) + 1}"
                        lines.append(
                            f"{self.kset(i)}{a} = {self.lower_ptr_len(t, args[i], ctx)}; {b} = st.n;"
                        )
                        xs += [a, b]
                out.append(f"let k = 0, {', '.join(xs)};")
                call_args = xs
            else:
                out.append("let k = 0; const o = [];")
                for i, t in enumerate(types):
                    lines.append(f"k = {i}; {self.lower_flat_push(t, args[i], 'o', ctx)}")
                call_args = ["...o"]
            out.append(
                f"try {{ {' '.join(lines)} }} catch (e) {{ throw fail(st, e, {label}, {json.dumps(roots)}[k]); }}"
            )
        has_res = sig.results != ()
        out.append(
            f"let r; try {{ r = {core}({', '.join(call_args)}); }} catch (e) {{ throw trap(st, e, {label}); }}"
            if has_res
            else f"try {{ {core}({', '.join(call_args)}); }} catch (e) {{ throw trap(st, e, {label}); }}"
        )
        if any(self.has_handle(p.type) for p in func.params):
            self.use("lend")
            out.append("if (st.lent.length) unlend(st);")
        t = func.result
        post_call = ""
        if post:
            self.use("post")
            post_call = f"if ({post} !== undefined) post(st, {post}, {'r' if has_res else 'undefined'}, {label});"
        if t is None:
            if post_call:
                out.append(post_call)
            return "".join(f"{ind}{ln}\n" for ln in out)
        if sig.retptr or self.touches_mem(t):
            self.needs_memory = True
            self.use("mem")
            out.append("mem(st);")
        if ctor_of is not None:
            self.use("Tbl", "xres")
            expr = f"st.g{ctor_of}.take(r, true)"
        elif sig.retptr:
            self.use("rng")
            size, align = self.lay.size(t), self.lay.align(t)
            expr = f"(rp = rng(st, r, {size}, {align}), {self.load(t, 'rp', ctx)})"
            out.append("let rp;")
        elif self.is_direct(t):
            expr = self.lift_flat_direct(t, "r", ctx)
        else:
            expr = self.lift_flat(t, "[r]", 0, ctx)
        if self.lift_can_fail(t) or sig.retptr or ctor_of is not None:
            out.append(
                f'let v; try {{ v = {expr}; }} catch (e) {{ throw fail(st, e, {label}, "result"); }}'
            )
        else:
            out.append(f"const v = {expr};")
        if post_call:
            out.append(post_call)
        if ctor_of is not None:
            out.append(f"this[REP] = v; st.C{ctor_of}[FR].register(this, v, this);")
        elif self.result_type(func) is not None:
            self.use("WitResultError")
            out.append('if (v.tag === "err") throw new WitResultError(v.val);')
            out.append("return v.val;")
        else:
            out.append("return v;")
        return "".join(f"{ind}{ln}\n" for ln in out)

    @staticmethod
    def kset(i: int) -> str:
        return "" if i == 0 else f"k = {i}; "

    def trampoline(self, n: int, fn: Fn) -> str:
        func, ctx = fn.func, "i"
        sig = signature(self.r, func, AbiVariant.IMPORT)
        label = json.dumps(fn.label)
        ncore = len(sig.params)
        args = [f"a{i}" for i in range(ncore)]
        out = ["const st = this;"]
        types = [p.type for p in func.params]
        roots = [
            "self" if (i == 0 and func.kind == "method") else N.camel(p.name)
            for i, p in enumerate(func.params)
        ]
        if (
            sig.indirect_params
            or sig.retptr
            or any(self.touches_mem(t) for t in types)
            or self.touches_mem(func.result)
        ):
            self.needs_memory = True
            self.use("mem")
            out.append("mem(st);")
        xs = [f"x{i}" for i in range(len(types))]
        if types:
            lines = []
            if sig.indirect_params:
                self.use("rng")
                offs = self.lay.record_offsets(types)
                align = max(self.lay.align(t) for t in types)
                size = align_to(offs[-1] + self.lay.size(types[-1]), align)
                lines.append(f"const q = rng(st, a0, {size}, {align});")
                for i, (t, off) in enumerate(zip(types, offs, strict=False)):
                    lines.append(f"k = {i}; x{i} = {self.load(t, f'q + {off}', ctx)};")
            else:
                pos = 0
                arr_needed = False
                for i, t in enumerate(types):
                    nflat = len(flatten_type(self.r, t))
                    if self.is_direct(t):
                        e = self.lift_flat_direct(t, f"a{pos}", ctx)
                    elif self.is_ptr_len(t):
                        e = self.lift_ptr_len(t, f"a{pos}", f"a{pos + 1}", ctx)
                    else:
                        arr_needed = True
                        e = self.lift_flat(t, "A", pos, ctx)
                    lines.append(f"k = {i}; x{i} = {e};")
                    pos += nflat
                if arr_needed:
                    out.append(f"const A = [{', '.join(args)}];")
            out.append(f"let k = 0, {', '.join(xs)};")
            out.append(
                f"try {{ {' '.join(lines)} }} catch (e) {{ throw fail(st, e, {label}, {json.dumps(roots)}[k]); }}"
            )
        # the host call
        if func.kind == "constructor":
            call = f"new st.R{self.uid(func.resource)}({', '.join(xs)})"
        elif func.kind == "method":
            self.use("ires")
            call = (
                f"hostMethod(x0, {json.dumps(N.camel(func.item_name))}, {label}).call("
                f"{', '.join(xs)})"
            )
        elif func.kind == "static":
            call = f"{N.member(f'st.R{self.uid(func.resource)}', N.camel(func.item_name))}({', '.join(xs)})"
        else:
            call = f"{N.member(f'st.o{n}', N.camel(func.item_name))}({', '.join(xs)})"
        t = func.result
        if t is None:
            out.append(f"{call};")
            return (
                f"function t{n}({', '.join(args)}) {{\n"
                + "".join(f"  {ln}\n" for ln in out)
                + "}\n"
            )
        if self.result_type(func) is not None:
            self.use("WitResultError")
            out.append(
                f'let v; try {{ v = {{ tag: "ok", val: {call} }}; }} '
                'catch (e) { if (!isResErr(e)) throw e; v = { tag: "err", val: e.payload }; }'
            )
        else:
            out.append(f"const v = {call};")
        if sig.retptr:
            self.use("rng")
            size, align = self.lay.size(t), self.lay.align(t)
            ret = args[-1]
            out.append(
                f"try {{ const q = rng(st, {ret}, {size}, {align}); {self.store(t, 'v', 'q', ctx)} }} "
                f'catch (e) {{ throw fail(st, e, {label}, "result"); }}'
            )
        elif self.is_direct(t):
            out.append(
                f"try {{ return {self.lower_flat_expr(t, 'v', ctx)}; }} "
                f'catch (e) {{ throw fail(st, e, {label}, "result"); }}'
            )
        else:
            out.append(
                f"const o = []; try {{ {self.lower_flat_push(t, 'v', 'o', ctx)} }} "
                f'catch (e) {{ throw fail(st, e, {label}, "result"); }}'
            )
            out.append("return o[0];")
        return f"function t{n}({', '.join(args)}) {{\n" + "".join(f"  {ln}\n" for ln in out) + "}\n"
