// `impl HostCounter for Host` of the `resources` hosts, `include!`d by resources.rs here and by
// tests/python/diffhost/resources.rs, each with its own crate's types and `Host` in scope.
impl HostCounter for Host {
    fn new(&mut self, start: u32) -> Resource<Counter> {
        self.make(start)
    }
    fn get(&mut self, self_: Resource<Counter>) -> u32 {
        self.value(&self_)
    }
    fn incr(&mut self, self_: Resource<Counter>, by: u32) {
        *self.counters.get_mut(&self_.rep()).unwrap() += by;
    }
    fn merge(&mut self, a: Resource<Counter>, b: Resource<Counter>) -> Resource<Counter> {
        let v = self.value(&a) + self.value(&b);
        self.make(v)
    }
    fn drop(&mut self, rep: Resource<Counter>) -> wasmtime::Result<()> {
        self.counters.remove(&rep.rep());
        self.dropped += 1;
        Ok(())
    }
}
