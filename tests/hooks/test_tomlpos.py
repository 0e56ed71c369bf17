"""witgen.tomlpos: the line and column of each key, read off the hand-numbered text below."""

from __future__ import annotations

import tomllib

from witgen.tomlpos import key_positions, locate

TEXT = """\
# 1: a comment with [brackets] and key = "value"
[project]
name = "x"  # [not.a.table]
description = '''
[tool.witgen]
world = "inside a string"
'''

[tool.witgen]
world = "a"
options = { npm-name = "x", with = { "a:b/c" = "d" }, list = [1, { x = 1 }] }
"quoted.key".sub = 1

[[tool.witgen.bindings]]
target = 'js'
[tool.witgen.bindings.options]
traits-only = "yes"

  [[tool.witgen.bindings]]
deps = [
  "../a",  # a comment
  "/",
]
"""


def test_positions_match_the_text() -> None:
    assert tomllib.loads(TEXT)  # the sample is valid TOML
    pos = key_positions(TEXT)
    assert pos[("project", "name")] == (3, 1)
    assert ("tool", "witgen", "world") in pos and pos[("tool", "witgen", "world")] == (10, 1)
    assert pos[("tool", "witgen")] == (9, 1)
    assert pos[("tool", "witgen", "options", "npm-name")] == (11, 13)
    assert pos[("tool", "witgen", "options", "with", "a:b/c")] == (11, 38)
    assert pos[("tool", "witgen", "options", "list", 1, "x")] == (11, 68)
    assert pos[("tool", "witgen", "quoted.key", "sub")] == (12, 1)
    assert pos[("tool", "witgen", "bindings", 0)] == (14, 1)
    assert pos[("tool", "witgen", "bindings", 0, "options", "traits-only")] == (17, 1)
    assert pos[("tool", "witgen", "bindings", 1)] == (19, 3)
    assert pos[("tool", "witgen", "bindings", 1, "deps", 1)] == (22, 3)


def test_locate_falls_back_to_the_enclosing_key_but_not_above_a_floor() -> None:
    pos = key_positions(TEXT)
    assert locate(pos, ("tool", "witgen", "bindings", 1, "wit")) == (19, 3)
    assert locate(pos, ("tool", "hatch", "x"), shortest=2) is None


def test_malformed_text_does_not_raise() -> None:
    for text in ['[a\nb = "unterminated', "x = {", "= 1", "[[", 'a = """', "a.b. = 1"]:
        key_positions(text)
