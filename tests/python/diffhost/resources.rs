// Scenarios of the `resources` guest: the guest's `blob` driven from the host (constructor,
// methods, statics, own moves, handles in records/variants/results/options/lists, drops) and
// the host's `counter` driven by the guest (the host's table of live counters is printed).
use crate::canon::{emit, Canon};
use pd_resources::exports::witgen::resources::guest_res::{GuestBlob, Slot};
use pd_resources::witgen::resources::host_res::{self, Counter, HostCounter, TaggedCounter};
use pd_resources::Resources;
use std::collections::BTreeMap;
use wasmtime::component::{Component, HasSelf, Linker, Resource, ResourceAny};
use wasmtime::{Engine, Store};

#[derive(Default)]
struct Host {
    next: u32,
    counters: BTreeMap<u32, u32>,
    dropped: u32,
}

impl Host {
    fn make(&mut self, v: u32) -> Resource<Counter> {
        self.next += 1;
        self.counters.insert(self.next, v);
        Resource::new_own(self.next)
    }
    fn value(&self, r: &Resource<Counter>) -> u32 {
        self.counters[&r.rep()]
    }
    /// The live counters' values, in creation order.
    fn live(&self) -> Vec<u32> {
        self.counters.values().copied().collect()
    }
}

include!("resources_counter.rs");

impl host_res::Host for Host {
    fn make_counters(&mut self, n: u32) -> Vec<Resource<Counter>> {
        (0..n).map(|i| self.make(i)).collect()
    }
    fn consume_counters(&mut self, cs: Vec<Resource<Counter>>) -> u32 {
        let mut sum = 0;
        for c in cs {
            sum += self.value(&c);
            self.counters.remove(&c.rep());
            self.dropped += 1;
        }
        sum
    }
    fn tag_counter(&mut self, tag: String, c: Resource<Counter>) -> TaggedCounter {
        TaggedCounter { tag, c }
    }
    fn maybe_counter(&mut self, start: Option<u32>) -> Result<Resource<Counter>, String> {
        match start {
            Some(s) => Ok(self.make(s)),
            None => Err("no start".to_string()),
        }
    }
}

/// A blob as its bytes (read through the guest), then dropped.
fn bytes_of(st: &mut Store<Host>, blob: &GuestBlob<'_>, b: ResourceAny) -> wasmtime::Result<Vec<u8>> {
    let v = blob.call_bytes(&mut *st, b)?;
    b.resource_drop(&mut *st)?;
    Ok(v)
}

fn host_state(st: &Store<Host>, name: &str) {
    println!("{name} host live = {}", st.data().live().canon());
    println!("{name} host dropped = {}", st.data().dropped.canon());
}

fn blob_scenarios(st: &mut Store<Host>, w: &Resources) -> wasmtime::Result<()> {
    let g = w.witgen_resources_guest_res();
    let blob = g.blob();
    let b = blob.call_constructor(&mut *st, b"abc")?;
    emit("blob.len", blob.call_len(&mut *st, b));
    emit("blob.append", blob.call_append(&mut *st, b, b"de"));
    emit("blob.bytes", blob.call_bytes(&mut *st, b));
    let c = blob.call_clone_blob(&mut *st, b)?;
    emit("live-count two", g.call_live_count(&mut *st));
    let cc = blob.call_concat(&mut *st, b, c)?;
    emit("blob.concat", blob.call_bytes(&mut *st, cc));
    emit("blob.into-bytes", blob.call_into_bytes(&mut *st, cc));
    emit("live-count after move", g.call_live_count(&mut *st));
    b.resource_drop(&mut *st)?;
    c.resource_drop(&mut *st)?;
    emit("live-count after drops", g.call_live_count(&mut *st));
    let h = g.call_make_holder(&mut *st, "lbl", b"xyz")?;
    emit("holder.label", Ok(h.label.clone()));
    emit("holder.item", blob.call_bytes(&mut *st, h.item));
    emit("open-holder", g.call_open_holder(&mut *st, &h));
    emit("live-count after holder", g.call_live_count(&mut *st));
    let blobs = g.call_make_blobs(&mut *st, 3)?;
    emit("total-len", g.call_total_len(&mut *st, &blobs));
    let mut each = vec![];
    for b in blobs {
        each.push(bytes_of(st, &blob, b)?);
    }
    emit("make-blobs", Ok(each));
    for kind in 0..3 {
        let s = g.call_make_slot(&mut *st, kind)?;
        let what = match &s {
            Slot::Empty => "empty".to_string(),
            Slot::Full(_) => "full".to_string(),
            Slot::Many(v) => format!("many {}", v.len()),
        };
        emit(&format!("make-slot {kind}"), Ok(what));
        emit(&format!("slot-len {kind}"), g.call_slot_len(&mut *st, &s));
    }
    let mine = blob.call_constructor(&mut *st, b"1234")?;
    emit("slot-len mine", g.call_slot_len(&mut *st, &Slot::Full(mine)));
    emit("try-blob false", g.call_try_blob(&mut *st, false).map(|r| r.map(|_| ())));
    match g.call_try_blob(&mut *st, true)? {
        Ok(b) => emit("try-blob true", bytes_of(st, &blob, b)),
        Err(e) => emit("try-blob true", Ok(e)),
    }
    emit("maybe-blob false", g.call_maybe_blob(&mut *st, false).map(|o| o.map(|_| ())));
    match g.call_maybe_blob(&mut *st, true)? {
        Some(b) => emit("maybe-blob true", bytes_of(st, &blob, b)),
        None => emit("maybe-blob true", Ok("none".to_string())),
    }
    emit("live-count end", g.call_live_count(&mut *st));
    Ok(())
}

fn counter_scenarios(st: &mut Store<Host>, w: &Resources) -> wasmtime::Result<()> {
    let g = w.witgen_resources_guest_res();
    emit("use-counter", g.call_use_counter(&mut *st, 10, 5));
    host_state(st, "use-counter");
    let a = st.data_mut().make(3);
    let b = st.data_mut().make(4);
    let lent = [Resource::new_borrow(a.rep()), Resource::new_borrow(b.rep())];
    emit("sum-counters", g.call_sum_counters(&mut *st, &lent));
    host_state(st, "sum-counters");
    emit("take-counter", g.call_take_counter(&mut *st, a));
    host_state(st, "take-counter");
    emit("cycle-counters", g.call_cycle_counters(&mut *st, 4));
    host_state(st, "cycle-counters");
    emit("tagged", g.call_tagged(&mut *st, "t", 9));
    emit("maybe some", g.call_maybe(&mut *st, Some(6)));
    emit("maybe none", g.call_maybe(&mut *st, None));
    host_state(st, "maybe");
    let nc = g.call_new_counter(&mut *st, 77)?;
    emit("new-counter", Ok(st.data().value(&nc)));
    host_state(st, "new-counter");
    emit("merge-counters", g.call_merge_counters(&mut *st, 2, 5));
    host_state(st, "merge-counters");
    Ok(())
}

pub fn run(engine: &Engine, component: &Component) -> wasmtime::Result<()> {
    let mut linker = Linker::new(engine);
    Resources::add_to_linker::<_, HasSelf<_>>(&mut linker, |h| h)?;
    let mut store = Store::new(engine, Host::default());
    let w = Resources::instantiate(&mut store, component, &linker)?;
    blob_scenarios(&mut store, &w)?;
    counter_scenarios(&mut store, &w)
}
