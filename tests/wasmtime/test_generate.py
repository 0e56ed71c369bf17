"""The wasmtime target's output, without cargo: files, Cargo.toml, API shape, options, speed.

What the crates do when built and run is in test_cargo.py and test_runtime.py.
"""

from __future__ import annotations

import re
import subprocess
import sys
import time
import tomllib
from pathlib import Path

import pytest

import witgen
from witgen.errors import WitError
from witgen.wasmtime import WASMTIME_VERSION, generate

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
OPTIONS_WIT = HERE / "wit" / "options.wit"


def gen(options=None, wit=OPTIONS_WIT, world="opts") -> dict[str, str]:
    r = witgen.load(wit)
    files = generate(r, r.select_world(world), dict(options or {}))
    return {k: v.decode() for k, v in files.items()}


def test_files_mirror_packages_and_interfaces():
    files = gen()
    assert set(files) == {
        "Cargo.toml",
        "src/lib.rs",
        "src/witgen_rt.rs",
        "src/test/opts/base.rs",
        "src/test/opts/api.rs",
        "src/exports/test/opts/api.rs",
    }
    lib = files["src/lib.rs"]
    assert (
        "/// The interfaces of `test`.\npub mod test {\n"
        "    /// The interfaces of `test::opts`.\n    pub mod opts {\n"
        "        pub mod api;\n        pub mod base;"
    ) in lib
    assert "pub mod exports {" in lib


def test_cargo_toml_pins_wasmtime_with_minimal_features():
    toml = gen({"crate_name": "my-host"})["Cargo.toml"]
    assert 'name = "my-host"' in toml and 'edition = "2021"' in toml
    # the default release and the rule choosing it: test_versions.py
    assert WASMTIME_VERSION == "=48.0.8"
    assert 'rust-version = "1.95"' in toml
    assert "rust-version" not in gen({"wasmtime_version": ">=48, <51"})["Cargo.toml"]
    assert (
        f'wasmtime = {{ version = "{WASMTIME_VERSION}", default-features = false, '
        'features = ["component-model", "runtime", "std"] }' in toml
    )
    # `cargo package` ships the sources, not the engine's `.witgen-manifest.json`
    assert tomllib.loads(toml)["package"]["include"] == ["/src/**/*.rs"]
    assert '"async"' in gen({"async": True})["Cargo.toml"].split("[features]")[0]


def test_deterministic_bytes():
    a = gen({"crate_name": "x"})
    b = gen({"crate_name": "x"})
    assert a == b
    r1 = witgen.load(OPTIONS_WIT)
    r2 = witgen.load(OPTIONS_WIT)
    assert generate(r1, r1.select_world("opts"), {}) == generate(r2, r2.select_world("opts"), {})


def test_bindgen_api_shape():
    files = gen()
    lib, base = files["src/lib.rs"], files["src/test/opts/base.rs"]
    exp = files["src/exports/test/opts/api.rs"]
    for item in (
        "pub struct OptsPre<T: 'static>",
        "pub struct OptsIndices",
        "pub struct Opts {",
        "pub trait OptsImports",
        "pub fn instantiate<_T>(",
        "pub fn add_to_linker<T, D>(",
        "pub fn add_to_linker_imports<T, D>(",
        "pub fn call_run<S: ::wasmtime::AsContextMut>(",
        "pub fn test_opts_api(&self) -> &exports::test::opts::api::Guest",
    ):
        assert item in lib, item
    for item in (
        "pub enum Conn {}",
        "pub trait HostConn {",
        "fn new(&mut self, addr: String) -> ::wasmtime::component::Resource<Conn>;",
        "fn drop(&mut self, rep: ::wasmtime::component::Resource<Conn>) -> ::wasmtime::Result<()>;",
        "pub trait Host: HostConn {",
        "pub fn add_to_linker_instance<T, D>(",
        "::wasmtime::component::flags! {",
        "#[derive(::wasmtime::component::ComponentType, ::wasmtime::component::Lift, ::wasmtime::component::Lower)]".replace(
            "::wasmtime::component::Lower)]", "::wasmtime::component::Lower,\n)]"
        ).split("(")[0],
    ):
        assert item in base, item
    assert "pub struct Guest {" in exp and "pub struct GuestIndices {" in exp
    assert "pub fn call_echo<S: ::wasmtime::AsContextMut>(" in exp
    # only public wasmtime paths
    for text in files.values():
        assert "__internal" not in text


