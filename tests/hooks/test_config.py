"""The config schema (witgen.config): defaults, validation errors, and applying it in-process.

Fast: no virtualenv, no build backend. The real builds are in test_builds.py.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from witgen import inputfiles
from witgen.config import ConfigError, load_config
from witgen.engine import read_manifest
from witgen.project import Project
from witgen.targets import TARGETS

from .conftest import write

HELLO = "package t:hello;\nworld hello {\n  export greet: func(name: string) -> string;\n}\n"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "proj"
    write(root / "wit" / "hello.wit", HELLO)
    write(root / "src" / "proj" / "__init__.py", "")
    return root


def load(root: Path, text: str, table: str = "tool.witgen", **kw):
    write(root / "pyproject.toml", text)
    kw.setdefault("default_package", lambda: "proj")
    return load_config(root, table=table, **kw)


def error(root: Path, text: str, **kw) -> ConfigError:
    with pytest.raises(ConfigError) as info:
        load(root, text, **kw)
    return info.value


# --- defaults ---------------------------------------------------------------------------------


def test_zero_config_defaults(project: Path) -> None:
    cfg = load(project, "[tool.witgen]\n", check_targets=False)
    (b,) = cfg.bindings
    assert b.wit == project / "wit"
    assert (b.target, b.world, b.name, b.wheel_dir, b.source_dir) == (
        "js",
        None,
        "js",
        "proj/js",
        None,
    )
    assert b.options == {} and b.features == () and not b.all_features


def test_missing_table_is_zero_config(project: Path) -> None:
    cfg = load(project, "[project]\nname = 'proj'\n", check_targets=False)
    assert [b.name for b in cfg.bindings] == ["js"]


def test_hatch_reserved_keys_are_ignored(project: Path) -> None:
    text = "[tool.hatch.build.hooks.wit]\ndependencies = ['x']\nenable-by-default = true\n"
    cfg = load(
        project,
        text,
        table="tool.hatch.build.hooks.wit",
        check_targets=False,
        reserved={"dependencies", "enable-by-default"},
    )
    assert len(cfg.bindings) == 1


def test_bindings_array_and_names(project: Path) -> None:
    text = """
[[tool.witgen.bindings]]
world = "hello"
target = "js"
options = { npm-name = "x", with = { "a:b/c" = "d" } }

