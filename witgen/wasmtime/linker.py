"""Linker glue for one imported function or resource: the `func_wrap*` closure that calls the
host trait (with trappable-error conversion and error contexts) and the `resource*` entry
that drops a host resource. Used for interfaces and for the world's own imports.
Methods of `CrateGen` (a mixin).
"""

from __future__ import annotations

from witgen import model as m

from .func_flags import MAX_TYPED_PARAMS
from .names import snake, type_name
from .rustfmt import Writer, call, tuple_pat


class Linker:
    """Registers host functions and resources on a `LinkerInstance`/`Linker`."""

    def _closure(self, w: Writer, inst: str, method: str, name: str, head: str) -> None:
        """`inst.method(\n"name",\nhead` as rustfmt lays it out (the body follows)."""
        w.line(f"{inst}.{method}(")
        w.level += 1
        w.line(f'"{name}",')
        w.line(head)
        w.level += 1

    def _closure_end(self, w: Writer) -> None:
        w.level -= 1
        w.line("},")
        w.level -= 1
        w.line(")?;")

    def link_function(self, w: Writer, key, f: m.Function, trait_of, inst: str) -> None:
        fl = self.import_flags(key, f)
        if len(f.params) > MAX_TYPED_PARAMS:
            # wasmtime's typed API stops at 17 parameters (bindgen! fails to compile here)
            w.line(f'{inst}.func_new("{f.name}", |_, _, _, _| {{')
            w.level += 1
            w.line(f'::wasmtime::bail!("`{f.name}` has more than {MAX_TYPED_PARAMS} parameters")')
            w.level -= 1
            w.line("})?;")
            return
        args = [f"arg{i}" for i in range(len(f.params))]
        method = (
            "func_wrap_concurrent"
            if fl.concurrent
            else "func_wrap_async"
            if fl.async_
            else "func_wrap"
        )
        alias = self.params_aliases[f.name]
        if fl.concurrent:
            head = f"move |caller: &::wasmtime::component::Accessor<T>, params: {alias}| {{"
        else:
            head = f"move |mut caller: ::wasmtime::StoreContextMut<'_, T>, params: {alias}| {{"
        self._closure(w, inst, method, f.name, head)
        w.line(["let ", tuple_pat(args), " = params;"] if args else "let () = params;")
        if fl.async_:
            w.line("Box::" + ("pin" if fl.concurrent else "new") + "(async move {")
            w.level += 1
        if fl.concurrent:
            w.line("let host = &caller.with_getter::<D>(host_getter);")
            callee = f"<D as {trait_of}WithStore<T>>::{self.fn_name(f)}"
        else:
            w.line("let host = &mut host_getter(caller.data_mut());")
            callee = f"{trait_of}::{self.fn_name(f)}"
        te = self.trappable_error(f) if fl.trappable else None
        if not fl.trappable and f.result is None:
            if fl.async_:
                w.let_await("", call(callee, ["host", *args]))
            else:
                w.line([call(callee, ["host", *args]), ";"])
            w.line("Ok(())")
            if fl.async_:
                w.level -= 1
                w.line("})")
            self._closure_end(w)
            return
        if fl.async_:
            w.let_await("let r", call(callee, ["host", *args]))
        else:
            w.let("let r", call(callee, ["host", *args]))
        site = self.site(key) if self.o.error_context and fl.trappable else None
        if not fl.trappable:
            w.line("Ok((r,))" if f.result is not None else "Ok(r)")
        elif te is not None:
            _r, eid, _rust = te
            owner = self.r.types[eid].owner
            conv_trait = "Host" if owner.id == self.cur[0] else f"{self.iface_mod(owner.id)}::Host"
            ename = snake(self.r.types[eid].name)
            w.open("let r = match r")
            w.line("Ok(a) => Ok(a),")
            w.open("Err(e) =>")
            if fl.concurrent:
                w.let(
                    "let e",
                    call(
                        "caller.with",
                        [f"|mut h| {conv_trait}::convert_{ename}(&mut host_getter(h.get()), e)"],
                    ),
                )
            else:
                w.let("let e", call(f"{conv_trait}::convert_{ename}", ["host", "e"]))
            if site:
                w.let("let e", [call("crate::witgen_rt::serving", ["e", site, f'"{f.name}"']), "?"])
                w.line("Err(e)")
            else:
                w.line("Err(e?)")
            w.close()
            w.close(";")
            w.line("Ok((r,))")
        elif f.result is None:
            w.line(call("crate::witgen_rt::serving", ["r", site, f'"{f.name}"']) if site else "r")
        else:
            if site:
                w.let("let r", [call("crate::witgen_rt::serving", ["r", site, f'"{f.name}"']), "?"])
            else:
                w.line("let r = r?;")
            w.line("Ok((r,))")
        if fl.async_:
            w.level -= 1
            w.line("})")
        self._closure_end(w)

    def add_resource(
        self, w: Writer, key, tid: int, wit_name: str, inst: str, trait_path: str
    ) -> None:
        cname = type_name(wit_name)
        dfl = self.drop_flags(key, wit_name)
        site = self.site(key) if self.o.error_context else None
        method = "resource_async" if dfl.async_ else "resource"
        w.line(f"{inst}.{method}(")
        w.level += 1
        w.line(f'"{wit_name}",')
        w.line(f"::wasmtime::component::ResourceType::host::<{cname}>(),")
        w.line("move |mut store, rep| {")
        w.level += 1
        if dfl.async_:
            w.line("Box::new(async move {")
            w.level += 1
        w.line("let resource = ::wasmtime::component::Resource::new_own(rep);")
        w.line("let host = &mut host_getter(store.data_mut());")
        if site:
            if dfl.async_:
                w.let_await("let r", call(f"{trait_path}::drop", ["host", "resource"]))
            else:
                w.let("let r", call(f"{trait_path}::drop", ["host", "resource"]))
            w.line(call("crate::witgen_rt::serving", ["r", site, f'"[resource-drop]{wit_name}"']))
        else:
            if dfl.async_:
                w.let_await("", call(f"{trait_path}::drop", ["host", "resource"]), "")
            else:
                w.line(call(f"{trait_path}::drop", ["host", "resource"]))
        if dfl.async_:
            w.level -= 1
            w.line("})")
        w.level -= 1
        w.line("},")
        w.level -= 1
        w.line(")?;")