def test_docs_become_rustdoc():
    files = gen()
    assert "//! Shared types and a resource." in files["src/test/opts/base.rs"]
    lib = files["src/lib.rs"]
    assert lib.startswith("//! wasmtime host bindings for the WIT world `test:opts/opts`.")


def test_imported_and_exported_interface_shares_types():
    exp = gen()["src/exports/test/opts/api.rs"]
    # handle-free types are the imported interface's own (no second definition)
    assert "pub type Msg = crate::test::opts::api::Msg;" in exp
    assert "pub type Event = crate::test::opts::api::Event;" in exp
    assert "pub struct Msg" not in exp and "pub enum Event" not in exp


def test_error_context_in_glue():
    files = gen({"trappable_imports": True})
    exp = files["src/exports/test/opts/api.rs"]
    assert 'const WIT_INTERFACE: &str = "test:opts/api";' in exp
    assert 'crate::witgen_rt::calling(r, WIT_INTERFACE, "echo")?' in exp
    base = files["src/test/opts/base.rs"]
    assert 'crate::witgen_rt::serving(r, WIT_INTERFACE, "get")?' in base
    assert "WitFunction" in files["src/witgen_rt.rs"]
    off = gen({"error_context": False})
    assert "witgen_rt::calling" not in off["src/exports/test/opts/api.rs"]


def test_async_option():
    files = gen({"async": True})
    base = files["src/test/opts/base.rs"]
    assert 'inst.func_wrap_async(\n        "get",' in base
    assert "fn get(&mut self) -> impl ::core::future::Future<Output = Point> + Send;" in base
    assert (
        "pub async fn call_echo<S: ::wasmtime::AsContextMut>("
        in files["src/exports/test/opts/api.rs"]
    )
    some = gen({"async": ["test:opts/api.slow"]})
    api = some["src/test/opts/api.rs"]
    assert "fn slow(&mut self, n: u32) -> impl ::core::future::Future<Output = u32> + Send;" in api
    assert "fn echo(&mut self, m: Msg) -> Msg;" in api


def test_trappable_options():
    files = gen(
        {
            "trappable_imports": True,
            "trappable_error_type": {"test:opts/base.error": "opt_errors::MyError"},
        }
    )
    base = files["src/test/opts/base.rs"]
    assert (
        "fn convert_error(&mut self, err: opt_errors::MyError) -> ::wasmtime::Result<Error>;"
        in base
    )
    assert "-> Result<u32, opt_errors::MyError>;" in base
    assert "fn get(&mut self) -> ::wasmtime::Result<Point>;" in base
    api = files["src/test/opts/api.rs"]
    assert "for<'a> D::Data<'a>: Host + crate::test::opts::base::Host," in api


def test_with_option_maps_an_interface():
    files = gen({"with": {"test:opts/base": "other::base"}})
    assert "src/test/opts/base.rs" not in files
    assert "other::base::Point" in files["src/test/opts/api.rs"]
    assert "other::base::add_to_linker::<T, D>(linker, host_getter)?;" in files["src/lib.rs"]
    with pytest.raises(WitError, match="unused"):
        gen({"with": {"test:opts/nope": "x"}})
    # a whole namespace, as wasmtime-wasi's docs do with `"wasi": wasmtime_wasi::p2::bindings`
    ns = gen({"with": {"test": "other"}})
    assert "src/test/opts/base.rs" not in ns and "src/test/opts/api.rs" not in ns
    assert "other::opts::base::add_to_linker::<T, D>(linker, host_getter)?;" in ns["src/lib.rs"]


