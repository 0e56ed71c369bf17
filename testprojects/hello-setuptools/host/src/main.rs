//! Runs a component of world `greeter`: `hello-host COMPONENT NAME`.
//! Prints what the guest logged through `host-log` and what `greet` returned.

use hello_bindings::witgen_test::greeter::host_log::{Host, Level};
use hello_bindings::Greeter;
use wasmtime::component::{Component, HasSelf, Linker};
use wasmtime::{Engine, Store};

struct State {
    logs: Vec<String>,
}

impl Host for State {
    fn log(&mut self, level: Level, message: String) {
        let level = match level {
            Level::Info => "info",
            Level::Warn => "warn",
        };
        self.logs.push(format!("{level}: {message}"));
    }
}

fn main() -> wasmtime::Result<()> {
    let mut args = std::env::args().skip(1);
    let path = args.next().expect("usage: hello-host COMPONENT NAME");
    let name = args.next().unwrap_or_else(|| "world".to_string());
    let engine = Engine::default();
    let component = Component::from_file(&engine, &path)?;
    let mut linker = Linker::new(&engine);
    Greeter::add_to_linker::<State, HasSelf<State>>(&mut linker, |s| s)?;
    let mut store = Store::new(&engine, State { logs: Vec::new() });
    let greeter = Greeter::instantiate(&mut store, &component, &linker)?;
    let n = greeter.call_greet(&mut store, &name)?;
    for line in &store.data().logs {
        println!("{line}");
    }
    println!("greet returned {n}");
    Ok(())
}
