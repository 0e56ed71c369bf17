"""The front end's shape: `witgen/wit/` imports flow one way (no cycles), modules and functions
stay small (the project's limits: ~800 lines a file, ~80 a function)."""

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


MAX_FILE_LINES = 800
MAX_FUNCTION_LINES = 80


def _long_functions(source: str) -> list[tuple[str, int]]:
    return [
        (node.name, node.end_lineno - node.lineno + 1)
        for node in ast.walk(ast.parse(source))
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
        and node.end_lineno is not None
        and node.end_lineno - node.lineno + 1 > MAX_FUNCTION_LINES
    ]


def test_the_length_check_sees_a_long_function() -> None:
    body = "".join(f"    x{i} = {i}\n" for i in range(MAX_FUNCTION_LINES))
    assert _long_functions(f"def f():\n{body}") == [("f", MAX_FUNCTION_LINES + 1)]


def test_front_end_files_and_functions_stay_small() -> None:
    model_dir = PACKAGE.parent
    paths = sorted(PACKAGE.glob("*.py")) + [model_dir / "model.py", model_dir / "errors.py"]
    too_long = {}
    for path in paths:
        source = path.read_text()
        lines = source.count("\n")
        found = _long_functions(source)
        if lines > MAX_FILE_LINES:
            found.append(("<file>", lines))
        if found:
            too_long[path.name] = found
    assert not too_long