def test_ownership_and_additional_derives():
    files = gen({"ownership": "borrowing-duplicate", "additional_derives": ["PartialEq", "Eq"]})
    api = files["src/test/opts/api.rs"]
    exp = files["src/exports/test/opts/api.rs"]
    # Debug is written out as bindgen!'s (`Name { wit-name: .. }`), not derived
    assert (
        "#[derive(Clone, Eq, PartialEq)]" in api and "impl ::core::fmt::Debug for MsgResult" in api
    )
    assert "pub struct MsgParam<'a>" in api + exp
    assert "pub struct MsgResult" in api + exp


def test_traits_only_mode():
    files = gen({"traits_only": True})
    toml = files["Cargo.toml"]
    assert "optional = true" in toml and 'wasmtime = ["dep:wasmtime"]' in toml
    base = files["src/test/opts/base.rs"]
    assert "crate::witgen_rt::Resource<Conn>" in base
    assert '#[cfg_attr(feature = "wasmtime", derive(::wasmtime::component::ComponentType))]' in base
    assert '#[cfg(feature = "wasmtime")]\npub fn add_to_linker_instance' in base
    assert "pub struct Resource<T: 'static>" in files["src/witgen_rt.rs"]


def test_dynamic_linking_option():
    """`dynamic_linking` adds the dylib sub-crate and the feature; without it, nothing of it."""
    plain = gen({"crate_name": "my-host"})
    assert not any(k.startswith("dylib/") for k in plain)
    assert "dynamic-linking" not in plain["Cargo.toml"] and "dylib" not in plain["src/lib.rs"]
    files = gen({"crate_name": "my-host", "dynamic_linking": True})
    assert sorted(k for k in files if k.startswith("dylib/")) == [
        "dylib/Cargo.toml",
        "dylib/src/lib.rs",
    ]
    toml = files["Cargo.toml"]
    assert 'my-host-dylib = { path = "dylib", optional = true }' in toml
    assert 'dynamic-linking = ["dep:my-host-dylib"]' in toml
    dylib = files["dylib/Cargo.toml"]
    assert 'name = "my-host-dylib"' in dylib and 'crate-type = ["dylib"]' in dylib
    # the dylib holds the same wasmtime requirement as the crate
    want = toml.split("[dependencies]\n")[1].splitlines()[0]
    assert want.startswith("wasmtime = ") and want in dylib
    assert "pub use wasmtime;" in files["dylib/src/lib.rs"]
    assert '#[cfg(feature = "dynamic-linking")]' in files["src/lib.rs"]
    assert "use my_host_dylib as _;" in files["src/lib.rs"]
    # traits-only: the feature needs the wasmtime glue
    traits = gen({"crate_name": "t", "traits_only": True, "dynamic_linking": True})
    assert 'dynamic-linking = ["wasmtime", "dep:t-dylib"]' in traits["Cargo.toml"]


def test_bad_options():
    with pytest.raises(WitError, match="unknown wasmtime option"):
        gen({"nope": 1})
    with pytest.raises(WitError, match="ownership"):
        gen({"ownership": "shared"})
    with pytest.raises(WitError, match="trappable_error_type"):
        gen({"trappable_error_type": {"test:opts/base.nope": "X"}})


def _cargo(options) -> dict:
    return tomllib.loads(gen(options)["Cargo.toml"])


def test_cargo_toml_parses_with_every_dependency_form():
    """Issue #13: a version string is a TOML string (it was written bare, `x = 50.0.1`, an
    invalid float), a table or the TOML text of one is an inline table, strings are escaped."""
    path = 'C:\\dir "quoted"\\x'
    deps = _cargo(
        {
            "dependencies": {
                "wasmtime-wasi": "50.0.1",
                "ranged": ">=1.2, <2",
                "quoted": '"0.3"',
                "local": {"path": path, "features": ["a", "b"], "default-features": False},
                "text": '{ version = "=1.0.0", optional = true }',
            }
        }
    )["dependencies"]
    assert deps["wasmtime-wasi"] == "50.0.1"
    assert deps["ranged"] == ">=1.2, <2"
    assert deps["quoted"] == "0.3"
    assert deps["local"] == {"path": path, "features": ["a", "b"], "default-features": False}
    assert deps["text"] == {"version": "=1.0.0", "optional": True}
    assert set(deps) == {"wasmtime", "wasmtime-wasi", "ranged", "quoted", "local", "text"}


