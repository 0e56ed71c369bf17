// Host for the misbehaving guest `misbehave` on `rt_misbehave` (trappable imports). Each
// export runs in a fresh instance; an error prints the WIT function it names
// (`witgen_rt::WitFunction` context) and its root cause.
use rt_misbehave::witgen::misbehave::{sink, types};
use rt_misbehave::witgen_rt::WitFunction;
use rt_misbehave::Misbehave;
use wasmtime::component::{Component, HasSelf, Linker, Resource};
use wasmtime::{Engine, Store};

include!("misbehave_host.rs");

fn report<T: std::fmt::Debug>(name: &str, r: wasmtime::Result<T>) {
    match r {
        Ok(v) => println!("{name} = ok {v:?}"),
        Err(e) => {
            let site = e
                .downcast_ref::<WitFunction>()
                .map(|w| w.to_string())
                .unwrap_or_else(|| "<no WIT context>".to_string());
            let root = e.root_cause().to_string().replace('\n', " ");
            println!("{name} = err [{site}] {root}");
        }
    }
}

fn main() -> wasmtime::Result<()> {
    let path = std::env::args().nth(1).expect("usage: misbehave COMPONENT");
    let engine = Engine::default();
    let component = Component::from_file(&engine, &path)?;
    let mut linker = Linker::new(&engine);
    Misbehave::add_to_linker::<_, HasSelf<_>>(&mut linker, |h| h)?;
    macro_rules! each {
        ($($name:literal => $call:ident,)*) => {$({
            let mut store = Store::new(&engine, Host);
            let w = Misbehave::instantiate(&mut store, &component, &linker)?;
            report($name, w.$call(&mut store));
        })*};
    }
    each! {
        "ok" => call_ok,
        "trap" => call_trap,
        "bad-pointer" => call_bad_pointer,
        "bad-list-length" => call_bad_list_length,
        "bad-list-alignment" => call_bad_list_alignment,
        "bad-utf8" => call_bad_utf8,
        "bad-enum" => call_bad_enum,
        "bad-variant" => call_bad_variant,
        "bad-option" => call_bad_option,
        "bad-result" => call_bad_result,
        "odd-bool" => call_odd_bool,
        "bad-flags" => call_bad_flags,
        "bad-char-surrogate" => call_bad_char_surrogate,
        "bad-char-range" => call_bad_char_range,
        "bad-handle" => call_bad_handle,
        "pass-bad-utf8" => call_pass_bad_utf8,
        "pass-bad-char" => call_pass_bad_char,
        "pass-bad-pointer" => call_pass_bad_pointer,
        "pass-bad-handle" => call_pass_bad_handle,
        "drop-bad-handle" => call_drop_bad_handle,
    }
    Ok(())
}
