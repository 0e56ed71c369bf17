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

    def visit(i: int) -> tuple[int, W] | None:
        state[i] = 1
        for j, where in edges[i]:
            if state[j] == 1:
                return (j, where)
            if state[j] == 0 and visit(j) is not None:
                return (j, where)
        state[i] = 2
        return None

    for i in range(n):
        if state[i] == 0:
            found = visit(i)
            if found is not None:
                raise cycle_error(*found)
    raise AssertionError("cycle not found")
