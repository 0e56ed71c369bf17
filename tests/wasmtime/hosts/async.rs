// Host for the C guest `async` on the generated crate `rt_async` (WIT `async func`, `future<T>`,
// `stream<T>`: component-model async). Host imports are `HostWithStore` functions taking an
// `&Accessor` (`func_wrap_concurrent`); exports are called inside `Store::run_concurrent` with
// `call_*(accessor, ..)` (`call_concurrent`). Futures and streams go both ways: the host makes
// them with `FutureReader::new` / `StreamReader::new` (a Rust future / a `Vec` as producer)
// and reads the guest's through `pipe` into a consumer that collects the items; wasmtime drops
// a consumer when the guest drops the writer, which is how the host sees a stream end.
//
// Each scenario runs in a fresh store (a trap poisons its instance). Output: `name = value`
// lines in `Debug` form; lines starting with `context ` show the outermost error message, which
// differs between this crate (it names the export) and bindgen! (the test compares them apart).
use rt_async::witgen::concurrency::host::{self, Counter};
use rt_async::{AsyncGuest, AsyncGuestImports, AsyncGuestImportsWithStore, AsyncGuestPre};
use std::collections::BTreeMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Waker};
use wasmtime::component::{
    Accessor, Component, FutureConsumer, FutureReader, HasSelf, Lift, Linker, Resource, Source,
    StreamConsumer, StreamReader, StreamResult,
};
use wasmtime::{Config, Engine, Store, StoreContextMut, Trap};

include!("executor.rs");

async fn yield_times(n: u32) {
    for _ in 0..n {
        YieldNow(false).await;
    }
}

/// Polls every future until all are done (all of one type), results in order.
async fn join_all<F: Future>(futures: Vec<F>) -> Vec<F::Output> {
    let mut futures: Vec<Option<Pin<Box<F>>>> =
        futures.into_iter().map(|f| Some(Box::pin(f))).collect();
    let mut out: Vec<Option<F::Output>> = futures.iter().map(|_| None).collect();
    std::future::poll_fn(|cx| {
        let mut pending = false;
        for (slot, result) in futures.iter_mut().zip(out.iter_mut()) {
            if let Some(f) = slot {
                match f.as_mut().poll(cx) {
                    Poll::Ready(v) => {
                        *result = Some(v);
                        *slot = None;
                    }
                    Poll::Pending => pending = true,
                }
            }
        }
        if pending {
            Poll::Pending
        } else {
            Poll::Ready(())
        }
    })
    .await;
    out.into_iter().map(Option::unwrap).collect()
}

// --- reading what the guest writes -----------------------------------------------------------

#[derive(Default)]
struct Got<T> {
    items: Vec<T>,
    writes: u32,
    ended: bool,
    waker: Option<Waker>,
}

/// A stream/future consumer collecting the items; its `Drop` marks the end.
struct Sink<T>(Arc<Mutex<Got<T>>>);

impl<T> Sink<T> {
    fn new() -> (Self, Arc<Mutex<Got<T>>>) {
        let shared = Arc::new(Mutex::new(Got {
            items: Vec::new(),
            writes: 0,
            ended: false,
            waker: None,
        }));
        (Sink(shared.clone()), shared)
    }

    fn take<D>(
        &self,
        mut store: StoreContextMut<D>,
        mut source: Source<'_, T>,
    ) -> wasmtime::Result<()>
    where
        T: Lift + Send + Sync + 'static,
    {
        let n = source.remaining(&mut store);
        let mut buf = Vec::with_capacity(n);
        source.read(&mut store, &mut buf)?;
        let mut got = self.0.lock().unwrap();
        got.items.extend(buf);
        got.writes += 1;
        if let Some(w) = got.waker.take() {
            w.wake();
        }
        Ok(())
    }
}

impl<T> Drop for Sink<T> {
    fn drop(&mut self) {
        let mut got = self.0.lock().unwrap();
        got.ended = true;
        if let Some(w) = got.waker.take() {
            w.wake();
        }
    }
}

