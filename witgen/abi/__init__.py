"""The Canonical ABI of a resolved WIT model, for the code generators.

- `layout`: size/alignment of types in linear memory (`size_of`, `align_of`, `layout_of`).
- `flat`: flattening to core wasm types and core function signatures (`flatten_type`,
  `signature`, `import_signature`, `export_signature`, ...).
- `futures`: the future/stream types of a signature, in intrinsic order.
- `names`: core import/export names in wit-component's legacy naming scheme.
- `contract`: every core import/export of a world (`world_contract`).
- `typeinfo`: what a type contains (memory, handles, futures, ...), once per type id.
- `shapes`: the per-type value shapes generators render (offsets, cases, joins, ...).
- `plan`: per function and direction, how its values cross the boundary (`world_plan`).
- `intrinsics`: the future/stream intrinsics of a function; `memo`: per-`Resolve` memos.
"""

from .contract import (
    CoreContract,
    CoreExport,
    CoreImport,
    Origin,
    world_abi_text,
    world_contract,
)
from .flat import (
    MAX_FLAT_ASYNC_PARAMS,
    MAX_FLAT_PARAMS,
    MAX_FLAT_RESULTS,
    AbiVariant,
    CoreSignature,
    CoreType,
    export_signature,
    flatten_type,
    flatten_types,
    import_signature,
    needs_post_return,
    post_return_signature,
    signature,
    task_return_signature,
)
from .futures import futures_and_streams
from .layout import Layouts, align_of, layout_of, size_of
from .plan import Direction, FuncPlan, ResultPassing, WorldPlan, world_plan
from .shapes import Shape, shapes_of
from .typeinfo import TypeFacts, typeinfo_of

__all__ = [
    "MAX_FLAT_ASYNC_PARAMS",
    "MAX_FLAT_PARAMS",
    "MAX_FLAT_RESULTS",
    "AbiVariant",
    "CoreContract",
    "CoreExport",
    "CoreImport",
    "CoreSignature",
    "CoreType",
    "Direction",
    "FuncPlan",
    "Layouts",
    "Origin",
    "ResultPassing",
    "Shape",
    "TypeFacts",
    "WorldPlan",
    "align_of",
    "export_signature",
    "flatten_type",
    "flatten_types",
    "futures_and_streams",
    "import_signature",
    "layout_of",
    "needs_post_return",
    "post_return_signature",
    "shapes_of",
    "signature",
    "size_of",
    "task_return_signature",
    "typeinfo_of",
    "world_abi_text",
    "world_contract",
    "world_plan",
]
