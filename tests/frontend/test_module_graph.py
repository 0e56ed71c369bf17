"""The front end's module graph: `witgen/wit/` imports flow one way (no cycles)."""

from __future__ import annotations

import ast
from pathlib import Path

import witgen.wit

PACKAGE = Path(witgen.wit.__file__).parent
MODULES = {p.stem for p in PACKAGE.glob("*.py") if p.stem != "__init__"}


def _imports(path: Path) -> set[str]:
    """Front-end modules `path` imports anywhere in it (deferred imports in functions too)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module is not None:
            names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
        else:
            continue
        for name in names:
            head, _, rest = name.partition("witgen.wit.")
            if not head and rest.split(".")[0] in MODULES:
                found.add(rest.split(".")[0])
    return found


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}  # 1 on the stack, 2 done
    stack: list[str] = []

    def visit(m: str) -> list[str] | None:
        state[m] = 1
        stack.append(m)
        for dep in sorted(graph[m]):
            if state.get(dep) == 1:
                return stack[stack.index(dep) :] + [dep]
            if dep not in state and (found := visit(dep)) is not None:
                return found
        stack.pop()
        state[m] = 2
        return None

    for m in sorted(graph):
        if m not in state and (found := visit(m)) is not None:
            return found
    return None


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set()}) is None


def test_front_end_modules_import_each_other_without_cycles() -> None:
    graph = {m: _imports(PACKAGE / f"{m}.py") - {m} for m in MODULES}
    assert {"parser", "astcache", "resolve"} <= set(graph)
    assert _cycle(graph) is None
