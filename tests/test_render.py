"""The shared Jinja2 environment of the generators (witgen/render.py)."""

from __future__ import annotations

import jinja2
import pytest

from witgen.render import environment


def test_one_environment_serves_both_targets():
    env = environment()
    assert env is environment()
    assert "index.js.j2" in env.get_template("js/index.js.j2").filename
    assert env.get_template("wasmtime/lib.rs.j2").filename.endswith(
        "witgen/wasmtime/templates/lib.rs.j2"
    )
    with pytest.raises(jinja2.TemplateNotFound):
        env.get_template("lib.rs.j2")


def test_js_filter_and_strictness():
    env = environment()
    assert env.from_string("{{ s | js }}").render(s='a"\u00e9\n') == '"a\\"\\u00e9\\n"'
    with pytest.raises(jinja2.UndefinedError):
        env.from_string("{{ missing }}").render()
    assert env.from_string("<{{ s }}>\n").render(s="&") == "<&>\n"
