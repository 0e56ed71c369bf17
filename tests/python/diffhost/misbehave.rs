// Scenarios of the `misbehave` guest, each in a fresh instance: the guest breaks the canonical
// ABI (or traps) and the host reports the error; valid oddities (a bool of 2, unknown flag bits)
// give values.
use crate::canon::{emit, flags, Canon};
use pd_misbehave::witgen::misbehave::{sink, types};
use pd_misbehave::Misbehave;
use wasmtime::component::{Component, HasSelf, Linker, Resource};
use wasmtime::{Engine, Store};

include!("misbehave_host.rs");

impl Canon for types::Color {
    fn canon(&self) -> String {
        match self {
            types::Color::Red => "red",
            types::Color::Green => "green",
            types::Color::Blue => "blue",
        }
        .to_string()
    }
}

impl Canon for types::SmallFlags {
    fn canon(&self) -> String {
        let f = [("a", Self::A), ("b", Self::B), ("c", Self::C)];
        flags(&f.map(|(n, x)| (n, self.contains(x))))
    }
}

impl Canon for types::Shape {
    fn canon(&self) -> String {
        match self {
            types::Shape::None => "none".to_string(),
            types::Shape::Circle(r) => format!("circle({})", r.canon()),
            types::Shape::Label(s) => format!("label({})", s.canon()),
        }
    }
}

impl Canon for Resource<types::Thing> {
    fn canon(&self) -> String {
        "thing".to_string()
    }
}

pub fn run(engine: &Engine, component: &Component) -> wasmtime::Result<()> {
    let mut linker = Linker::new(engine);
    Misbehave::add_to_linker::<_, HasSelf<_>>(&mut linker, |h| h)?;
    macro_rules! each {
        ($($name:literal => $call:ident,)*) => {$({
            let mut store = Store::new(engine, Host);
            let w = Misbehave::instantiate(&mut store, component, &linker)?;
            emit($name, w.$call(&mut store));
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
    // after a trap the instance refuses further calls
    let mut store = Store::new(engine, Host);
    let w = Misbehave::instantiate(&mut store, component, &linker)?;
    emit("trap then", w.call_trap(&mut store));
    emit("ok after trap", w.call_ok(&mut store));
    Ok(())
}
