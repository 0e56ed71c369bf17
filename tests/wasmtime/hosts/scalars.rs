// Host for the C guest `scalars` on the generated crate `rt_scalars` (world witgen:scalars).
// Prints `name = value` lines; tests/wasmtime/test_runtime.py compares them with wasmtime-py.
use rt_scalars::witgen::scalars::numbers;
use rt_scalars::{Scalars, ScalarsImports};
use wasmtime::component::{Component, HasSelf, Linker};
use wasmtime::{Engine, Store};

include!("scalars_host.rs");

fn main() -> wasmtime::Result<()> {
    let path = std::env::args().nth(1).expect("usage: scalars COMPONENT");
    let engine = Engine::default();
    let component = Component::from_file(&engine, &path)?;
    let mut linker = Linker::new(&engine);
    Scalars::add_to_linker::<_, HasSelf<_>>(&mut linker, |h| h)?;
    let mut store = Store::new(&engine, Host::default());
    let s = Scalars::instantiate(&mut store, &component, &linker)?;
    let st = &mut store;
    println!("add = {:?}", s.call_add(&mut *st, 2, 3)?);
    println!("add-wrap = {:?}", s.call_add(&mut *st, u32::MAX, 2)?);
    println!("add-via-host = {:?}", s.call_add_via_host(&mut *st, 40, 2)?);
    println!("echo = {:?}", s.call_echo(&mut *st, "héllo, wörld ✓")?);
    println!("concat = {:?}", s.call_concat(&mut *st, "ab", "çd")?);
    println!("byte-len = {:?}", s.call_byte_len(&mut *st, "héllo")?);
    println!("char-count = {:?}", s.call_char_count(&mut *st, "héllo")?);
    println!("sum = {:?}", s.call_sum(&mut *st, &[1, 2, 3, 250])?);
    println!(
        "bytes-roundtrip = {:?}",
        s.call_bytes_roundtrip(&mut *st, &[0, 1, 255])?
    );
    println!("f32-to-bits = {:?}", s.call_f32_to_bits(&mut *st, -0.0)?);
    println!(
        "f32-from-bits = {:?}",
        s.call_f32_from_bits(&mut *st, 0x3fc00000)?.to_bits()
    );
    println!("f64-to-bits = {:?}", s.call_f64_to_bits(&mut *st, 1.5)?);
    println!(
        "f64-from-bits = {:?}",
        s.call_f64_from_bits(&mut *st, 0x7ff8000000000001)?
            .to_bits()
    );
    s.call_log_message(&mut *st, "logged")?;
    println!("log-message = {:?}", st.data().logs);
    s.call_noop(&mut *st)?;
    let n = s.witgen_scalars_numbers();
    println!(
        "roundtrip-bool = {:?}",
        n.call_roundtrip_bool(&mut *st, true)?
    );
    println!("roundtrip-u8 = {:?}", n.call_roundtrip_u8(&mut *st, 255)?);
    println!("roundtrip-s8 = {:?}", n.call_roundtrip_s8(&mut *st, -128)?);
    println!(
        "roundtrip-u16 = {:?}",
        n.call_roundtrip_u16(&mut *st, 65535)?
    );
    println!(
        "roundtrip-s16 = {:?}",
        n.call_roundtrip_s16(&mut *st, -32768)?
    );
    println!(
        "roundtrip-u32 = {:?}",
        n.call_roundtrip_u32(&mut *st, u32::MAX)?
    );
    println!(
        "roundtrip-s32 = {:?}",
        n.call_roundtrip_s32(&mut *st, i32::MIN)?
    );
    println!(
        "roundtrip-u64 = {:?}",
        n.call_roundtrip_u64(&mut *st, u64::MAX)?
    );
    println!(
        "roundtrip-s64 = {:?}",
        n.call_roundtrip_s64(&mut *st, i64::MIN)?
    );
    println!(
        "roundtrip-f32 = {:?}",
        n.call_roundtrip_f32(&mut *st, 1.25)?.to_bits()
    );
    println!(
        "roundtrip-f64 = {:?}",
        n.call_roundtrip_f64(&mut *st, -2.5)?.to_bits()
    );
    println!(
        "roundtrip-char = {:?}",
        n.call_roundtrip_char(&mut *st, '🦀')?
    );
    println!(
        "roundtrip-string = {:?}",
        n.call_roundtrip_string(&mut *st, "ünï")?
    );
    let all = n.call_all_scalars(&mut *st, true, 1, -2, 3, -4, 5, -6, 7, -8, 9.5, -10.25, 'x')?;
    println!("all-scalars = {all:?}");
    Ok(())
}
