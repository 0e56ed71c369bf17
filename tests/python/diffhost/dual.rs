// Scenarios of the `dual` guest, whose world imports and exports `kv`: the host implements the
// imported `kv` (cells in a table), the guest's exported `kv` wraps it (each guest cell owns a
// host cell). The host's live cells and drop count are printed after each step.
use crate::canon::{emit, Canon};
use pd_dual::witgen::dual::kv::{self, Cell, HostCell, Labeled};
use pd_dual::Dual;
use std::collections::BTreeMap;
use wasmtime::component::{Component, HasSelf, Linker, Resource};
use wasmtime::{Engine, Store};

#[derive(Default)]
struct Host {
    next: u32,
    cells: BTreeMap<u32, u32>,
    dropped: u32,
    sums: Vec<(u32, u32)>,
}

impl Host {
    fn make(&mut self, v: u32) -> Resource<Cell> {
        self.next += 1;
        self.cells.insert(self.next, v);
        Resource::new_own(self.next)
    }
    fn value(&self, r: &Resource<Cell>) -> u32 {
        self.cells[&r.rep()]
    }
}

impl HostCell for Host {
    fn new(&mut self, v: u32) -> Resource<Cell> {
        self.make(v)
    }
    fn get(&mut self, self_: Resource<Cell>) -> u32 {
        self.value(&self_)
    }
    fn set(&mut self, self_: Resource<Cell>, v: u32) {
        self.cells.insert(self_.rep(), v);
    }
    fn sum(&mut self, a: Resource<Cell>, b: Resource<Cell>) -> Resource<Cell> {
        let (x, y) = (self.value(&a), self.value(&b));
        self.sums.push((x, y));
        self.make(x + y)
    }
    fn drop(&mut self, rep: Resource<Cell>) -> wasmtime::Result<()> {
        self.cells.remove(&rep.rep());
        self.dropped += 1;
        Ok(())
    }
}

impl kv::Host for Host {
    fn make(&mut self, label: String, v: u32) -> Labeled {
        Labeled { label: label.to_uppercase(), c: Host::make(self, v) }
    }
    fn read(&mut self, l: Labeled) -> u32 {
        println!("host read = {} {}", l.label.canon(), self.value(&l.c));
        self.value(&l.c) // the host owns the cell now and keeps it
    }
    fn total(&mut self, cs: Vec<Resource<Cell>>) -> u32 {
        cs.iter().map(|c| self.value(c)).sum()
    }
    fn even(&mut self, v: u32) -> Result<Resource<Cell>, String> {
        if v % 2 == 1 {
            return Err(format!("odd: {v}"));
        }
        Ok(Host::make(self, v))
    }
    fn live(&mut self) -> u32 {
        self.cells.len() as u32
    }
}

fn host_state(st: &Store<Host>, name: &str) {
    let live: Vec<u32> = st.data().cells.values().copied().collect();
    println!("{name} host live = {}", live.canon());
    println!("{name} host dropped = {}", st.data().dropped.canon());
}

pub fn run(engine: &Engine, component: &Component) -> wasmtime::Result<()> {
    let mut linker = Linker::new(engine);
    Dual::add_to_linker::<_, HasSelf<_>>(&mut linker, |h| h)?;
    let mut store = Store::new(engine, Host::default());
    let st = &mut store;
    let w = Dual::instantiate(&mut *st, component, &linker)?;
    let g = w.witgen_dual_kv();
    let cell = g.cell();
    let a = cell.call_constructor(&mut *st, 5)?;
    emit("get", cell.call_get(&mut *st, a));
    emit("set", cell.call_set(&mut *st, a, 7));
    emit("get after set", cell.call_get(&mut *st, a));
    let b = cell.call_constructor(&mut *st, 30)?;
    let s = cell.call_sum(&mut *st, a, b)?;
    emit("sum", cell.call_get(&mut *st, s));
    println!("host sums = {:?}", st.data().sums);
    emit("total", g.call_total(&mut *st, &[a, b, s]));
    emit("live", g.call_live(&mut *st));
    host_state(st, "cells");
    a.resource_drop(&mut *st)?;
    emit("live after drop", g.call_live(&mut *st));
    host_state(st, "drop");
    b.resource_drop(&mut *st)?;
    s.resource_drop(&mut *st)?;
    host_state(st, "drops");
    let lab = g.call_make(&mut *st, "box", 9)?;
    emit("make label", Ok(lab.label.clone()));
    emit("make cell", cell.call_get(&mut *st, lab.c));
    host_state(st, "make");
    emit("read", g.call_read(&mut *st, &lab));
    emit("live after read", g.call_live(&mut *st));
    host_state(st, "read");
    match g.call_even(&mut *st, 4)? {
        Ok(c) => {
            emit("even 4", cell.call_get(&mut *st, c));
            c.resource_drop(&mut *st)?;
        }
        Err(e) => emit("even 4", Ok(Err::<(), String>(e))),
    }
    emit("even 3", g.call_even(&mut *st, 3).map(|r| r.map(|_| ())));
    emit("live end", g.call_live(&mut *st));
    host_state(st, "end");
    Ok(())
}
