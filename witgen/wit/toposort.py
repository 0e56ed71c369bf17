"""Topological sort as wit-parser does it: Kahn's algorithm taking the earliest-declared ready
node first, and on a cycle the outermost edge of the first cycle a depth-first walk finds."""

from __future__ import annotations

import heapq
from collections.abc import Callable
from typing import TypeVar

W = TypeVar("W")


def toposort(
    n: int, edges: list[list[tuple[int, W]]], cycle_error: Callable[[int, W], Exception]
) -> list[int]:
    """Kahn's algorithm; among ready nodes the one declared first goes first.

    `edges[i]` lists `(j, where)`: node i depends on node j, `where` locates the reference.
    On a cycle, `cycle_error(j, where)` builds the error for the outermost edge of the first
    cycle a depth-first walk finds (the node and place wit-parser reports).
    """
    count = [len(e) for e in edges]
    rev: list[list[int]] = [[] for _ in range(n)]
    for i, es in enumerate(edges):
        for j, _w in es:
            rev[j].append(i)
    ready = [i for i in range(n) if count[i] == 0]
    heapq.heapify(ready)
    order: list[int] = []
    while ready:
        i = heapq.heappop(ready)
        order.append(i)
        for j in rev[i]:
            count[j] -= 1
            if count[j] == 0:
                heapq.heappush(ready, j)
    if len(order) == n:
        return order
    state = [0] * n  # 0 new, 1 on stack, 2 done
    for root in range(n):
        if state[root] != 0:
            continue
        # depth-first on an explicit stack (a `use` chain may be thousands long); the error
        # names the edge the walk took out of its root, the outermost one
        state[root] = 1
        stack = [(root, iter(edges[root]))]
        first: tuple[int, W] | None = None
        while stack:
            i, it = stack[-1]
            step = next(it, None)
            if step is None:
                state[i] = 2
                stack.pop()
                continue
            if len(stack) == 1:
                first = step
            if state[step[0]] == 1:
                assert first is not None
                raise cycle_error(*first)
            if state[step[0]] == 0:
                state[step[0]] = 1
                stack.append((step[0], iter(edges[step[0]])))
    raise AssertionError("cycle not found")
