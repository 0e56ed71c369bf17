// Host for the C guest `scalars` on `rt_scalars_trappable` (trappable imports): the host's
// `host-add` fails for a = 13, and the error seen by the caller of `add-via-host` names both
// the import the host served and the export the host called.
use rt_scalars_trappable::witgen::scalars::numbers;
use rt_scalars_trappable::witgen_rt::WitFunction;
use rt_scalars_trappable::{Scalars, ScalarsImports};
use wasmtime::component::{Component, HasSelf, Linker};
use wasmtime::{Engine, Store};

struct Host;

#[derive(Debug)]
struct Unlucky(u32);

impl std::fmt::Display for Unlucky {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "unlucky number {}", self.0)
    }
}

impl std::error::Error for Unlucky {}

macro_rules! ok {
    ($($name:ident: $ty:ty;)*) => {
        $(fn $name(&mut self, x: $ty) -> wasmtime::Result<$ty> { Ok(x) })*
    };
}

impl numbers::Host for Host {
    ok! {
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
    fn all_scalars(
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
    ) -> wasmtime::Result<(bool, u8, i8, u16, i16, u32, i32, u64, i64, f32, f64, char)> {
        Ok((a, b, c, d, e, f, g, h, i, j, k, l))
    }
}

impl ScalarsImports for Host {
    fn host_add(&mut self, a: u32, b: u32) -> wasmtime::Result<u32> {
        if a == 13 {
            return Err(wasmtime::Error::new(Unlucky(a)));
        }
        Ok(a + b)
    }
    fn log(&mut self, _msg: String) -> wasmtime::Result<()> {
        Ok(())
    }
}

fn main() -> wasmtime::Result<()> {
    let path = std::env::args()
        .nth(1)
        .expect("usage: scalars_trap COMPONENT");
    let engine = Engine::default();
    let component = Component::from_file(&engine, &path)?;
    let mut linker = Linker::new(&engine);
    Scalars::add_to_linker::<_, HasSelf<_>>(&mut linker, |h| h)?;
    let mut store = Store::new(&engine, Host);
    let s = Scalars::instantiate(&mut store, &component, &linker)?;
    println!(
        "add-via-host 1 = {:?}",
        s.call_add_via_host(&mut store, 1, 2)?
    );
    let err = s.call_add_via_host(&mut store, 13, 2).unwrap_err();
    let dbg = format!("{err:?}");
    println!(
        "add-via-host 13 outermost = {}",
        err.downcast_ref::<WitFunction>()
            .map(|w| w.to_string())
            .unwrap_or_default()
    );
    println!(
        "add-via-host 13 names export = {}",
        dbg.contains("calling the guest's export `add-via-host`")
    );
    println!(
        "add-via-host 13 names import = {}",
        dbg.contains("in the host's import `host-add`")
    );
    println!(
        "add-via-host 13 is Unlucky = {}",
        err.downcast_ref::<Unlucky>().is_some()
    );
    println!("add-via-host 13 = {err:?}");
    Ok(())
}
