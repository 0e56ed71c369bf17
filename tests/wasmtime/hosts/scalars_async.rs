// Host for the C guest `scalars` on `rt_scalars_async` (generated with `async = true`): host
// functions are `async fn`s (`func_wrap_async`), exports are called with `call_*().await`
// (`call_async`). Driven by a minimal std-only executor (every future here completes without
// waiting on I/O).
use rt_scalars_async::witgen::scalars::numbers;
use rt_scalars_async::{Scalars, ScalarsImports};
use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll, Waker};
use wasmtime::component::{Component, HasSelf, Linker};
use wasmtime::{Engine, Store};

fn block_on<F: Future>(f: F) -> F::Output {
    let mut f = pin!(f);
    let mut cx = Context::from_waker(Waker::noop());
    loop {
        if let Poll::Ready(v) = f.as_mut().poll(&mut cx) {
            return v;
        }
    }
}

#[derive(Default)]
struct Host {
    calls: u32,
}

macro_rules! identity {
    ($($name:ident: $ty:ty;)*) => {
        $(async fn $name(&mut self, x: $ty) -> $ty { self.calls += 1; x })*
    };
}

impl numbers::Host for Host {
    identity! {
        roundtrip_bool: bool;
        roundtrip_u8: u8;
        roundtrip_s8: i8;
        roundtrip_u16: u16;
        roundtrip_s16: i16;
        roundtrip_u32: u32;
        roundtrip_s32: i32;
        roundtrip_u64: u64;
        roundtrip_s64: i64;
        roundtrip_f32: f32;
        roundtrip_f64: f64;
        roundtrip_char: char;
        roundtrip_string: String;
    }
    #[allow(clippy::too_many_arguments)]
    async fn all_scalars(
        &mut self,
        a: bool,
        b: u8,
        c: i8,
        d: u16,
        e: i16,
        f: u32,
        g: i32,
        h: u64,
        i: i64,
        j: f32,
        k: f64,
        l: char,
    ) -> (bool, u8, i8, u16, i16, u32, i32, u64, i64, f32, f64, char) {
        (a, b, c, d, e, f, g, h, i, j, k, l)
    }
}

impl ScalarsImports for Host {
    async fn host_add(&mut self, a: u32, b: u32) -> u32 {
        self.calls += 1;
        a.wrapping_add(b)
    }
    async fn log(&mut self, _msg: String) {}
}

fn main() -> wasmtime::Result<()> {
    let path = std::env::args()
        .nth(1)
        .expect("usage: scalars_async COMPONENT");
    let engine = Engine::default();
    let component = Component::from_file(&engine, &path)?;
    let mut linker = Linker::new(&engine);
    Scalars::add_to_linker::<_, HasSelf<_>>(&mut linker, |h| h)?;
    let mut store = Store::new(&engine, Host::default());
    block_on(async {
        let s = Scalars::instantiate_async(&mut store, &component, &linker).await?;
        println!("add = {:?}", s.call_add(&mut store, 2, 3).await?);
        println!(
            "add-via-host = {:?}",
            s.call_add_via_host(&mut store, 40, 2).await?
        );
        println!("echo = {:?}", s.call_echo(&mut store, "async ✓").await?);
        let n = s.witgen_scalars_numbers();
        println!(
            "roundtrip-string = {:?}",
            n.call_roundtrip_string(&mut store, "ünï").await?
        );
        println!("host calls = {}", store.data().calls);
        Ok(())
    })
}
