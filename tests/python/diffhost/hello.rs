// Scenarios of the `hello` guest: world-level exports (strings, a record, a list, a result, an
// option of a record) and the imported `log` the guest calls from `greet`.
use crate::canon::{emit, Canon};
use pd_hello::{Hello, HelloImports, Person};
use wasmtime::component::{Component, HasSelf, Linker};
use wasmtime::{Engine, Store};

crate::canon_record!(Person { name, age });

#[derive(Default)]
struct Host {
    logs: Vec<String>,
}

impl pd_hello::witgen::hello::types::Host for Host {}

impl HelloImports for Host {
    fn log(&mut self, msg: String) {
        self.logs.push(msg);
    }
}

fn person(name: &str, age: u8) -> Person {
    Person { name: name.into(), age }
}

pub fn run(engine: &Engine, component: &Component) -> wasmtime::Result<()> {
    let mut linker = Linker::new(engine);
    Hello::add_to_linker::<_, HasSelf<_>>(&mut linker, |h| h)?;
    let mut store = Store::new(engine, Host::default());
    let st = &mut store;
    let w = Hello::instantiate(&mut *st, component, &linker)?;
    emit("greet", w.call_greet(&mut *st, "wörld"));
    emit("greet empty", w.call_greet(&mut *st, ""));
    println!("logs = {}", st.data().logs.canon());
    emit("describe", w.call_describe(&mut *st, &person("Ann", 31)));
    emit("describe max", w.call_describe(&mut *st, &person("\u{1F600}\t\"q\"", 255)));
    emit("sum-list", w.call_sum_list(&mut *st, &[1, -2, i32::MAX, i32::MAX]));
    emit("sum-list min", w.call_sum_list(&mut *st, &[i32::MIN, i32::MIN, -1]));
    emit("sum-list empty", w.call_sum_list(&mut *st, &[]));
    for s in ["42", "0", "255", "256", "x", "", "-1"] {
        emit(&format!("parse-age {s:?}"), w.call_parse_age(&mut *st, s));
    }
    let people = [person("Ann", 31), person("Bob", 47), person("Cy", 47)];
    emit("oldest", w.call_oldest(&mut *st, &people));
    emit("oldest one", w.call_oldest(&mut *st, &people[..1]));
    emit("oldest empty", w.call_oldest(&mut *st, &[]));
    Ok(())
}