def test_cargo_toml_tables_and_version():
    doc = _cargo({"crate_name": "my_host-2", "wasmtime_version": ">=48, <51"})
    assert set(doc) == {"package", "lib", "dependencies", "features"}
    assert doc["package"]["name"] == "my_host-2"
    assert doc["dependencies"]["wasmtime"]["version"] == ">=48, <51"
    assert set(doc["dependencies"]) == {"wasmtime"}
    assert _cargo({"wasmtime_version": 49})["dependencies"]["wasmtime"]["version"] == "=49.0.5"
    files = gen({"crate_name": "h", "traits_only": True, "dynamic_linking": True})
    doc = tomllib.loads(files["Cargo.toml"])
    assert doc["dependencies"]["h-dylib"] == {"path": "dylib", "optional": True}
    assert doc["features"]["dynamic-linking"] == ["wasmtime", "dep:h-dylib"]
    dylib = tomllib.loads(files["dylib/Cargo.toml"])
    assert dylib["package"]["name"] == "h-dylib"
    assert doc["dependencies"]["wasmtime"] == dylib["dependencies"]["wasmtime"] | {"optional": True}


@pytest.mark.parametrize(
    ("options", "message"),
    [
        # issue #13: each of these added a `[dependencies] evil = "1"` table to Cargo.toml
        (
            {"crate_name": 'a"\n[dependencies]\nevil="1'},
            re.escape(
                'option `crate_name`: "a\\"\\n[dependencies]\\nevil=\\"1" is not a crate name'
            ),
        ),
        (
            {"wasmtime_version": '1"\n[dependencies]\nevil="1'},
            "option `wasmtime_version`: .* is not a version requirement",
        ),
        (
            {"dependencies": {"x": '{ path = "a" }\n[dependencies]\nevil = "1"'}},
            "option `dependencies`: entry `x`: .* is not a version requirement .* or a table",
        ),
        ({"crate_name": "9lives"}, "is not a crate name"),
        ({"crate_name": "fn"}, "not a Rust keyword"),
        ({"crate_name": ""}, "is not a crate name"),
        ({"wasmtime_version": "latest"}, '"latest" is not a version requirement'),
        ({"wasmtime_version": 50.5}, "50.5 is not a version requirement"),
        ({"dependencies": {"bad name": "1"}}, '`dependencies`: "bad name" is not a crate name'),
        ({"dependencies": {"x": "one"}}, 'entry `x`: "one" is not a version requirement'),
        ({"dependencies": {"x": "[1, 2]"}}, "entry `x`: .* is not a version requirement"),
        ({"dependencies": {"x": {"path": 1.5}}}, "entry `x`: 1.5 is not a string"),
        ({"with": {"test:opts/base": "other::base;\nfn f"}}, "`with`: .* is not a Rust path"),
        ({"with": {"test:opts/base": "other::fn"}}, "`with`: .* is not a Rust path"),
        ({"trappable_error_type": {"test:opts/base.error": "E!"}}, "is not a Rust path"),
        ({"additional_derives": ["Hash)]\nstruct X;"]}, "`additional_derives`: .* Rust path"),
        ({"traits_only": "yes"}, '`traits_only`: "yes" is not true or false'),
    ],
)
def test_bad_option_values_are_rejected(options, message):
    with pytest.raises(WitError, match=message):
        gen(options)


