"""The build engine: incremental, locked, crash-safe generation of binding folders.

Independent of WIT parsing: a generator callback does the parsing and writing; the engine
decides *whether* to call it and how to publish what it wrote.

```python
from witgen.engine import BindingSpec, GenerateOutput, build

spec = BindingSpec(wit_path=Path("wit"), target="js", out_dir=Path("build/js"), world="w")
result = build(spec, my_generator)   # my_generator(spec, tmp_dir) -> GenerateOutput
print(result.summary())              # witgen: js bindings for world 'w' -> build/js: ...
```

* `hashing`: file hashes, the cache key, `candidate_wit_files`;
* `manifest`: the `.witgen-manifest.json` every output folder carries;
* `publish`: writing changed files, removing orphans, the atomicity guarantees;
* `ownership`: the rule that only files witgen wrote are ever replaced or removed;
* `leftovers`: removing what killed builds left (staging folders, temp files);
* `lock`: the per-output-folder inter-process lock;
* `orchestrate`: `build`, `is_fresh`, `stale_reason`, `clean` (named so that the
  `build` function re-exported here does not shadow a `build` submodule).
"""

from witgen.engine.hashing import candidate_wit_files
from witgen.engine.manifest import MANIFEST_NAME, Manifest, read_manifest
from witgen.engine.orchestrate import build, clean, is_fresh, stale_reason
from witgen.engine.spec import BindingSpec, BuildResult, GenerateOutput, Generator

__all__ = [
    "MANIFEST_NAME",
    "BindingSpec",
    "BuildResult",
    "GenerateOutput",
    "Generator",
    "Manifest",
    "build",
    "candidate_wit_files",
    "clean",
    "is_fresh",
    "read_manifest",
    "stale_reason",
]
