"""Linker glue for one imported function or resource: the `func_wrap*` closure that calls the
host trait (with trappable-error conversion and error contexts) and the `resource*` entry
that drops a host resource. Used for interfaces and for the world's own imports.
"""

from __future__ import annotations

from witgen import model as m

from .func_flags import MAX_TYPED_PARAMS, Flags, FunctionFlags
from .host_traits import convert_name, fn_name
from .options import Options
from .paths import Paths, Scope, Site
from .rustfmt import Writer, call, tuple_pat
from .type_exprs import STD_PATHS


class Linker:
    """Registers host functions and resources on a `LinkerInstance`/`Linker`."""

    def __init__(
        self,
        resolve: m.Resolve,
        opts: Options,
        flags: FunctionFlags,
        paths: Paths,
        site: Site,
        scope: Scope,
    ) -> None:
        self.r = resolve
        self.o = opts
        self.flags = flags
        self.paths = paths
        self.site = site
        self.scope = scope
        # `Box::new`, or its full path where a WIT type `box` takes the name
        self.box = STD_PATHS["Box"] if "Box" in paths.own_type_names(scope) else "Box"

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

    def link_function(
        self, w: Writer, key: m.WorldKey | None, f: m.Function, trait_of: str, inst: str, alias: str
    ) -> None:
        """`inst.func_wrap*("f", closure)` calling `trait_of`'s method for `f`; `alias` names
        the tuple type of its parameters."""
        fl = self.flags.import_flags(key, f)
        if len(f.params) > MAX_TYPED_PARAMS:
            # wasmtime's typed API stops at 17 parameters (bindgen! fails to compile here)
            w.line(f'{inst}.func_new("{f.name}", |_, _, _, _| {{')
            w.level += 1
            w.line(f'::wasmtime::bail!("`{f.name}` has more than {MAX_TYPED_PARAMS} parameters")')
            w.level -= 1
            w.line("})?;")
            return
        args = [f"arg{i}" for i in range(len(f.params))]
        if fl.concurrent:
            method = "func_wrap_concurrent"
            head = f"move |caller: &::wasmtime::component::Accessor<T>, params: {alias}| {{"
        else:
            method = "func_wrap_async" if fl.async_ else "func_wrap"
            head = f"move |mut caller: ::wasmtime::StoreContextMut<'_, T>, params: {alias}| {{"
        self._closure(w, inst, method, f.name, head)
        w.line(["let ", tuple_pat(args), " = params;"] if args else "let () = params;")
        if fl.async_:
            w.line(f"{self.box}::" + ("pin" if fl.concurrent else "new") + "(async move {")
            w.level += 1
        if fl.concurrent:
            w.line("let host = &caller.with_getter::<D>(host_getter);")
            callee = f"<D as {trait_of}WithStore<T>>::{fn_name(self.r, f)}"
        else:
            w.line("let host = &mut host_getter(caller.data_mut());")
            callee = f"{trait_of}::{fn_name(self.r, f)}"
        host_call = call(callee, ["host", *args])
        if not fl.trappable and f.result is None:
            if fl.async_:
                w.let_await("", host_call)
            else:
                w.line([host_call, ";"])
            w.line("Ok(())")
        else:
            if fl.async_:
                w.let_await("let r", host_call)
            else:
                w.let("let r", host_call)
            self._host_result(w, f, fl)
        if fl.async_:
            w.level -= 1
            w.line("})")
        self._closure_end(w)

    def _host_result(self, w: Writer, f: m.Function, fl: Flags) -> None:
        """What the closure returns for the host's result `r`: trappable errors converted
        (`convert_<error>`) or turned into traps with the function as error context."""
        site = self.site.expr() if self.o.error_context and fl.trappable else None
        te = self.flags.trappable_error(f) if fl.trappable else None
        if not fl.trappable:
            w.line("Ok((r,))" if f.result is not None else "Ok(r)")
        elif te is not None:
            self._convert_error(w, f, fl, te[1], site)
            w.line("Ok((r,))")
        elif f.result is None:
            w.line(call("crate::witgen_rt::serving", ["r", site, f'"{f.name}"']) if site else "r")
        else:
            if site:
                w.let("let r", [call("crate::witgen_rt::serving", ["r", site, f'"{f.name}"']), "?"])
            else:
                w.line("let r = r?;")
            w.line("Ok((r,))")

    def _convert_error(
        self, w: Writer, f: m.Function, fl: Flags, eid: int, site: str | None
    ) -> None:
        """`let r = match r { .. }`: the trappable error `e` converted to the WIT error type."""
        td = self.r.types[eid]
        assert td.owner is not None and td.name is not None, "error types are named"
        if td.owner.id == self.scope.iface:
            conv_trait = "Host"
        else:
            conv_trait = f"{self.paths.iface_mod(td.owner.id, self.scope)}::Host"
        convert = f"{conv_trait}::{convert_name(self.r, eid)}"
        w.open("let r = match r")
        w.line("Ok(a) => Ok(a),")
        w.open("Err(e) =>")
        if fl.concurrent:
            w.let(
                "let e", call("caller.with", [f"|mut h| {convert}(&mut host_getter(h.get()), e)"])
            )
        else:
            w.let("let e", call(convert, ["host", "e"]))
        if site:
            w.let("let e", [call("crate::witgen_rt::serving", ["e", site, f'"{f.name}"']), "?"])
            w.line("Err(e)")
        else:
            w.line("Err(e?)")
        w.close()
        w.close(";")

    def add_resource(
        self, w: Writer, key: m.WorldKey | None, tid: int, inst: str, trait_path: str
    ) -> None:
        """`inst.resource*("res", ..)` with the destructor calling `trait_path`'s `drop`."""
        wit_name = self.r.types[tid].name
        assert wit_name is not None, "resources are named"
        cname = self.paths.rust_type_name(tid)
        dfl = self.flags.drop_flags(key, wit_name)
        site = self.site.expr() if self.o.error_context else None
        method = "resource_async" if dfl.async_ else "resource"
        w.line(f"{inst}.{method}(")
        w.level += 1
        w.line(f'"{wit_name}",')
        w.line(f"::wasmtime::component::ResourceType::host::<{cname}>(),")
        w.line("move |mut store, rep| {")
        w.level += 1
        if dfl.async_:
            w.line(f"{self.box}::new(async move {{")
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