impl<D, T: Lift + Send + Sync + 'static> StreamConsumer<D> for Sink<T> {
    type Item = T;
    fn poll_consume(
        self: Pin<&mut Self>,
        _cx: &mut Context<'_>,
        store: StoreContextMut<D>,
        source: Source<'_, T>,
        _finish: bool,
    ) -> Poll<wasmtime::Result<StreamResult>> {
        Poll::Ready(self.take(store, source).map(|()| StreamResult::Completed))
    }
}

impl<D, T: Lift + Send + Sync + 'static> FutureConsumer<D> for Sink<T> {
    type Item = T;
    fn poll_consume(
        self: Pin<&mut Self>,
        _cx: &mut Context<'_>,
        store: StoreContextMut<D>,
        source: Source<'_, T>,
        _finish: bool,
    ) -> Poll<wasmtime::Result<()>> {
        Poll::Ready(self.take(store, source))
    }
}

/// Waits until the writer is gone: (items, number of writes).
async fn until_end<T>(shared: Arc<Mutex<Got<T>>>) -> (Vec<T>, u32) {
    std::future::poll_fn(|cx| {
        let mut got = shared.lock().unwrap();
        if got.ended {
            Poll::Ready((std::mem::take(&mut got.items), got.writes))
        } else {
            got.waker = Some(cx.waker().clone());
            Poll::Pending
        }
    })
    .await
}

/// Waits for a future's value (`None`: the writer went away without one).
async fn value_of<T>(shared: Arc<Mutex<Got<T>>>) -> Option<T> {
    std::future::poll_fn(|cx| {
        let mut got = shared.lock().unwrap();
        if !got.items.is_empty() {
            Poll::Ready(Some(got.items.remove(0)))
        } else if got.ended {
            Poll::Ready(None)
        } else {
            got.waker = Some(cx.waker().clone());
            Poll::Pending
        }
    })
    .await
}

// --- the host's imports ----------------------------------------------------------------------

#[derive(Default)]
struct Host {
    log: Vec<String>,
    counters: BTreeMap<u32, u32>,
    next_counter: u32,
}

fn note(accessor: &Accessor<Host, HasSelf<Host>>, line: String) {
    accessor.with(|mut a| a.get().log.push(line));
}

/// Host futures wasmtime dropped before they finished (a cancelled subtask): their names.
static DROPPED_EARLY: Mutex<Vec<String>> = Mutex::new(Vec::new());

/// Notes its name in `DROPPED_EARLY` when dropped before `done`.
struct DropGuard(Option<String>);

impl DropGuard {
    fn done(&mut self) {
        self.0 = None;
    }
}

impl Drop for DropGuard {
    fn drop(&mut self) {
        if let Some(name) = self.0.take() {
            DROPPED_EARLY.lock().unwrap().push(name);
        }
    }
}

impl host::HostWithStore<Host> for HasSelf<Host> {
    async fn slow_double(accessor: &Accessor<Host, Self>, x: u32, yields: u32) -> u32 {
        note(accessor, format!("slow-double({x}) start"));
        let mut guard = DropGuard(Some(format!("slow-double({x})")));
        yield_times(yields).await;
        guard.done();
        note(accessor, format!("slow-double({x}) end"));
        x.wrapping_mul(2)
    }

    async fn numbers(accessor: &Accessor<Host, Self>, start: u32, n: u32) -> StreamReader<u32> {
        let items: Vec<u32> = (0..n).map(|i| start.wrapping_add(i)).collect();
        accessor
            .with(|mut a| StreamReader::new(&mut a, items))
            .expect("StreamReader::new")
    }

    async fn value_later(accessor: &Accessor<Host, Self>, x: u32) -> FutureReader<u32> {
        let value = async move {
            yield_times(1).await;
            Ok::<u32, wasmtime::Error>(x.wrapping_mul(10))
        };
        accessor
            .with(|mut a| FutureReader::new(&mut a, value))
            .expect("FutureReader::new")
    }

