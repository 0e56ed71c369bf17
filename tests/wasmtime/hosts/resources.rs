// Host for the C guest `resources` on the generated crate `rt_resources`: a host-implemented
// `counter` (imported resource, `Resource<Counter>`) and the guest's `blob` (exported
// resource, `ResourceAny`), own and borrow handles in records, lists, variants and results.
use rt_resources::exports::witgen::resources::guest_res::Slot;
use rt_resources::witgen::resources::host_res::{self, Counter, HostCounter, TaggedCounter};
use rt_resources::Resources;
use std::collections::BTreeMap;
use wasmtime::component::{Component, HasSelf, Linker, Resource};
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
}

include!("resources_counter.rs");

impl host_res::Host for Host {
    fn make_counters(&mut self, n: u32) -> Vec<Resource<Counter>> {
        (0..n).map(|i| self.make(i)).collect()
    }
    fn consume_counters(&mut self, cs: Vec<Resource<Counter>>) -> u32 {
        cs.into_iter()
            .map(|c| self.counters.remove(&c.rep()).unwrap())
            .sum()
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

fn main() -> wasmtime::Result<()> {
    let path = std::env::args().nth(1).expect("usage: resources COMPONENT");
    let engine = Engine::default();
    let component = Component::from_file(&engine, &path)?;
    let mut linker = Linker::new(&engine);
    Resources::add_to_linker::<_, HasSelf<_>>(&mut linker, |h| h)?;
    let mut store = Store::new(&engine, Host::default());
    let w = Resources::instantiate(&mut store, &component, &linker)?;
    let st = &mut store;
    let g = w.witgen_resources_guest_res();
    // exported resource: blob
    let blob = g.blob();
    let b = blob.call_constructor(&mut *st, b"abc")?;
    println!("blob.len = {}", blob.call_len(&mut *st, b)?);
    blob.call_append(&mut *st, b, b"de")?;
    println!("blob.bytes = {:?}", blob.call_bytes(&mut *st, b)?);
    let c = blob.call_clone_blob(&mut *st, b)?;
    let cc = blob.call_concat(&mut *st, b, c)?;
    println!("blob.concat = {:?}", blob.call_bytes(&mut *st, cc)?);
    println!("live-count = {}", g.call_live_count(&mut *st)?);
    println!(
        "blob.into-bytes = {:?}",
        blob.call_into_bytes(&mut *st, cc)?
    );
    b.resource_drop(&mut *st)?;
    c.resource_drop(&mut *st)?;
    println!("live-count after drops = {}", g.call_live_count(&mut *st)?);
    let h = g.call_make_holder(&mut *st, "lbl", b"xyz")?;
    println!("holder.label = {}", h.label);
    println!("open-holder = {:?}", g.call_open_holder(&mut *st, &h)?);
    let blobs = g.call_make_blobs(&mut *st, 3)?;
    println!("total-len = {}", g.call_total_len(&mut *st, &blobs)?);
    for b in blobs {
        b.resource_drop(&mut *st)?;
    }
    for kind in 0..3 {
        let s = g.call_make_slot(&mut *st, kind)?;
        let what = match &s {
            Slot::Empty => "empty".to_string(),
            Slot::Full(_) => "full".to_string(),
            Slot::Many(v) => format!("many({})", v.len()),
        };
        println!(
            "slot {kind} = {what} len {}",
            g.call_slot_len(&mut *st, &s)?
        );
    }
    match g.call_try_blob(&mut *st, false)? {
        Ok(_) => println!("try-blob false = ok"),
        Err(e) => println!("try-blob false = err {e}"),
    }
    if let Ok(b) = g.call_try_blob(&mut *st, true)? {
        println!("try-blob true = len {}", blob.call_len(&mut *st, b)?);
        b.resource_drop(&mut *st)?;
    }
    println!(
        "maybe-blob false = {}",
        g.call_maybe_blob(&mut *st, false)?.is_some()
    );
    println!("live-count end = {}", g.call_live_count(&mut *st)?);
    // imported resource: counter, driven by the guest
    println!("use-counter = {}", g.call_use_counter(&mut *st, 10, 5)?);
    let a = st.data_mut().make(3);
    let b2 = st.data_mut().make(4);
    let borrowed = [
        Resource::new_borrow(a.rep()),
        Resource::new_borrow(b2.rep()),
    ];
    println!(
        "sum-counters = {}",
        g.call_sum_counters(&mut *st, &borrowed)?
    );
    println!("take-counter = {}", g.call_take_counter(&mut *st, a)?);
    println!(
        "merge-counters = {}",
        g.call_merge_counters(&mut *st, 2, 5)?
    );
    println!("cycle-counters = {}", g.call_cycle_counters(&mut *st, 4)?);
    println!("tagged = {:?}", g.call_tagged(&mut *st, "t", 9)?);
    println!("maybe some = {:?}", g.call_maybe(&mut *st, Some(6))?);
    println!("maybe none = {:?}", g.call_maybe(&mut *st, None)?);
    let nc = g.call_new_counter(&mut *st, 77)?;
    println!("new-counter = {}", st.data().value(&nc));
    println!("host dropped = {}", st.data().dropped);
    Ok(())
}