@pytest.mark.parametrize(
    ("text", "ok"),
    [
        # cargo's version requirement syntax (the semver crate's VersionReq)
        ("50.0.1", True),
        ("=50.0.1", True),
        ("^0.3.0-beta.1", True),
        ("~1.2", True),
        ("1.*", True),
        ("*", True),
        (">=1.2, <2", True),
        ("1.2.3+build.5", True),
        ("1.2.3.4", False),
        ("01.2", False),
        ("=", False),
        ("1.2,", False),
        ("latest", False),
        ('1"', False),
    ],
)
def test_version_requirement_format(text, ok):
    from witgen.wasmtime.formats import is_version_req

    assert is_version_req(text) is ok


@pytest.mark.parametrize(
    ("text", "ok"),
    [
        ("Hash", True),
        ("serde::Serialize", True),
        ("::other_crate::base", True),
        ("crate::x::Y", True),
        ("self::x", True),
        ("_private::X", True),
        ("a::crate", False),
        ("a::", False),
        ("a::b c", False),
        ("_", False),
        ("fn", False),
        ("x::<T>", False),
    ],
)
def test_rust_path_format(text, ok):
    from witgen.wasmtime.formats import is_rust_path

    assert is_rust_path(text) is ok


def test_good_option_values_are_accepted():
    files = gen(
        {
            "with": {"test:opts/base": "::other_crate::base"},
            "additional_derives": ["Hash", "serde::Serialize"],
            "dependencies": {"other_crate": {"path": "../o"}},
        }
    )
    assert "::other_crate::base::Point" in files["src/test/opts/api.rs"]
    assert "#[derive(Clone, Hash, serde::Serialize)]" in files["src/test/opts/api.rs"]


def test_error_type_aliasing_a_primitive(tmp_path):
    """`type e = u32` as a result's error type crashed (KeyError: the type arena indexed with
    a primitive); naming it in trappable_error_type is refused."""
    wit = tmp_path / "a.wit"
    wit.write_text(
        "package t:a;\ninterface i {\n  type e = u32;\n  f: func() -> result<u32, e>;\n}\n"
        "world w {\n  import i;\n  export i;\n}\n"
    )
    files = gen({}, wit=wit, world="w")
    assert "fn f(&mut self) -> Result<u32, E>;" in files["src/t/a/i.rs"]
    assert "pub fn call_f<S: ::wasmtime::AsContextMut>(" in files["src/exports/t/a/i.rs"]
    with pytest.raises(WitError, match="`t:a/i.e` is the primitive type `u32`"):
        gen({"trappable_error_type": {"t:a/i.e": "X"}}, wit=wit, world="w")


@pytest.mark.parametrize(
    "options",
    [{}, {"traits_only": True}, {"async": True, "dynamic_linking": True}],
    ids=["default", "traits-only", "async-dylib"],
)
def test_blank_lines_as_rustfmt_leaves_them(options, corpus_dir):
    """No file is patched after it is written, so each must come out right: one final
    newline, no two blank lines in a row, none after `{` or before `}`."""
    r = witgen.load(corpus_dir / "wasi-http-p2")
    worlds = [gen(options), generate(r, r.select_world("wasi:http/proxy"), options)]
    for files in worlds:
        for name, text in files.items():
            if isinstance(text, bytes):
                text = text.decode()
            assert text.endswith("\n") and not text.endswith("\n\n"), name
            lines = text.split("\n")
            for prev, ln in zip(lines, lines[1:], strict=False):
                assert not (prev == "" and ln == ""), name
                assert not (prev.endswith("{") and ln == ""), (name, prev)
                assert not (prev == "" and ln.lstrip().startswith("}")), (name, ln)


def test_cli_writes_the_crate(tmp_path):
    out = tmp_path / "crate"
    cmd = [sys.executable, "-m", "witgen", "generate", str(OPTIONS_WIT), "--world", "opts"]
    cmd += ["--target", "wasmtime", "--out", str(out), "--crate-name", "cli-crate", "--traits-only"]
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=REPO)
    assert proc.returncode == 0, proc.stderr
    toml = (out / "Cargo.toml").read_text()
    assert 'name = "cli-crate"' in toml and "optional = true" in toml
    assert (out / "src" / "exports" / "test" / "opts" / "api.rs").is_file()