    async fn drop_future(accessor: &Accessor<Host, Self>, mut f: FutureReader<u32>) {
        accessor
            .with(|mut a| f.close(&mut a))
            .expect("FutureReader::close");
        note(accessor, "drop-future closed".to_string());
    }
}

impl host::HostCounterWithStore<Host> for HasSelf<Host> {
    async fn add(accessor: &Accessor<Host, Self>, self_: Resource<Counter>, n: u32) -> u32 {
        yield_times(1).await;
        accessor.with(|mut a| {
            let host = a.get();
            let v = host.counters.get_mut(&self_.rep()).expect("a live counter");
            *v = v.wrapping_add(n);
            host.log.push(format!("counter {} add {n}", self_.rep()));
            *v
        })
    }
}

impl host::HostCounter for Host {
    fn new(&mut self, start: u32) -> Resource<Counter> {
        self.next_counter += 1;
        self.counters.insert(self.next_counter, start);
        self.log.push(format!("counter {} new", self.next_counter));
        Resource::new_own(self.next_counter)
    }
    fn drop(&mut self, rep: Resource<Counter>) -> wasmtime::Result<()> {
        self.counters.remove(&rep.rep());
        self.log.push(format!("counter {} dropped", rep.rep()));
        Ok(())
    }
}

impl host::Host for Host {}

impl AsyncGuestImportsWithStore<Host> for HasSelf<Host> {
    async fn slow_concat(accessor: &Accessor<Host, Self>, a: String, b: String) -> String {
        yield_times(1).await;
        note(accessor, format!("slow-concat({a:?}, {b:?})"));
        a + &b
    }
}

impl AsyncGuestImports for Host {}

// --- scenarios -------------------------------------------------------------------------------

fn store(pre: &AsyncGuestPre<Host>) -> Store<Host> {
    Store::new(pre.engine(), Host::default())
}

/// `Trap` code and root cause of an error (the parts bindgen! and witgen agree on).
fn describe(e: &wasmtime::Error) -> String {
    format!(
        "{:?} {:?}",
        e.downcast_ref::<Trap>(),
        e.root_cause().to_string()
    )
}

/// The error of a scenario expected to fail, and where it surfaced: from the export call's
/// future (`call`) or from `run_concurrent` itself (a trap while the store's event loop ran
/// the guest, which then fails every call in flight).
fn error_of<T: std::fmt::Debug>(
    r: wasmtime::Result<wasmtime::Result<T>>,
) -> (wasmtime::Error, &'static str) {
    match r {
        Ok(Ok(v)) => panic!("expected an error, got {v:?}"),
        Ok(Err(e)) => (e, "call"),
        Err(e) => (e, "run_concurrent"),
    }
}

