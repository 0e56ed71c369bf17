// The import side of the `misbehave` hosts (a resource and sinks that accept anything),
// `include!`d by misbehave.rs here and by tests/python/diffhost/misbehave.rs, each with its own
// crate's `types` and `sink` in scope.
struct Host;

impl types::HostThing for Host {
    fn new(&mut self) -> wasmtime::Result<Resource<types::Thing>> {
        Ok(Resource::new_own(1))
    }
    fn id(&mut self, self_: Resource<types::Thing>) -> wasmtime::Result<u32> {
        Ok(self_.rep())
    }
    fn drop(&mut self, _rep: Resource<types::Thing>) -> wasmtime::Result<()> {
        Ok(())
    }
}
impl types::Host for Host {}

impl sink::Host for Host {
    fn take_string(&mut self, _s: String) -> wasmtime::Result<()> {
        Ok(())
    }
    fn take_char(&mut self, _c: char) -> wasmtime::Result<()> {
        Ok(())
    }
    fn take_list(&mut self, _xs: Vec<u32>) -> wasmtime::Result<()> {
        Ok(())
    }
    fn take_thing(&mut self, t: Resource<types::Thing>) -> wasmtime::Result<u32> {
        Ok(t.rep())
    }
}
