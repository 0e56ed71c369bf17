//! `rust_ext._native`: runs a component of world `greeter` (wit/greeter.wit) with wasmtime.
//!
//! The host side of the world comes from `greeter-bindings`, the crate witgen generates from
//! the WIT at build time; this file only implements the `host-log` import and calls `greet`.

use std::path::PathBuf;
use std::sync::OnceLock;

use greeter_bindings::witgen_test::greeter::host_log::{Host, Level};
use greeter_bindings::Greeter;
use pyo3::exceptions::PyRuntimeError;
use pyo3::prelude::*;
use wasmtime::component::{Component, HasSelf, Linker};
use wasmtime::{Engine, Store};

/// What the guest logged through `host-log`, as `(level, message)`.
struct State {
    logs: Vec<(&'static str, String)>,
}

impl Host for State {
    fn log(&mut self, level: Level, message: String) {
        let level = match level {
            Level::Info => "info",
            Level::Warn => "warn",
        };
        self.logs.push((level, message));
    }
}

fn engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(Engine::default)
}

fn greet(component: &PathBuf, name: &str) -> wasmtime::Result<(u32, Vec<(&'static str, String)>)> {
    let engine = engine();
    let component = Component::from_file(engine, component)?;
    let mut linker = Linker::new(engine);
    Greeter::add_to_linker::<State, HasSelf<State>>(&mut linker, |s| s)?;
    let mut store = Store::new(engine, State { logs: Vec::new() });
    let greeter = Greeter::instantiate(&mut store, &component, &linker)?;
    let n = greeter.call_greet(&mut store, name)?;
    Ok((n, store.into_data().logs))
}

#[pymodule]
mod _native {
    use super::*;

    /// run(component, name) -> (greet's result, [(level, message) logged by the guest])
    ///
    /// Instantiates the component file `component` (world `greeter`) and calls its `greet`
    /// export with `name`.
    #[pyfunction]
    fn run(
        py: Python<'_>,
        component: PathBuf,
        name: String,
    ) -> PyResult<(u32, Vec<(&'static str, String)>)> {
        py.detach(|| greet(&component, &name))
            .map_err(|e| PyRuntimeError::new_err(format!("{e:?}")))
    }
}
