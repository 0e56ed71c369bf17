"""What the JS target does not support yet, rejected with a clear error before any code is made:
async functions, and `future`, `stream` and `error-context` values."""

from __future__ import annotations

from witgen.abi.plan import WorldPlan
from witgen.abi.typeinfo import typeinfo_of
from witgen.errors import WitError

from .world import label


def reject_unsupported(plan: WorldPlan) -> None:
    info = typeinfo_of(plan.resolve)
    for fp in plan.functions:
        func = fp.func
        what = None
        if func.is_async:
            what = "async functions"
        else:
            types = [p.type for p in func.params] + [func.result]
            found = next((f for t in types if (f := info.facts(t).first_async_value)), None)
            if found:
                what = f"`{found}` types"
        if what:
            raise WitError(
                f"js target: function `{label(plan.resolve, func)}` uses {what}, which the JS "
                "target does not support yet (async support comes later)"
            )
