// Scenarios of the `scalars` guest: world exports, every scalar kind through the host's
// identity `numbers` (guest -> host -> guest), host imports.
use crate::canon::{emit, Canon};
use pd_scalars::witgen::scalars::numbers;
use pd_scalars::{Scalars, ScalarsImports};
use wasmtime::component::{Component, HasSelf, Linker};
use wasmtime::{Engine, Store};

include!("scalars_host.rs");

pub fn run(engine: &Engine, component: &Component) -> wasmtime::Result<()> {
    let mut linker = Linker::new(engine);
    Scalars::add_to_linker::<_, HasSelf<_>>(&mut linker, |h| h)?;
    let mut store = Store::new(engine, Host::default());
    let s = Scalars::instantiate(&mut store, component, &linker)?;
    let st = &mut store;
    emit("add", s.call_add(&mut *st, 2, 3));
    emit("add-wrap", s.call_add(&mut *st, u32::MAX, 2));
    emit("add-via-host", s.call_add_via_host(&mut *st, 40, 2));
    emit("echo", s.call_echo(&mut *st, "héllo, wörld ✓\n\"q\""));
    emit("concat", s.call_concat(&mut *st, "ab", "çd"));
    emit("byte-len", s.call_byte_len(&mut *st, "héllo"));
    emit("char-count", s.call_char_count(&mut *st, "héllo🦀"));
    emit("sum", s.call_sum(&mut *st, &[1, 2, 3, 250]));
    let big: Vec<u8> = (0..5000u32).map(|i| (i * 7 % 256) as u8).collect();
    emit("sum-big", s.call_sum(&mut *st, &big));
    emit("bytes-roundtrip", s.call_bytes_roundtrip(&mut *st, &[0, 1, 255]));
    emit("bytes-empty", s.call_bytes_roundtrip(&mut *st, &[]));
    emit("f32-to-bits", s.call_f32_to_bits(&mut *st, -0.0));
    emit("f32-from-bits", s.call_f32_from_bits(&mut *st, 0x3fc00000));
    emit("f32-from-bits-inf", s.call_f32_from_bits(&mut *st, 0xff800000));
    emit("f64-to-bits", s.call_f64_to_bits(&mut *st, 1.5));
    emit("f64-from-bits-nan", s.call_f64_from_bits(&mut *st, 0x7ff8000000000001));
    emit("f64-from-bits-tiny", s.call_f64_from_bits(&mut *st, 1));
    emit("log-message", s.call_log_message(&mut *st, "logged"));
    println!("logs = {}", st.data().logs.canon());
    emit("noop", s.call_noop(&mut *st));
    let n = s.witgen_scalars_numbers();
    emit("roundtrip-bool", n.call_roundtrip_bool(&mut *st, true));
    emit("roundtrip-u8", n.call_roundtrip_u8(&mut *st, 255));
    emit("roundtrip-s8", n.call_roundtrip_s8(&mut *st, -128));
    emit("roundtrip-u16", n.call_roundtrip_u16(&mut *st, 65535));
    emit("roundtrip-s16", n.call_roundtrip_s16(&mut *st, -32768));
    emit("roundtrip-u32", n.call_roundtrip_u32(&mut *st, u32::MAX));
    emit("roundtrip-s32", n.call_roundtrip_s32(&mut *st, i32::MIN));
    emit("roundtrip-u64", n.call_roundtrip_u64(&mut *st, u64::MAX));
    emit("roundtrip-s64", n.call_roundtrip_s64(&mut *st, i64::MIN));
    emit("roundtrip-f32", n.call_roundtrip_f32(&mut *st, 1.25));
    emit("roundtrip-f32-small", n.call_roundtrip_f32(&mut *st, 1e-40));
    emit("roundtrip-f64", n.call_roundtrip_f64(&mut *st, -2.5));
    emit("roundtrip-f64-inf", n.call_roundtrip_f64(&mut *st, f64::INFINITY));
    emit("roundtrip-char", n.call_roundtrip_char(&mut *st, '🦀'));
    emit("roundtrip-char-nul", n.call_roundtrip_char(&mut *st, '\0'));
    emit("roundtrip-string", n.call_roundtrip_string(&mut *st, "ünï"));
    emit("roundtrip-string-empty", n.call_roundtrip_string(&mut *st, ""));
    emit(
        "all-scalars",
        n.call_all_scalars(&mut *st, true, 1, -2, 3, -4, 5, -6, 7, -8, 9.5, -10.25, 'x'),
    );
    Ok(())
}
