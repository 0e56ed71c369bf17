// Host of a WASI command component (tests/wasmtime/guests/command.c) on the crate generated for
// the corpus world `wasi:cli/command` with `wasi = "wasmtime-wasi"`: every WASI interface is
// wasmtime-wasi's (`rt_wasi_command::wasi::...` re-exports its modules), WASI is added with
// `wasmtime_wasi::p2::add_to_linker_sync`, and the generated `Command` instantiates the
// component and calls its `wasi:cli/run` export, as a host on wasmtime-wasi's own bindings does.
//
// usage: host-wasi-command COMPONENT [GUEST_ARG...]
//   stdin is "line from the host", stdout/stderr are captured in memory pipes; prints
//   `run = ...` (Ok(()), Err(()) or the exit status of `exit`), `stdout = ...`, `stderr = ...`.
use rt_wasi_command::Command;
use wasmtime::component::{Component, Linker, ResourceTable};
use wasmtime::{Engine, Store};
use wasmtime_wasi::p2::pipe::{MemoryInputPipe, MemoryOutputPipe};
use wasmtime_wasi::{I32Exit, WasiCtx, WasiCtxView, WasiView};

struct State {
    ctx: WasiCtx,
    table: ResourceTable,
}

impl WasiView for State {
    fn ctx(&mut self) -> WasiCtxView<'_> {
        WasiCtxView {
            ctx: &mut self.ctx,
            table: &mut self.table,
        }
    }
}

fn main() -> wasmtime::Result<()> {
    let mut args = std::env::args().skip(1);
    let path = args
        .next()
        .expect("usage: host-wasi-command COMPONENT [GUEST_ARG...]");
    let engine = Engine::default();
    let component = Component::from_file(&engine, &path)?;
    let mut linker = Linker::<State>::new(&engine);
    wasmtime_wasi::p2::add_to_linker_sync(&mut linker)?;

    let stdout = MemoryOutputPipe::new(1 << 20);
    let stderr = MemoryOutputPipe::new(1 << 20);
    let mut builder = WasiCtx::builder();
    builder
        .stdin(MemoryInputPipe::new("line from the host\n"))
        .stdout(stdout.clone())
        .stderr(stderr.clone())
        .env("WITGEN_GREETING", "bonjour")
        .arg("guest");
    for a in args {
        builder.arg(a);
    }
    let state = State {
        ctx: builder.build(),
        table: ResourceTable::new(),
    };
    let mut store = Store::new(&engine, state);
    let command = Command::instantiate(&mut store, &component, &linker)?;
    match command.wasi_cli_run().call_run(&mut store) {
        Ok(r) => println!("run = {r:?}"),
        Err(e) => match e.downcast_ref::<I32Exit>() {
            Some(exit) => println!("run = exit {}", exit.0),
            None => return Err(e),
        },
    }
    let text = |p: &MemoryOutputPipe| String::from_utf8_lossy(&p.contents()).into_owned();
    println!("stdout = {:?}", text(&stdout));
    println!("stderr = {:?}", text(&stderr));
    Ok(())
}
