"""`LinkOptions`: the `@unstable(feature = ...)` gates of what a host links, as `bindgen!` has them.

Every `@unstable` item is generated (the wasmtime target loads WIT with all features, as
`bindgen!` does); what changes is what `add_to_linker` registers. An imported interface with
unstable items (its own gate, a type's, a function's) gets a `LinkOptions` struct with one
setter per feature, and its `add_to_linker`/`add_to_linker_instance` take `options:
&LinkOptions` before `host_getter`; the world gets one for everything it imports, converted into
each interface's (`From<&LinkOptions>`). A gated item is registered inside `if options.<f> {`.
"""

from __future__ import annotations

from collections.abc import Callable

from witgen import model as m

from .rustfmt import Writer


def feature_field(feature: str) -> str:
    """The Rust name of a feature's field and setter (`clocks-timezone` -> `clocks_timezone`)."""
    return feature.replace("-", "_")


def _add(out: set[str], s: m.Stability) -> None:
    if s.kind == "unstable" and s.feature is not None:
        out.add(s.feature)


def interface_features(resolve: m.Resolve, iid: int) -> list[str]:
    """The features gating anything of imported interface `iid`, sorted."""
    iface = resolve.interfaces[iid]
    out: set[str] = set()
    _add(out, iface.stability)
    for tid in iface.types.values():
        _add(out, resolve.types[tid].stability)
    for f in iface.functions.values():
        _add(out, f.stability)
    return sorted(out)


def world_features(resolve: m.Resolve, world: m.World) -> list[str]:
    """The features gating anything the world imports, sorted."""
    out: set[str] = set()
    _add(out, world.stability)
    for item in world.imports.values():
        match item:
            case m.InterfaceItem():
                _add(out, item.stability)
                out.update(interface_features(resolve, item.id))
            case m.FunctionItem():
                _add(out, item.function.stability)
            case m.TypeItem():
                _add(out, resolve.types[item.id].stability)
    return sorted(out)


def write_struct(w: Writer, features: list[str], cfg: Callable[[Writer], None]) -> None:
    """`pub struct LinkOptions` with a field and a setter per feature (nothing without any);
    `cfg` writes the attribute each item gets (traits-only crates: the `wasmtime` feature)."""
    if not features:
        return
    w.line("/// Link-time configurations.")
    cfg(w)
    w.line("#[derive(Clone, Debug, Default)]")
    w.open("pub struct LinkOptions")
    for f in features:
        w.line(f"pub(crate) {feature_field(f)}: bool,")
    w.close()
    w.line()
    cfg(w)
    w.open("impl LinkOptions")
    for i, f in enumerate(features):
        if i:
            w.line()
        name = feature_field(f)
        w.line(f"/// Enable members marked as `@unstable(feature = {f})`")
        w.open(f"pub fn {name}(&mut self, enabled: bool) -> &mut Self")
        w.line(f"self.{name} = enabled;")
        w.line("self")
        w.close()
    w.close()
    w.line()


def write_from_world(
    w: Writer, features: list[str], path: str, cfg: Callable[[Writer], None]
) -> None:
    """`From<LinkOptions>` and `From<&LinkOptions>` (the world's) for `path::LinkOptions`."""
    if not features:
        return
    cfg(w)
    w.open_impl("impl ::core::convert::From<LinkOptions>", f"{path}::LinkOptions")
    w.open("fn from(src: LinkOptions) -> Self")
    w.line("(&src).into()")
    w.close()
    w.close()
    w.line()
    cfg(w)
    w.open_impl("impl ::core::convert::From<&LinkOptions>", f"{path}::LinkOptions")
    w.open("fn from(src: &LinkOptions) -> Self")
    w.line("let mut dest = Self::default();")
    for f in features:
        w.line(f"dest.{feature_field(f)}(src.{feature_field(f)});")
    w.line("dest")
    w.close()
    w.close()
    w.line()


def _gate_fields(stabilities: tuple[m.Stability, ...]) -> tuple[str, ...]:
    found = {s.feature for s in stabilities if s.kind == "unstable" and s.feature is not None}
    return tuple(sorted(feature_field(f) for f in found))


def gated(*stabilities: m.Stability) -> bool:
    """Whether an item with these stabilities (its own and its enclosing item's) is gated."""
    return bool(_gate_fields(stabilities))


class Gates:
    """The `if options.<f> {` blocks around the items an `add_to_linker` registers, opened only
    around an item that needs one: never an empty block, one `if a && b {` for an item gated
    twice (its own feature and its interface's or world's), consecutive items under the same
    gates in one block (clippy: `needless_ifs`, `collapsible_if`)."""

    def __init__(self, w: Writer) -> None:
        self.w = w
        self.current: tuple[str, ...] = ()

    def enter(self, *stabilities: m.Stability) -> None:
        """Be inside exactly the gates of an item with these stabilities."""
        fields = _gate_fields(stabilities)
        if fields == self.current:
            return
        self.close()
        if fields:
            self.w.open("if " + " && ".join(f"options.{f}" for f in fields))
            self.current = fields

    def close(self) -> None:
        if self.current:
            self.w.close()
            self.current = ()
