// Host for the C guest `async` on `rt_async_trappable` (trappable imports): concurrent host
// functions return `wasmtime::Result`. `slow-double` fails for x = 13 after yielding, and the
// error the host gets back names the import it served and still downcasts to its own type.
use rt_async_trappable::witgen::concurrency::host::{self, Counter};
use rt_async_trappable::witgen_rt::WitFunction;
use rt_async_trappable::{
    AsyncGuest, AsyncGuestImports, AsyncGuestImportsWithStore, AsyncGuestPre,
};
use wasmtime::component::{
    Accessor, Component, FutureReader, HasSelf, Linker, Resource, StreamReader,
};
use wasmtime::{Config, Engine, Store};

include!("executor.rs");

#[derive(Debug)]
struct Unlucky(u32);

impl std::fmt::Display for Unlucky {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "unlucky number {}", self.0)
    }
}

impl std::error::Error for Unlucky {}

struct Host;

impl host::HostWithStore<Host> for HasSelf<Host> {
    async fn slow_double(_: &Accessor<Host, Self>, x: u32, _yields: u32) -> wasmtime::Result<u32> {
        YieldNow(false).await;
        if x == 13 {
            return Err(wasmtime::Error::new(Unlucky(x)));
        }
        Ok(x * 2)
    }
    async fn numbers(
        accessor: &Accessor<Host, Self>,
        start: u32,
        n: u32,
    ) -> wasmtime::Result<StreamReader<u32>> {
        let items: Vec<u32> = (start..start + n).collect();
        accessor.with(|mut a| StreamReader::new(&mut a, items))
    }
    async fn value_later(
        accessor: &Accessor<Host, Self>,
        x: u32,
    ) -> wasmtime::Result<FutureReader<u32>> {
        accessor
            .with(|mut a| FutureReader::new(&mut a, async move { Ok::<u32, wasmtime::Error>(x) }))
    }
    async fn drop_future(
        accessor: &Accessor<Host, Self>,
        mut f: FutureReader<u32>,
    ) -> wasmtime::Result<()> {
        accessor.with(|mut a| f.close(&mut a))
    }
}

impl host::HostCounterWithStore<Host> for HasSelf<Host> {
    async fn add(_: &Accessor<Host, Self>, _: Resource<Counter>, n: u32) -> wasmtime::Result<u32> {
        Ok(n)
    }
}

impl host::HostCounter for Host {
    fn new(&mut self, start: u32) -> wasmtime::Result<Resource<Counter>> {
        Ok(Resource::new_own(start))
    }
    fn drop(&mut self, _: Resource<Counter>) -> wasmtime::Result<()> {
        Ok(())
    }
}

impl host::Host for Host {}

impl AsyncGuestImportsWithStore<Host> for HasSelf<Host> {
    async fn slow_concat(
        _: &Accessor<Host, Self>,
        a: String,
        b: String,
    ) -> wasmtime::Result<String> {
        Ok(a + &b)
    }
}

impl AsyncGuestImports for Host {}

async fn run(pre: &AsyncGuestPre<Host>) -> wasmtime::Result<()> {
    let mut store = Store::new(pre.engine(), Host);
    let g = pre.instantiate_async(&mut store).await?;
    let ok = store
        .run_concurrent(async |acc| g.call_double_plus_one(acc, 2).await)
        .await??;
    println!("double-plus-one 2 = {ok:?}");
    let r = store
        .run_concurrent(async |acc| g.call_double_plus_one(acc, 13).await)
        .await;
    let (e, layer) = match r {
        Ok(Ok(v)) => panic!("expected an error, got {v:?}"),
        Ok(Err(e)) => (e, "call"),
        Err(e) => (e, "run_concurrent"),
    };
    println!("double-plus-one 13 from = {layer}");
    let dbg = format!("{e:?}");
    println!(
        "double-plus-one 13 outermost = {:?}",
        e.downcast_ref::<WitFunction>().map(|w| w.to_string())
    );
    println!(
        "double-plus-one 13 names import = {}",
        dbg.contains("error in the host's import `witgen:concurrency/host#slow-double`")
    );
    println!(
        "double-plus-one 13 names export = {}",
        dbg.contains("error calling the guest's export `double-plus-one`")
    );
    println!(
        "double-plus-one 13 is Unlucky = {:?}",
        e.downcast_ref::<Unlucky>().map(|u| u.0)
    );
    Ok(())
}

fn main() -> wasmtime::Result<()> {
    let path = std::env::args()
        .nth(1)
        .expect("usage: async_trap COMPONENT");
    let mut config = Config::new();
    config.wasm_component_model_async(true);
    let engine = Engine::new(&config)?;
    let component = Component::from_file(&engine, &path)?;
    let mut linker = Linker::new(&engine);
    AsyncGuest::add_to_linker::<_, HasSelf<_>>(&mut linker, |h| h)?;
    let pre = AsyncGuestPre::new(linker.instantiate_pre(&component)?)?;
    block_on(run(&pre))
}
