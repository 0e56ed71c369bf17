// Host for the C guest `error-context` on the generated crate `rt_error_context`: the guest
// makes `error-context` values (the error of a `result<u32, error-context>`) and reads their
// debug messages. wasmtime 50's `ErrorContext` is an opaque handle for the host (no
// constructor, no message, not `Clone`/`Debug`): the host only passes what it got back to the
// guest (`describe`). Sync exports, so the plain `call_*(store, ..)` work; the engine needs
// the component-model async and error-context (📝) features.
//
// Output: `name = value` lines in `Debug` form.
use rt_error_context::{ErrorGuest, ErrorGuestPre};
use wasmtime::component::{Component, ErrorContext, Linker};
use wasmtime::{Config, Engine, Store};

/// `parse-u32(s)`, and the guest's `describe` of the error it returned (if any).
fn parse(g: &ErrorGuest, store: &mut Store<()>, s: &str) -> wasmtime::Result<String> {
    let r: Result<u32, ErrorContext> = g.call_parse_u32(&mut *store, s)?;
    Ok(match r {
        Ok(n) => format!("Ok({n:?})"),
        Err(e) => format!("Err({:?})", g.call_describe(&mut *store, e)?),
    })
}

fn main() -> wasmtime::Result<()> {
    let path = std::env::args()
        .nth(1)
        .expect("usage: error_context COMPONENT");
    let mut config = Config::new();
    config.wasm_component_model_async(true);
    config.wasm_component_model_error_context(true);
    let engine = Engine::new(&config)?;
    let component = Component::from_file(&engine, &path)?;
    let linker = Linker::new(&engine);
    let pre = ErrorGuestPre::new(linker.instantiate_pre(&component)?)?;
    let mut store = Store::new(&engine, ());
    let g = pre.instantiate(&mut store)?;
    for s in ["1234", "12x", "", "wörld", "4294967295", "007"] {
        println!("parse-u32 {s:?} = {}", parse(&g, &mut store, s)?);
    }
    // several error-contexts alive at once, described in the reverse order of their making
    let mut errors = Vec::new();
    for s in ["a", "b", "c"] {
        match g.call_parse_u32(&mut store, s)? {
            Ok(n) => panic!("parse-u32 {s:?} gave {n}"),
            Err(e) => errors.push(e),
        }
    }
    let mut described = Vec::new();
    while let Some(e) = errors.pop() {
        described.push(g.call_describe(&mut store, e)?);
    }
    println!("describe in reverse = {described:?}");

    // without the error-context feature the component does not load
    let mut config = Config::new();
    config.wasm_component_model_async(true);
    let engine = Engine::new(&config)?;
    match Component::from_file(&engine, &path) {
        Ok(_) => println!("without error-context = \"loaded\""),
        Err(e) => println!("without error-context = {:?}", format!("{e:#}")),
    }
    Ok(())
}