/// Prints what is known of a failed scenario.
fn report(name: &str, r: (wasmtime::Error, &'static str)) {
    let (e, layer) = r;
    println!("{name} = {}", describe(&e));
    println!("{name} from = {layer}");
    let outer = e.to_string();
    println!("context {name} = {}", outer.lines().next().unwrap_or(""));
}

async fn run(pre: &AsyncGuestPre<Host>) -> wasmtime::Result<()> {
    // awaiting host imports, one call at a time and three at once
    let mut s = store(pre);
    let g = pre.instantiate_async(&mut s).await?;
    let (one, many, greeting) = s
        .run_concurrent(async |acc| -> wasmtime::Result<_> {
            let one = g.call_double_plus_one(acc, 5).await?;
            acc.with(|mut a| a.get().log.clear());
            let calls = [3u32, 1, 2].map(|x| g.call_double_plus_one(acc, x));
            let many: wasmtime::Result<Vec<u32>> =
                join_all(calls.into()).await.into_iter().collect();
            let greeting = g.call_greet(acc, "wörld".to_string()).await?;
            Ok((one, many?, greeting))
        })
        .await??;
    println!("double-plus-one = {one:?}");
    println!("concurrent double-plus-one = {many:?}");
    let log = std::mem::take(&mut s.data_mut().log);
    println!("concurrent log = {:?}", &log[..6]);
    println!("greet = {greeting:?}");
    println!("greet log = {:?}", &log[6..]);

    // futures both ways
    let mut s = store(pre);
    let g = pre.instantiate_async(&mut s).await?;
    let (tripled, plus_one, made, dropped) = s
        .run_concurrent(async |acc| -> wasmtime::Result<_> {
            let seven = acc.with(|mut a| {
                FutureReader::new(&mut a, async {
                    yield_times(2).await;
                    Ok::<u32, wasmtime::Error>(7)
                })
            })?;
            let tripled = g.call_triple_future(acc, seven).await?;
            let plus_one = g.call_host_future_plus_one(acc, 3).await?;
            let reader = g.call_make_future(acc, "stressed".to_string()).await?;
            let (sink, got) = Sink::new();
            acc.with(|mut a| reader.pipe(&mut a, sink))?;
            let made = value_of(got).await;
            let dropped = g.call_write_to_dropped(acc).await?;
            Ok((tripled, plus_one, made, dropped))
        })
        .await??;
    println!("triple-future = {tripled:?}");
    println!("host-future-plus-one = {plus_one:?}");
    println!("make-future = {made:?}");
    println!("write-to-dropped = {dropped:?}");
    println!("write-to-dropped log = {:?}", s.data().log);

    // streams both ways, through the exported interface
    let mut s = store(pre);
    let g = pre.instantiate_async(&mut s).await?;
    let bytes: Vec<u8> = (0..300u32).map(|i| (i * 7 % 256) as u8).collect();
    let words: Vec<String> = ["hi", "wörld", "", "async", "streams", "of", "strings"]
        .map(String::from)
        .into();
    let (summed, counted, shouted, host_sum) = s
        .run_concurrent(async |acc| -> wasmtime::Result<_> {
            let p = g.witgen_concurrency_pipes();
            let input = acc.with(|mut a| StreamReader::new(&mut a, bytes))?;
            let summed = p.call_sum_bytes(acc, input).await?;
            let out = p.call_count_up(acc, 10, 7).await?;
            let (sink, got) = Sink::new();
            acc.with(|mut a| out.pipe(&mut a, sink))?;
            let counted = until_end(got).await;
            let input = acc.with(|mut a| StreamReader::new(&mut a, words))?;
            let out = p.call_shout(acc, input).await?;
            let (sink, got) = Sink::new();
            acc.with(|mut a| out.pipe(&mut a, sink))?;
            let (shouted, _) = until_end(got).await;
            let host_sum = p.call_sum_host_numbers(acc, 1, 100).await?;
            Ok((summed, counted, shouted, host_sum))
        })
        .await??;
    println!("sum-bytes = {summed:?}");
    println!("count-up = {:?}", counted.0);
    println!("count-up writes = {:?}", counted.1);
    println!("shout = {shouted:?}");
    println!("sum-host-numbers = {host_sum:?}");

    // resources with async methods: the host's counter, the guest's tally
    let mut s = store(pre);
    let g = pre.instantiate_async(&mut s).await?;
    let p = g.witgen_concurrency_pipes();
    let (counted, totals, before, t) = s
        .run_concurrent(async |acc| -> wasmtime::Result<_> {
            let counted = g.call_count_with(acc, 40, 2).await?;
            // the constructor and `tallies-alive` are sync exports: through their TypedFunc
            let (t,) = p
                .tally()
                .func_constructor()
                .call_concurrent(acc, ())
                .await?;
            let first = p.tally().call_add(acc, t, 5).await?;
            let second = p.tally().call_add(acc, t, 7).await?;
            let (before,) = p.func_tallies_alive().call_concurrent(acc, ()).await?;
            Ok((counted, [first, second], before, t))
        })
        .await??;
    // dropped from the store, outside the event loop: wasmtime 48 has no drop through an
    // `Accessor` (`resource_drop_concurrent` came in 50), and this source builds on every major
    t.resource_drop_async(&mut s).await?;
    let (after,) = s
        .run_concurrent(async |acc| p.func_tallies_alive().call_concurrent(acc, ()).await)
        .await??;
    let alive = [before, after];
    println!("count-with = {counted:?}");
    println!("resources log = {:?}", s.data().log);
    println!("tally add = {totals:?}");
    println!("tallies alive = {alive:?}");

    // cancellation by the guest: a subtask (the host's `slow-double`) and a future read
    let mut s = store(pre);
    let g = pre.instantiate_async(&mut s).await?;
    let (at_once, cancelled, pending, ready) = s
        .run_concurrent(async |acc| -> wasmtime::Result<_> {
            let at_once = g.call_cancel_slow_double(acc, 6, 0).await?;
            let cancelled = g.call_cancel_slow_double(acc, 9, 1000).await?;
            let never = acc.with(|mut a| {
                FutureReader::new(&mut a, std::future::pending::<wasmtime::Result<u32>>())
            })?;
            let pending = g.call_cancel_future_read(acc, never).await?;
            let now = acc
                .with(|mut a| FutureReader::new(&mut a, async { Ok::<u32, wasmtime::Error>(5) }))?;
            let ready = g.call_cancel_future_read(acc, now).await?;
            Ok((at_once, cancelled, pending, ready))
        })
        .await??;
    println!("cancel-slow-double at once = {at_once:?}");
    println!("cancel-slow-double later = {cancelled:?}");
    println!("cancel log = {:?}", s.data().log);
    println!("cancel dropped early = {:?}", DROPPED_EARLY.lock().unwrap());
    println!("cancel-future-read pending = {pending:?}");
    println!("cancel-future-read ready = {ready:?}");

    // a sync export calling an async import: fine when the host answers at once
    let mut s = store(pre);
    let g = pre.instantiate_async(&mut s).await?;
    let now = s
        .run_concurrent(async |acc| g.func_sync_double().call_concurrent(acc, (4, 0)).await)
        .await??;
    println!("sync-double now = {:?}", now.0);
    // ... but not through the synchronous `call_sync_double` (`TypedFunc::call`): the linker's
    // concurrent host functions make the store require the async entry points
    match g.call_sync_double(&mut s, 4, 0) {
        Ok(v) => println!("call_sync_double = {v:?}"),
        Err(e) => println!("call_sync_double = {:?}", e.root_cause().to_string()),
    }

    // error paths, each in a fresh store
    let mut s = store(pre);
    let g = pre.instantiate_async(&mut s).await?;
    let r = s
        .run_concurrent(async |acc| g.func_sync_double().call_concurrent(acc, (4, 1)).await)
        .await;
    report("sync-double later", error_of(r));

    let mut s = store(pre);
    let g = pre.instantiate_async(&mut s).await?;
    let r = s
        .run_concurrent(async |acc| g.call_trap_after_await(acc, 4).await)
        .await;
    report("trap-after-await", error_of(r));
    println!("trap-after-await log = {:?}", s.data().log);
    // the instance is poisoned: the next call fails to start (an error of the call itself)
    let r = s
        .run_concurrent(async |acc| g.call_double_plus_one(acc, 1).await)
        .await;
    report("after trap", error_of(r));

    let mut s = store(pre);
    let g = pre.instantiate_async(&mut s).await?;
    let r = s
        .run_concurrent(async |acc| {
            g.func_forgotten_future()
                .call_concurrent(acc, ())
                .await
                .map(|_| ())
        })
        .await;
    report("forgotten-future", error_of(r));
    Ok(())
}

fn main() -> wasmtime::Result<()> {
    let path = std::env::args().nth(1).expect("usage: async COMPONENT");
    let mut config = Config::new();
    config.wasm_component_model_async(true);
    let engine = Engine::new(&config)?;
    let component = Component::from_file(&engine, &path)?;
    let mut linker = Linker::new(&engine);
    AsyncGuest::add_to_linker::<_, HasSelf<_>>(&mut linker, |h| h)?;
    let pre = AsyncGuestPre::new(linker.instantiate_pre(&component)?)?;
    block_on(run(&pre))
}
