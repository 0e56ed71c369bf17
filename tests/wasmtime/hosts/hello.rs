// Host for the `hello` guests (C and componentize-py) on the generated crate `rt_hello`.
use rt_hello::{Hello, HelloImports, Person};
use wasmtime::component::{Component, HasSelf, Linker};
use wasmtime::{Engine, Store};

#[derive(Default)]
struct Host {
    logs: Vec<String>,
}

impl rt_hello::witgen::hello::types::Host for Host {}

impl HelloImports for Host {
    fn log(&mut self, msg: String) {
        self.logs.push(msg);
    }
}

fn main() -> wasmtime::Result<()> {
    let path = std::env::args().nth(1).expect("usage: hello COMPONENT");
    let engine = Engine::default();
    let component = Component::from_file(&engine, &path)?;
    let mut linker = Linker::new(&engine);
    Hello::add_to_linker::<_, HasSelf<_>>(&mut linker, |h| h)?;
    let mut store = Store::new(&engine, Host::default());
    let w = Hello::instantiate(&mut store, &component, &linker)?;
    let st = &mut store;
    println!("greet = {:?}", w.call_greet(&mut *st, "wörld")?);
    println!("logs = {:?}", st.data().logs);
    let ann = Person {
        name: "Ann".into(),
        age: 31,
    };
    let bob = Person {
        name: "Bob".into(),
        age: 47,
    };
    println!("describe = {:?}", w.call_describe(&mut *st, &ann)?);
    println!(
        "sum-list = {:?}",
        w.call_sum_list(&mut *st, &[1, -2, i32::MAX, i32::MAX])?
    );
    println!("parse-age 42 = {:?}", w.call_parse_age(&mut *st, "42")?);
    println!("parse-age x = {:?}", w.call_parse_age(&mut *st, "x")?);
    let old = w.call_oldest(&mut *st, &[ann.clone(), bob])?;
    println!("oldest = {:?}", old.map(|p| (p.name, p.age)));
    println!(
        "oldest empty = {:?}",
        w.call_oldest(&mut *st, &[])?.map(|p| p.name)
    );
    Ok(())
}
