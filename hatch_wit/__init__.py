"""hatch_wit: the hatchling build hook that generates WIT bindings (plugin name `wit`).

```toml
[build-system]
requires = ["hatchling", "witgen"]
build-backend = "hatchling.build"

[tool.hatch.build.hooks.wit]   # empty: wit/'s only world -> JS package inside the wheel
```

The hook only reads the config (`witgen.config`, schema in docs/config.md) and calls the
content-hash engine through `witgen.targets.build_binding`; see `hatch_wit.hook`.
"""

from hatch_wit.hook import WitBuildHook

__all__ = ["WitBuildHook"]
