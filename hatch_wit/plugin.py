"""Registers the `wit` build hook with hatchling (entry point `hatch: wit = hatch_wit.plugin`)."""

from hatchling.plugin import hookimpl

from hatch_wit.hook import WitBuildHook


@hookimpl
def hatch_register_build_hook() -> type[WitBuildHook]:
    return WitBuildHook