def test_generation_speed_wasi_http(corpus_dir):
    r = witgen.load(corpus_dir / "wasi-http-p2")
    wid = r.select_world("wasi:http/proxy")
    generate(r, wid, {})
    t0 = time.perf_counter()
    files = generate(r, wid, {})
    assert time.perf_counter() - t0 < 1.0
    assert "src/exports/wasi/http/incoming_handler.rs" in files


def test_doc_comment_with_bare_cr(tmp_path):
    """A WIT doc with a bare CR (legal WIT) must not put the CR into a `///` comment: rustc
    rejects it ("bare CR not allowed in doc-comment")."""
    wit = tmp_path / "a.wit"
    wit.write_bytes(
        b"package t:a;\n/// iface\rline\ninterface i {\n  /// rec\rord\n  record r { x: u32 }\n"
        b"  /// en\rum\n  enum e {\n    /// ca\rse\n    c,\n  }\n  /// fl\rags\n  flags f { a }\n}\n"
        b"/// wor\rld\nworld w { import i; }\n"
    )
    files = gen(wit=wit, world="w")
    for name, text in files.items():
        assert "\r" not in text, name
    iface = files["src/t/a/i.rs"]
    assert iface.startswith("//! iface\n//! line\n")
    assert "/// rec\n/// ord\n" in iface and "/// fl\n/// ags\n" in iface
    assert "/// ca\n    /// se\n" in iface
    assert "/// wor\n/// ld\n" in files["src/lib.rs"]  # on the world struct


def test_keyword_names_are_escaped_or_renamed(tmp_path):
    """Names bindgen! cannot compile: keyword fields of `Guest`, `Self`, `drop`, `T`, std names
    (test_cargo.py compiles the whole corpus)."""
    import keywords

    path = tmp_path / "kw.wit"
    path.write_text(keywords.names_wit())
    files = gen(wit=path, world="all")
    exp = files["src/exports/kw/names/abstract_fns.rs"]
    assert "abstract_: ::wasmtime::component::Func," in exp
    s = files["src/kw/names/self_.rs"]
    assert "pub struct Self_ {" in s and "    Self_(Self_)," in s
    drop = files["src/kw/names/drop.rs"]
    assert "fn drop_(" in drop and "fn drop(&mut self, rep:" in drop
    t = files["src/kw/names/t.rs"]
    assert "type Params3 = (self::T, TFlags, Vec<String>);" in t
    # std names by their full path only where a WIT type of the module takes them
    assert "-> ::core::result::Result<Result, ResultEnum>;" in files["src/kw/names/result.rs"]
    assert "l: Vec<::std::string::String>" in files["src/kw/names/string.rs"]
    assert "l: ::std::vec::Vec<String>" in files["src/kw/names/vec.rs"]
    assert "l: Vec<String>" in files["src/kw/names/if_.rs"]
    boxed = gen({"async": True}, wit=path, world="all")["src/kw/names/box_.rs"]
    assert "::std::boxed::Box::new(async move {" in boxed


def test_world_struct_renamed_when_a_world_type_takes_its_names(tmp_path):
    """A world-level type `w` or `w-pre` would clash with the world struct `W` / `WPre`."""
    wit = tmp_path / "a.wit"
    wit.write_text(
        "package t:a;\nworld w {\n  type w-pre = u32;\n  export f: func() -> w-pre;\n}\n"
    )
    lib = gen(wit=wit, world="w")["src/lib.rs"]
    assert "pub type WPre = u32;" in lib
    assert "pub struct WWorldPre<T: 'static> {" in lib and "pub struct WWorld {" in lib
    wit.write_text("package t:a;\nworld w {\n  type v = u32;\n  export f: func() -> v;\n}\n")
    assert "pub struct WPre<T: 'static> {" in gen(wit=wit, world="w")["src/lib.rs"]


