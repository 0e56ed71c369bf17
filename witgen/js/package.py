"""The npm package's shape: which files it has, its `package.json` (conditional exports, npm
metadata) and the options that control them.

With a bundled core module the package has two entries over one body of bindings: `index.js`
(the `node` condition: `load()` reads the module from the file system) and `browser.js` (the
`browser` and `default` conditions: `load()` fetches it), both re-exporting `bindings.js`, so a
browser build never sees a `node:` import and Node never takes the fetch path. Without one the
bindings are `index.js` alone. A module of at most `inline_wasm_max` bytes is inlined as base64
(`<world>.core.wasm.js`) instead of shipped as a file.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass

from witgen.errors import WitError

#: the package's options besides the bindings' own (see `options.py`)
PACKAGE_OPTIONS = (
    "description",
    "license",
    "repository",
    "keywords",
    "author",
    "engines",
    "inline_wasm_max",
)

#: The package is ESM only; `require()` of it needs require(esm), unflagged since these.
NODE_ENGINES = "^20.19.0 || >=22.12.0"


@dataclass(frozen=True)
class Metadata:
    """npm metadata, as `package.json` writes it (None: left out)."""

    description: str
    license: str | None
    repository: dict[str, str] | None
    keywords: tuple[str, ...]
    author: str | dict[str, str] | None
    engines: dict[str, str]


@dataclass(frozen=True)
class Layout:
    """The files of a package: the bindings' file, the entries and the core module's form."""

    world: str
    #: the core module's file name (`<world>.core.wasm`), or None without a bundled module
    wasm: str | None
    #: the module inlined as base64 in `<wasm>.js` instead of shipped as a file
    inline: bool

    @property
    def bindings(self) -> str:
        return "bindings.js" if self.wasm else "index.js"

    @property
    def inline_module(self) -> str | None:
        return f"{self.wasm}.js" if self.wasm and self.inline else None

    def files(self) -> list[str]:
        """What `npm pack` ships besides `package.json`, sorted."""
        out = ["index.js", "index.d.ts"]
        if self.wasm:
            out += ["bindings.js", "browser.js", "browser.d.ts"]
            out.append(self.inline_module or self.wasm)
        return sorted(out)


def _text(options: Mapping[str, object], key: str) -> str | None:
    value = options.get(key)
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        raise WitError(f"js target: {key} must be a non-empty string, not {value!r}")
    return value


def _table(options: Mapping[str, object], key: str, keys: tuple[str, ...]) -> dict[str, str]:
    value = options.get(key)
    if not isinstance(value, Mapping) or not value:
        raise WitError(f"js target: {key} must be a string or a table, not {value!r}")
    unknown = sorted(set(value) - set(keys))
    if unknown or not all(isinstance(v, str) for v in value.values()):
        raise WitError(
            f"js target: {key} takes string values for {', '.join(keys)}, not {dict(value)!r}"
        )
    return {k: str(value[k]) for k in keys if k in value}


def _repository(options: Mapping[str, object]) -> dict[str, str] | None:
    if options.get("repository") is None:
        return None
    if isinstance(options["repository"], str):
        return {"type": "git", "url": _text(options, "repository") or ""}
    repo = _table(options, "repository", ("type", "url", "directory"))
    if "url" not in repo:
        raise WitError("js target: repository needs a url")
    return {"type": repo.get("type", "git"), **repo}


def _author(options: Mapping[str, object]) -> str | dict[str, str] | None:
    if options.get("author") is None or isinstance(options["author"], str):
        return _text(options, "author")
    return _table(options, "author", ("name", "email", "url"))


def _keywords(options: Mapping[str, object]) -> tuple[str, ...]:
    value = options.get("keywords", [])
    if not isinstance(value, list) or not all(isinstance(k, str) and k for k in value):
        raise WitError(f"js target: keywords must be a list of strings, not {value!r}")
    return tuple(value)


def _engines(options: Mapping[str, object]) -> dict[str, str]:
    value = options.get("engines")
    if value is None:
        return {"node": NODE_ENGINES}
    if not isinstance(value, Mapping) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in value.items()
    ):
        raise WitError(f"js target: engines must be a table of version ranges, not {value!r}")
    return {str(k): str(v) for k, v in sorted(value.items())}


def parse_metadata(options: Mapping[str, object], default_description: str) -> Metadata:
    return Metadata(
        description=_text(options, "description") or default_description,
        license=_text(options, "license"),
        repository=_repository(options),
        keywords=_keywords(options),
        author=_author(options),
        engines=_engines(options),
    )


def inline_limit(options: Mapping[str, object]) -> int:
    """`inline_wasm_max`: inline a core module of at most this many bytes (0: never)."""
    value = options.get("inline_wasm_max", 0)
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise WitError(
            f"js target: inline_wasm_max must be a number of bytes (0 or more), not {value!r}"
        )
    return value


def manifest(name: str, version: str, meta: Metadata, layout: Layout) -> str:
    """`package.json`: ESM only, `types` first, then one entry per environment."""
    pj: dict[str, object] = {"name": name, "version": version, "description": meta.description}
    if meta.keywords:
        pj["keywords"] = list(meta.keywords)
    if meta.license:
        pj["license"] = meta.license
    if meta.author:
        pj["author"] = meta.author
    if meta.repository:
        pj["repository"] = meta.repository
    pj["type"] = "module"
    root: dict[str, str] = {"types": "./index.d.ts"}
    if layout.wasm:
        root |= {"node": "./index.js", "browser": "./browser.js", "default": "./browser.js"}
    else:
        root["default"] = "./index.js"
    exports: dict[str, object] = {".": root}
    if layout.wasm and not layout.inline:
        exports[f"./{layout.wasm}"] = f"./{layout.wasm}"
    exports["./package.json"] = "./package.json"
    pj |= {
        "exports": exports,
        "main": "./index.js",
        "types": "./index.d.ts",
        "files": layout.files(),
        "engines": meta.engines,
        "sideEffects": False,
    }
    return json.dumps(pj, indent=2, ensure_ascii=False) + "\n"
