// The Rust side of tests/python/test_python_vs_rust.py: `pydiff SUITE COMPONENT` runs the
// scenarios of SUITE on the component through the wasmtime target's generated crates and prints
// `name = value` lines (canon.rs); the test runs the same scenarios through the python target.
mod canon;
mod compound;
mod misbehave;
mod resources;
mod scalars;

use wasmtime::component::Component;
use wasmtime::Engine;

fn main() -> wasmtime::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let [_, suite, path] = &args[..] else {
        panic!("usage: pydiff scalars|compound|resources|misbehave COMPONENT");
    };
    let engine = Engine::default();
    let component = Component::from_file(&engine, path)?;
    match suite.as_str() {
        "scalars" => scalars::run(&engine, &component),
        "compound" => compound::run(&engine, &component),
        "resources" => resources::run(&engine, &component),
        "misbehave" => misbehave::run(&engine, &component),
        _ => panic!("unknown suite {suite}"),
    }
}
