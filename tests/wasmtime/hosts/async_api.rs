// Host for tests/wasmtime/wit/async-api.wit on `rt_async_api`: implements every host trait of
// the world (async methods and statics of a resource, futures and streams of all shapes,
// `error-context`) and calls every export with the concurrent API. There is no guest: the
// program only builds the linker (every import defined once, no clash) and prints that; the
// point is that this source compiles unchanged against the generated crate and bindgen!.
use rt_async_api::exports::witgen::async_api::api;
use rt_async_api::witgen::async_api::types::{self, Conn, Errno, HostConn, HostConnWithStore, Job};
use rt_async_api::{Rich, RichImports, RichImportsWithStore, RichPre};
use wasmtime::component::{
    Accessor, ErrorContext, FutureReader, HasSelf, Linker, Resource, ResourceAny, StreamReader,
};
use wasmtime::{Config, Engine, Store};

struct Host;

impl HostConn for Host {
    fn new(&mut self, _name: String) -> Resource<Conn> {
        Resource::new_own(1)
    }
    fn recv(&mut self, _c: Resource<Conn>) -> StreamReader<u8> {
        unimplemented!("no guest calls this")
    }
    fn drop(&mut self, _rep: Resource<Conn>) -> wasmtime::Result<()> {
        Ok(())
    }
}

impl HostConnWithStore<Host> for HasSelf<Host> {
    async fn send(
        _: &Accessor<Host, Self>,
        _c: Resource<Conn>,
        data: Vec<u8>,
    ) -> Result<u32, Errno> {
        if data.is_empty() {
            Err(Errno::Bad)
        } else {
            Ok(data.len() as u32)
        }
    }
    async fn close(_: &Accessor<Host, Self>, _c: Resource<Conn>) {}
    async fn open(_: &Accessor<Host, Self>, _name: String) -> Resource<Conn> {
        Resource::new_own(2)
    }
}

impl types::HostWithStore<Host> for HasSelf<Host> {
    async fn submit(accessor: &Accessor<Host, Self>, j: Job) -> u32 {
        let Job {
            id,
            mut input,
            mut done,
        } = j;
        accessor.with(|mut a| {
            input.close(&mut a).expect("close the stream");
            done.close(&mut a).expect("close the future");
        });
        id
    }
    async fn watch(
        _: &Accessor<Host, Self>,
    ) -> (
        FutureReader<()>,
        StreamReader<()>,
        FutureReader<Option<String>>,
    ) {
        unimplemented!("no guest calls this")
    }
    async fn fail(_: &Accessor<Host, Self>, e: ErrorContext) -> ErrorContext {
        e
    }
    async fn maybe(_: &Accessor<Host, Self>, x: u32) -> Result<u32, Errno> {
        x.checked_sub(1).ok_or(Errno::Worse)
    }
    async fn nested(
        _: &Accessor<Host, Self>,
        _f: FutureReader<FutureReader<u32>>,
        _s: StreamReader<StreamReader<String>>,
    ) -> Vec<FutureReader<u32>> {
        Vec::new()
    }
}

impl types::Host for Host {
    fn plain(&mut self, x: u32) -> u32 {
        x
    }
}

impl RichImportsWithStore<Host> for HasSelf<Host> {
    async fn tick(_: &Accessor<Host, Self>) -> u64 {
        0
    }
}

impl RichImports for Host {}

/// Every export, through the API a host uses in a world with concurrent imports.
#[allow(dead_code)]
async fn call_everything(store: &mut Store<Host>, pre: &RichPre<Host>) -> wasmtime::Result<()> {
    let rich: Rich = pre.instantiate_async(&mut *store).await?;
    let guest: &api::Guest = rich.witgen_async_api_api();
    store
        .run_concurrent(async |acc| -> wasmtime::Result<()> {
            let _: FutureReader<u32> = rich.call_start(acc, 1).await?;
            let (_,): (u32,) = rich.func_sync_one().call_concurrent(acc, ()).await?;
            let worker = guest.worker();
            let (w,): (ResourceAny,) = worker.func_constructor().call_concurrent(acc, ()).await?;
            let made: ResourceAny = worker.call_make(acc).await?;
            let _: Result<(), Errno> = worker.call_run(acc, w, Resource::new_own(1)).await?;
            worker.func_stop().call_concurrent(acc, (w,)).await?;
            let _: StreamReader<u32> = guest.call_go(acc, made).await?;
            Ok(())
        })
        .await??;
    Ok(())
}

fn main() -> wasmtime::Result<()> {
    let mut config = Config::new();
    config.wasm_component_model_async(true);
    let engine = Engine::new(&config)?;
    let mut linker: Linker<Host> = Linker::new(&engine);
    Rich::add_to_linker::<_, HasSelf<_>>(&mut linker, |h| h)?;
    println!("linked = true");
    let _ = call_everything;
    Ok(())
}
