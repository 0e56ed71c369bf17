// Host for the C guest `wasi` (WASI through wasi-libc) on the generated crate `rt_wasi`,
// generated with `with = {"wasi": "wasmtime_wasi::p2::bindings::sync"}`: no WASI module is
// generated (`rt_wasi::wasi::...` re-exports wasmtime-wasi's modules, as bindgen! does), the WIT
// `datetime` of `wasi:clocks/wall-clock` is wasmtime-wasi's own type, WASI is added with
// `wasmtime_wasi::p2::add_to_linker_sync` and the custom `host-api` with the generated
// `add_to_linker`, as wasmtime-wasi's docs show for `bindgen!`.
//
// usage: host-wasi COMPONENT DATA_DIR
//   run 1 ("captured"): stdout/stderr in memory pipes, an environment variable, arguments,
//     DATA_DIR preopened read-write as /data; run, write-file in /data and outside it.
//   run 2 ("inherited"): stdout/stderr inherited from this process, nothing else; the guest's
//     output lands between this program's own lines.
use rt_wasi::exports::witgen::wasi_guest::app::Report;
use rt_wasi::wasi::clocks::wall_clock::Datetime;
use rt_wasi::witgen::wasi_guest::host_api;
use rt_wasi::WasiGuest;
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use wasmtime::component::{Component, HasSelf, Linker, ResourceTable};
use wasmtime::{Engine, Store};
use wasmtime_wasi::p2::pipe::MemoryOutputPipe;
use wasmtime_wasi::{FsPerms, WasiCtx, WasiCtxView, WasiView};

struct State {
    ctx: WasiCtx,
    table: ResourceTable,
    lookups: Vec<String>,
    notes: Vec<(String, Datetime)>,
}

impl WasiView for State {
    fn ctx(&mut self) -> WasiCtxView<'_> {
        WasiCtxView {
            ctx: &mut self.ctx,
            table: &mut self.table,
        }
    }
}

impl host_api::Host for State {
    fn lookup(&mut self, key: String) -> Option<String> {
        self.lookups.push(key.clone());
        match key.as_str() {
            "bonjour" => Some("hello".to_string()),
            "wörld" => Some("world".to_string()),
            _ => None,
        }
    }
    fn take_note(&mut self, text: String, at: Datetime) -> u32 {
        self.notes.push((text, at));
        self.notes.len() as u32
    }
}

fn plausible(at: &Datetime) -> bool {
    let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap();
    let at = Duration::new(at.seconds, at.nanoseconds);
    at <= now && now - at < Duration::from_secs(120)
}

fn print_report(run: &str, r: &Report, st: &State) {
    println!("{run} env-value = {:?}", r.env_value);
    println!("{run} args = {:?}", r.args);
    println!("{run} file-text = {:?}", r.file_text);
    println!("{run} now plausible = {}", plausible(&r.now));
    println!("{run} elapsed-ns positive = {}", r.elapsed_ns > 0);
    println!("{run} random len = {}", r.random.len());
    println!("{run} looked-up = {:?}", r.looked_up);
    println!("{run} notes = {}", r.notes);
    println!("{run} host lookups = {:?}", st.lookups);
    let (text, at) = &st.notes[0];
    println!("{run} host note = {text:?}");
    // the datetime the guest passed to the import is the one it returned from the export
    println!(
        "{run} host note time = report time: {}",
        (at.seconds, at.nanoseconds) == (r.now.seconds, r.now.nanoseconds)
    );
}

fn main() -> wasmtime::Result<()> {
    let mut argv = std::env::args().skip(1);
    let path = argv.next().expect("usage: wasi COMPONENT DATA_DIR");
    let data_dir = argv.next().expect("usage: wasi COMPONENT DATA_DIR");
    let engine = Engine::default();
    let component = Component::from_file(&engine, &path)?;
    let mut linker: Linker<State> = Linker::new(&engine);
    wasmtime_wasi::p2::add_to_linker_sync(&mut linker)?;
    host_api::add_to_linker::<_, HasSelf<_>>(&mut linker, |s| s)?;

    // run 1: captured output, environment, arguments, a preopened directory
    let stdout = MemoryOutputPipe::new(1 << 16);
    let stderr = MemoryOutputPipe::new(1 << 16);
    let ctx = WasiCtx::builder()
        .stdout(stdout.clone())
        .stderr(stderr.clone())
        .env("WITGEN_GUEST_GREETING", "bonjour")
        .args(&["guest", "a1", "ä2"])
        .preopened_dir(&data_dir, "/data", FsPerms::ReadWrite)?
        .build();
    let state = State {
        ctx,
        table: ResourceTable::new(),
        lookups: Vec::new(),
        notes: Vec::new(),
    };
    let mut store = Store::new(&engine, state);
    let w = WasiGuest::instantiate(&mut store, &component, &linker)?;
    let app = w.witgen_wasi_guest_app();
    let r1 = app.call_run(&mut store, "wörld")?;
    print_report("captured", &r1, store.data());
    let wrote = app.call_write_file(&mut store, "/data/out.txt", "written ✓")?;
    println!("captured write-file = {wrote:?}");
    let outside = app.call_write_file(&mut store, "/elsewhere/out.txt", "x")?;
    println!("captured write-file outside = {}", outside.is_err());
    drop(store); // closes the pipes' writers
    let out = String::from_utf8(stdout.contents().to_vec())?;
    let err = String::from_utf8(stderr.contents().to_vec())?;
    println!("captured stdout = {out:?}");
    println!("captured stderr = {err:?}");

    // run 2: inherited stdout/stderr, no environment, arguments or preopens
    let ctx = WasiCtx::builder().inherit_stdout().inherit_stderr().build();
    let state = State {
        ctx,
        table: ResourceTable::new(),
        lookups: Vec::new(),
        notes: Vec::new(),
    };
    let mut store = Store::new(&engine, state);
    let w = WasiGuest::instantiate(&mut store, &component, &linker)?;
    println!("inherited before = run");
    let r2 = w.witgen_wasi_guest_app().call_run(&mut store, "wörld")?;
    println!("inherited after = run");
    print_report("inherited", &r2, store.data());
    println!("random differs = {}", r1.random != r2.random);
    Ok(())
}