[[tool.witgen.bindings]]
world = "t:hello/hello"
target = "wasmtime"
features = ["b", "a", "b"]
source-dir = "crates/hello"
"""
    a, b = load(project, text, check_targets=False).bindings
    # named after the target alone: no two bindings share one
    assert (a.name, a.wheel_dir) == ("js", "proj/js")
    assert a.options == {"npm_name": "x", "with": {"a:b/c": "d"}}
    assert (b.name, b.wheel_dir, b.source_dir) == ("wasmtime", None, project / "crates/hello")
    assert b.features == ("a", "b")


def test_no_package_needs_wheel_dir(project: Path) -> None:
    err = error(project, "[tool.witgen]\n", default_package=lambda: None, check_targets=False)
    assert "set `wheel-dir`" in err.message


# --- errors name the file and the key --------------------------------------------------------


def test_unknown_key_suggests_and_locates(project: Path) -> None:
    err = error(project, '[tool.witgen]\nworld = "hello"\ntagret = "js"\n')
    assert "pyproject.toml" in err.message
    assert "`tool.witgen.tagret`" in err.message and "did you mean `target`" in err.message
    assert err.location is not None and err.location.endswith("pyproject.toml:3:1")
    assert "^" in err.render()


@pytest.mark.parametrize(
    ("snippet", "key", "words"),
    [
        ('features = "a"', "tool.witgen.features", "expected an array of strings, got string"),
        ("all-features = 1", "tool.witgen.all-features", "expected a boolean, got integer"),
        ("world = 3", "tool.witgen.world", "expected a string"),
        ('wit = "nope"', "tool.witgen.wit", "does not exist"),
        ('deps = ["../shared/none"]', "tool.witgen.deps[0]", "does not exist"),
        ('options = { wasm = "guest.wasm" }', "tool.witgen.options.wasm", "does not exist"),
        ("options = { when = 1979-05-27 }", "tool.witgen.options.when", "not supported"),
        ('wheel-dir = "../x"', "tool.witgen.wheel-dir", "relative POSIX path"),
        ('source-dir = "."', "tool.witgen.source-dir", "below or beside"),
        ('name = "a b"', "tool.witgen.name", "letters, digits"),
        ('target = "cobol"', "tool.witgen.target", "unknown target `cobol`"),
    ],
)
def test_bad_values(project: Path, snippet: str, key: str, words: str) -> None:
    err = error(project, f"[tool.witgen]\n{snippet}\n")
    assert f"`{key}`" in err.message and words in err.message, err.message
    assert (
        err.message.startswith(str(Path("proj/pyproject.toml"))) or "pyproject.toml" in err.message
    )


def test_errors_in_bindings_name_the_index(project: Path) -> None:
    text = '[[tool.witgen.bindings]]\ntarget = "js"\n\n[[tool.witgen.bindings]]\nwold = "x"\n'
    err = error(project, text)
    assert "`tool.witgen.bindings[1].wold`" in err.message and "did you mean `world`" in err.message
    assert err.location is not None and err.location.endswith(":5:1")


def test_missing_option_path_in_bindings(project: Path) -> None:
    text = '[[tool.witgen.bindings]]\noptions = { wasm = "guest/none.wasm" }\n'
    err = error(project, text, check_targets=False)
    assert (
        "`tool.witgen.bindings[0].options.wasm`" in err.message and "does not exist" in err.message
    )


def test_component_option_is_a_path_too(project: Path) -> None:
    """`component` (the JS target's component input) is resolved and checked like `wasm`."""
    text = '[tool.witgen]\ntarget = "js"\n\n[tool.witgen.options]\ncomponent = "guest/c.wasm"\n'
    err = error(project, text, check_targets=False)
    _located(err, "tool.witgen.options.component", 5)
    assert "does not exist" in err.message
    write(project / "guest" / "c.wasm", "x")
    (b,) = load(project, text, check_targets=False).bindings
    assert b.options["component"] == str(project / "guest" / "c.wasm")


def test_duplicate_names_and_overlapping_outputs(project: Path) -> None:
    twice = '[[tool.witgen.bindings]]\ntarget = "js"\n[[tool.witgen.bindings]]\ntarget = "js"\n'
    assert "distinct `name`" in error(project, twice, check_targets=False).message
    overlap = (
        '[[tool.witgen.bindings]]\nname = "a"\nwheel-dir = "p/x"\n'
        '[[tool.witgen.bindings]]\nname = "b"\nwheel-dir = "p/x/y"\n'
    )
    assert "overlaps" in error(project, overlap, check_targets=False).message


def test_mixing_shorthand_and_bindings(project: Path) -> None:
    err = error(project, '[tool.witgen]\ntarget = "js"\nbindings = [{}]\n', check_targets=False)
    assert "`tool.witgen.target`" in err.message


def test_unavailable_target_is_a_config_error(project: Path, monkeypatch) -> None:
    # a registered target whose module is missing (e.g. an uninstalled plugin)
    monkeypatch.setitem(TARGETS, "gone", "witgen_no_such_module:generate")
    err = error(project, '[tool.witgen]\ntarget = "gone"\n')
    assert "`tool.witgen.target`" in err.message and "not available" in err.message


def test_outside_paths_prefer_the_sdist_copy(project: Path) -> None:
    shared = project.parent / "shared" / "types"
    write(shared / "types.wit", "package t:types;\ninterface i {}\n")
    text = '[tool.witgen]\ndeps = ["../shared/types"]\n'
    (b,) = load(project, text, check_targets=False).bindings
    assert b.deps == (shared,)
    copy = project / "_wit_external" / "_up_" / "shared" / "types"
    write(copy / "types.wit", "package t:types;\ninterface i {}\n")
    (b,) = load(project, text, check_targets=False).bindings
    assert b.deps == (copy,)


# --- applying the config in-process (echo target) ----------------------------------------------


def _mono(tmp_path: Path) -> Path:
    root = tmp_path / "mono"
    write(
        root / "shared" / "types" / "types.wit",
        "package m:types;\ninterface t { type id = u64; }\n",
    )
    write(
        root / "shared" / "log" / "log.wit",
        "package m:log;\ninterface log { log: func(m: string); }\n",
    )
    pkg = root / "pkg"
    write(pkg / "src" / "pkg" / "__init__.py", "")
    write(
        pkg / "wit-a" / "a.wit",
        "package m:a;\nworld a { use m:types/t.{id}; export f: func(x: id); }\n",
    )
    write(pkg / "wit-b" / "b.wit", "package m:b;\nworld b { import m:log/log; }\n")
    return pkg


MONO = """
[[tool.witgen.bindings]]
world = "a"
wit = "wit-a"
target = "echo"
deps = ["../shared/types"]

[[tool.witgen.bindings]]
world = "b"
wit = "wit-b"
target = "echo"
deps = ["../shared/log"]
source-dir = "../out/b"
"""


def _project(pkg: Path, text: str = MONO) -> Project:
    write(pkg / "pyproject.toml", text)
    cfg = load_config(pkg, table="tool.witgen", default_package=lambda: "pkg")
    return Project(cfg, in_tree=lambda d: pkg / "src" / d)


def _statuses(result) -> list[tuple[str, str]]:
    return [(r.spec.out_dir.name, r.status) for r in result.results]


def test_build_noop_and_dependent_rebuilds(tmp_path: Path, echo_target: str) -> None:
    pkg = _mono(tmp_path)
    lines: list[str] = []
    res = _project(pkg).build("standard", log=lines.append)
    assert _statuses(res) == [("a-echo", "generated"), ("b", "generated")]
    assert len(lines) == 2 and all(line.startswith("witgen: echo bindings") for line in lines)
    assert sorted(res.wheel_files.values())[0].startswith("pkg/a-echo/")
    assert (tmp_path / "mono" / "out" / "b" / "world.txt").read_text().startswith("world b")

    assert _statuses(_project(pkg).build("standard", log=lines.append)) == [
        ("a-echo", "up to date"),
        ("b", "up to date"),
    ]
    # a shared dep only `a` uses changes: only `a` regenerates
    shared = tmp_path / "mono" / "shared" / "types" / "types.wit"
    shared.write_text(shared.read_text().replace("u64", "u32"))
    assert _statuses(_project(pkg).build("standard")) == [
        ("a-echo", "generated"),
        ("b", "up to date"),
    ]


def test_removed_binding_loses_its_outputs(tmp_path: Path, echo_target: str) -> None:
    pkg = _mono(tmp_path)
    _project(pkg).build("standard", log=lambda _: None)
    out_b = tmp_path / "mono" / "out" / "b"
    assert read_manifest(out_b) is not None
    only_a = MONO.split('[[tool.witgen.bindings]]\nworld = "b"')[0]
    lines: list[str] = []
    _project(pkg, only_a).build("standard", log=lines.append)
    assert not out_b.exists()
    assert any("no longer configured" in line for line in lines)


def test_wit_error_keeps_outputs_and_points_at_the_real_file(
    tmp_path: Path, echo_target: str
) -> None:
    from witgen.errors import WitError

    pkg = _mono(tmp_path)
    _project(pkg).build("standard", log=lambda _: None)
    cache = pkg / "build" / "witgen" / "out" / "a-echo"
    before = {p: p.read_bytes() for p in sorted(cache.rglob("*")) if p.is_file()}
    shared = tmp_path / "mono" / "shared" / "types" / "types.wit"
    shared.write_text("package m:types;\ninterface t { type id = u6; }\n")
    with pytest.raises(WitError) as info:
        _project(pkg).build("standard", log=lambda _: None)
    assert info.value.location is not None
    assert info.value.location.startswith(str(Path("shared/types/types.wit"))) or (
        "shared/types/types.wit:2:" in info.value.location
    )
    assert "build/witgen" not in info.value.location
    assert {p: p.read_bytes() for p in sorted(cache.rglob("*")) if p.is_file()} == before


def test_editable_generates_in_tree_and_clean_removes_all(tmp_path: Path, echo_target: str) -> None:
    pkg = _mono(tmp_path)
    res = _project(pkg).build("editable", log=lambda _: None)
    assert res.wheel_files == {}
    assert (pkg / "src" / "pkg" / "a-echo" / "world.txt").is_file()
    _project(pkg).build("standard", log=lambda _: None)
    removed = _project(pkg).clean(log=lambda _: None)
    assert removed
    assert not (pkg / "src" / "pkg" / "a-echo").exists()
    assert not (tmp_path / "mono" / "out" / "b").exists()
    assert not (pkg / "build").exists()


def test_sdist_files_map_outside_inputs(tmp_path: Path, echo_target: str) -> None:
    pkg = _mono(tmp_path)
    files = _project(pkg).sdist_files()
    assert files[str(pkg / "wit-a" / "a.wit")] == "wit-a/a.wit"
    shared = tmp_path / "mono" / "shared" / "types"
    assert files[str(shared / "types.wit")] == "_wit_external/_up_/shared/types/types.wit"
    assert str(shared) not in files  # folders are carried as their WIT files only
    state = pkg / "build" / "witgen" / "state.json"
    assert not state.exists()  # listing sdist inputs generates nothing
    _project(pkg).build("standard", log=lambda _: None)
    assert set(json.loads(state.read_text())["bindings"]) == {"a-echo", "b-echo"}


def test_failed_build_keeps_the_outputs_of_a_renamed_binding(
    tmp_path: Path, echo_target: str
) -> None:
    from witgen.errors import WitError

    pkg = _mono(tmp_path)
    _project(pkg).build("standard", log=lambda _: None)
    cache = pkg / "build" / "witgen" / "out" / "a-echo"
    before = {p: p.read_bytes() for p in sorted(cache.rglob("*")) if p.is_file()}
    (pkg / "wit-a" / "a.wit").write_text("package m:a;\nworld a { oops }\n")
    renamed = MONO.replace('world = "a"\n', 'world = "a"\nname = "renamed"\n', 1)
    with pytest.raises(WitError):
        _project(pkg, renamed).build("standard", log=lambda _: None)
    assert {p: p.read_bytes() for p in sorted(cache.rglob("*")) if p.is_file()} == before


# --- input safety and errors found while building (#13, #15) ---------------------------------


def _located(err: ConfigError, key: str, line: int) -> None:
    assert f"`{key}`" in err.message and "pyproject.toml" in err.message, err.message
    assert err.location is not None and err.location.split(":")[-2] == str(line), err.location


def test_dep_that_is_not_a_wit_package_is_refused(project: Path) -> None:
    err = error(project, '[tool.witgen]\nworld = "hello"\ndeps = ["/"]\n', check_targets=False)
    _located(err, "tool.witgen.deps[0]", 3)
    assert "contains the project itself" in err.message
    write(project.parent / "docs" / "notes.md", "x\n")
    err = error(project, '[tool.witgen]\ndeps = [\n  "../docs",\n]\n', check_targets=False)
    _located(err, "tool.witgen.deps[0]", 3)
    assert "holds no `.wit` files" in err.message


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
@pytest.mark.parametrize(
    ("make", "words"),
    [
        ("device", "is a device, not a regular file"),
        ("fifo", "is a FIFO, not a regular file"),
        ("folder", "is a folder, not a file"),
        ("big", "more than the 16 witgen reads"),
    ],
)
def test_wasm_must_be_a_sane_regular_file(
    project: Path, monkeypatch: pytest.MonkeyPatch, make: str, words: str
) -> None:
    path = "/dev/zero"
    if make == "fifo":
        os.mkfifo(project / "guest.wasm")
        path = "guest.wasm"
    elif make == "folder":
        (project / "guest").mkdir()
        path = "guest"
    elif make == "big":
        monkeypatch.setattr(inputfiles, "MAX_FILE_BYTES", 16)
        write(project / "guest.wasm", "x" * 17)
        path = "guest.wasm"
    text = f'[tool.witgen]\ntarget = "js"\n\n[tool.witgen.options]\nwasm = "{path}"\n'
    err = error(project, text, check_targets=False)
    _located(err, "tool.witgen.options.wasm", 5)
    assert words in err.message


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_wit_that_is_a_fifo_is_refused(project: Path) -> None:
    os.mkfifo(project / "pipe.wit")
    err = error(project, '[tool.witgen]\nwit = "pipe.wit"\n', check_targets=False)
    _located(err, "tool.witgen.wit", 2)
    assert "is a FIFO" in err.message


def test_naming_the_default_world_keeps_the_output_folder(project: Path) -> None:
    (implicit,) = load(project, "[tool.witgen]\n", check_targets=False).bindings
    (explicit,) = load(project, '[tool.witgen]\nworld = "hello"\n', check_targets=False).bindings
    assert (explicit.name, explicit.wheel_dir) == (implicit.name, implicit.wheel_dir) == (
        "js",
        "proj/js",
    )


def _js_project(project: Path, table: str) -> Project:
    pytest.importorskip("witgen.js", reason="the js target is not in this checkout")
    write(project / "pyproject.toml", table)
    cfg = load_config(project, table="tool.witgen", default_package=lambda: "proj")
    return Project(cfg, in_tree=lambda d: project / "src" / d)


def test_world_typo_names_the_key_suggests_and_keeps_the_outputs(project: Path) -> None:
    _js_project(project, "[tool.witgen]\n").build("editable", log=lambda _: None)
    out = project / "src" / "proj" / "js"
    before = {p: p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}
    typo = _js_project(project, '[project]\nname = "proj"\n\n[tool.witgen]\nworld = "helo"\n')
    with pytest.raises(ConfigError) as info:
        typo.build("editable", log=lambda _: None)
    _located(info.value, "tool.witgen.world", 5)
    assert 'did you mean "hello"?' in info.value.message
    assert '(worlds: "hello")' in info.value.message
    assert {p: p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()} == before


@pytest.mark.parametrize(
    ("option", "words"),
    [
        ('strng-encoding = "utf16"', "did you mean `string-encoding`?"),
        ('string-encoding = "ucs2"', "must be one of"),
    ],
)
def test_js_option_errors_point_at_the_option(project: Path, option: str, words: str) -> None:
    text = f'[tool.witgen]\ntarget = "js"\n\n[tool.witgen.options]\nname = "x"\n{option}\n'
    with pytest.raises(ConfigError) as info:
        _js_project(project, text).build("editable", log=lambda _: None)
    _located(info.value, f"tool.witgen.options.{option.split()[0]}", 6)
    assert words in info.value.message


STRICT_TARGET = '''
from witgen.errors import WitError

def generate(resolve, world, options):
    value = options.get("traits_only", False)
    if not isinstance(value, bool):
        raise WitError(f"option `traits_only` expects true or false, not {value!r}")
    return {"ok.txt": b"ok"}
'''


def test_a_target_rejecting_a_boolean_points_at_the_option(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path / "mods" / "strict_target.py", STRICT_TARGET)
    monkeypatch.syspath_prepend(str(tmp_path / "mods"))
    monkeypatch.setitem(TARGETS, "strict", "strict_target:generate")
    text = '[tool.witgen]\ntarget = "strict"\noptions = { traits-only = "yes" }\n'
    write(project / "pyproject.toml", text)
    cfg = load_config(project, table="tool.witgen", default_package=lambda: "proj")
    with pytest.raises(ConfigError) as info:
        Project(cfg).build("standard", log=lambda _: None)
    _located(info.value, "tool.witgen.options.traits-only", 3)
    assert "expects true or false" in info.value.message
