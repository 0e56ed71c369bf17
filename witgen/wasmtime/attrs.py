"""Attributes on generated items: derives, `#[component(...)]`, the `cfg`s of traits-only mode
and the `const _` layout assertions (sizes from the canonical ABI, `witgen.abi.layout`).
"""

from __future__ import annotations

from witgen.abi.layout import Layouts
from witgen.abi.typeinfo import TypeInfos

from .rustfmt import Writer, derive


class Attrs:
    """Writes attributes, behind `cfg`/`cfg_attr(feature = "wasmtime")` in traits-only mode."""

    def __init__(
        self, traits_only: bool, additional_derives: list[str], info: TypeInfos, layouts: Layouts
    ) -> None:
        self.tonly = traits_only
        self.additional_derives = additional_derives
        self.info = info
        self.layouts = layouts

    def wt_attr(self, w: Writer, attr: str) -> None:
        """An attribute that only exists with wasmtime (`cfg_attr` in traits-only mode)."""
        if self.tonly:
            inner = f'feature = "wasmtime", {attr}'
            if len(inner) <= 70 and w.col + len(inner) + 13 <= 100:
                w.line(f"#[cfg_attr({inner})]")
            else:
                w.line("#[cfg_attr(")
                w.level += 1
                w.line('feature = "wasmtime",')
                w.line(attr)
                w.level -= 1
                w.line(")]")
        else:
            w.line(f"#[{attr}]")

    def async_cfg(self, w: Writer) -> None:
        if self.tonly:
            w.line('#[cfg(all(feature = "wasmtime", feature = "async"))]')
        else:
            w.line('#[cfg(feature = "async")]')

    def wt_cfg(self, w: Writer) -> None:
        if self.tonly:
            w.line('#[cfg(feature = "wasmtime")]')

    def derive_component(self, w: Writer, kind: str, lift: bool = True) -> None:
        ds = ["::wasmtime::component::ComponentType"]
        if lift:
            ds.append("::wasmtime::component::Lift")
        ds.append("::wasmtime::component::Lower")
        if self.tonly:
            for d in ds:
                self.wt_attr(w, f"derive({d})")
        else:
            w.line(derive(ds))
        self.wt_attr(w, f"component({kind})")

    def std_derives(self, w: Writer, tid: int, extra: tuple[str, ...] = ()) -> None:
        """`Clone`/`Copy` when the type allows, `extra` and the additional derives; never
        `Debug`: records and variants print as bindgen!'s (`TypeDefs.debug_*`)."""
        # bindgen!'s rules: a handle, future or stream is neither `Copy` nor `Clone` (even inside
        # a payload); a string, list or map is not `Copy`
        facts = self.info.facts(tid)
        ds: list[str] = []
        if not (facts.handle_anywhere or facts.has_future_or_stream):
            ds += ["Clone"] if facts.list_anywhere else ["Clone", "Copy"]
        ds += list(extra)
        ds += [d for d in self.additional_derives if d not in ds and d != "Debug"]
        if ds:
            w.line(derive(ds))

    def assert_layout(self, w: Writer, tid: int, name: str, generic: bool) -> None:
        if generic:
            return
        size = self.layouts.size(tid)
        align = self.layouts.align(tid)
        self.wt_cfg(w)
        w.open("const _: () =")
        w.line(f"assert!({size} == <{name} as ::wasmtime::component::ComponentType>::SIZE32);")
        w.line(f"assert!({align} == <{name} as ::wasmtime::component::ComponentType>::ALIGN32);")
        w.close(";")