def test_export_accessors_do_not_clash_with_world_methods(tmp_path):
    """An exported plain-named interface `new` or `call-f` beside a function `f` would give the
    world struct two methods of one name."""
    wit = tmp_path / "a.wit"
    wit.write_text(
        "package t:a;\nworld w {\n  export new: interface { g: func(); }\n"
        "  export call-f: interface { g: func(); }\n  export f: func();\n}\n"
    )
    lib = gen(wit=wit, world="w")["src/lib.rs"]
    assert "pub fn new_(&self) -> &" in lib and "pub fn call_f_(&self) -> &" in lib
    assert "pub fn call_f<S: ::wasmtime::AsContextMut>(&self" in lib


UNSTABLE_WIT = """package t:u;
interface i {
  @unstable(feature = fancy-thing)
  resource r { get: func() -> u32; }
  f: func();
  @unstable(feature = fancy-thing)
  g: func();
}
@unstable(feature = other)
interface j { h: func(); }
world w { import i; import j; }
"""


def test_unstable_items_are_generated_and_gated_by_link_options(tmp_path):
    """Through the engine (what the CLI and hooks run): `@unstable` items are generated with
    no `features` given, and `add_to_linker` registers them only when `LinkOptions` enables
    their feature, as bindgen! does (rustc-checked in test_api_parity.py)."""
    from witgen.engine import BindingSpec
    from witgen.targets import TargetError, build_binding

    wit = tmp_path / "u.wit"
    wit.write_text(UNSTABLE_WIT)
    spec = {"wit_path": wit, "target": "wasmtime", "world": "w"}
    build_binding(BindingSpec(out_dir=tmp_path / "out", **spec))
    i = (tmp_path / "out" / "src/t/u/i.rs").read_text()
    assert "pub trait HostR" in i and "fn g(&mut self);" in i
    assert "pub fn fancy_thing(&mut self, enabled: bool) -> &mut Self" in i
    linker = i[i.index("pub fn add_to_linker_instance") :]
    assert linker.count("if options.fancy_thing {") == 2  # the resource and `g`, not `f`
    assert "options: &LinkOptions," in linker.split("pub fn add_to_linker<")[1]
    lib = (tmp_path / "out" / "src/lib.rs").read_text()
    assert "pub(crate) fancy_thing: bool," in lib and "pub(crate) other: bool," in lib
    assert "impl ::core::convert::From<&LinkOptions> for t::u::i::LinkOptions" in lib
    j = (tmp_path / "out" / "src/t/u/j.rs").read_text()
    assert "if options.other {\n" in j  # the unstable interface `j` as a whole
    assert "t::u::j::add_to_linker::<T, D>(linker, &options.into(), host_getter)?;" in lib
    assert "t::u::i::add_to_linker::<T, D>(linker, &options.into(), host_getter)?;" in lib
    with pytest.raises(TargetError, match="LinkOptions"):
        build_binding(BindingSpec(out_dir=tmp_path / "o2", features=("fancy-thing",), **spec))


def test_call_store_parameter_is_bindgens_unless_a_type_takes_the_name(tmp_path):
    """`call_f<S: AsContextMut>` as bindgen! names it; `_S` where the module defines a type
    `S` (a generic `S` would shadow it in the parameter types: bindgen!'s output fails there)."""
    wit = tmp_path / "a.wit"
    wit.write_text(
        "package t:a;\ninterface i { record s { x: u32 } f: func(a: s); }\n"
        "interface j { g: func(); }\nworld w { export i; export j; }\n"
    )
    files = gen({}, wit=wit, world="w")
    assert "pub fn call_f<_S: ::wasmtime::AsContextMut>(" in files["src/exports/t/a/i.rs"]
    assert "pub fn call_g<S: ::wasmtime::AsContextMut>(" in files["src/exports/t/a/j.rs"]
