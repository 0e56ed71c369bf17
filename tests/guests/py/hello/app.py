"""The `hello` world (tests/guests/c/hello/world.wit) in Python, for componentize-py."""

import wit_world
from componentize_py_types import Err
from wit_world.imports import types


class WitWorld(wit_world.WitWorld):
    def greet(self, name: str) -> str:
        msg = f"Hello, {name}!"
        wit_world.log(msg)
        return msg

    def describe(self, p: types.Person) -> str:
        return f"{p.name} is {p.age} years old"

    def sum_list(self, xs: list[int]) -> int:
        return sum(xs)

    def parse_age(self, s: str) -> int:
        if s.isdigit() and s.isascii() and int(s) <= 255:
            return int(s)
        raise Err(f"not a number: {s}")

    def oldest(self, people: list[types.Person]) -> types.Person | None:
        best = None
        for p in people:
            if best is None or p.age > best.age:
                best = p
        return best
