// Host for the C guest `compound` on the generated crate `rt_with_compound`, generated with
// `with = {"witgen:compound": "rt_compound::witgen::compound"}`: the world's imported
// interfaces (`types`, `api`) are not generated again but are those of `rt_compound`, another
// generated crate (the one hosts/compound.rs uses). So the host implements `rt_compound`'s
// `api::Host`, `rt_with_compound`'s `add_to_linker` links it, and the exports of
// `rt_with_compound` take and return `rt_compound`'s types. The host records the import calls
// and answers them as identity; the lines printed are those of hosts/compound.rs for the same
// calls.
use rt_compound::witgen::compound::api;
use rt_compound::witgen::compound::types::{self, *};
use rt_with_compound::exports::witgen::compound::api as guest_api;
use rt_with_compound::Compound;
use wasmtime::component::{Component, HasSelf, Linker};
use wasmtime::{Engine, Store};

include!("compound_import.rs");

fn main() -> wasmtime::Result<()> {
    let path = std::env::args()
        .nth(1)
        .expect("usage: with_compound COMPONENT");
    let engine = Engine::default();
    let component = Component::from_file(&engine, &path)?;
    let mut linker = Linker::new(&engine);
    // links rt_compound's `types` and `api` (the mapped interfaces)
    Compound::add_to_linker::<_, HasSelf<_>>(&mut linker, |h| h)?;
    let mut store = Store::new(&engine, Host::default());
    let w = Compound::instantiate(&mut store, &component, &linker)?;
    let st = &mut store;
    let g: &guest_api::Guest = w.witgen_compound_api();
    // bindgen! keeps a module for a mapped interface that re-exports the target's items
    let p: rt_with_compound::witgen::compound::types::Point = Point { x: -3, y: 7 };
    let mixed = Mixed {
        a: 200,
        b: u64::MAX - 1,
        c: "mixed ✓".to_string(),
        d: vec![1, 2, 65535],
        e: Some(p),
        f: 1.5,
        g: true,
        h: 'ж',
    };
    let nested = Nested {
        label: "n".into(),
        origin: p,
        path: vec![p, Point { x: 0, y: 0 }],
        extra: Some(mixed.clone()),
    };
    // an rt_compound value through rt_with_compound's export, and back as rt_compound's type
    let got: Point = g.call_roundtrip_point(&mut *st, p)?;
    println!(
        "call_roundtrip_point = {}",
        if got == p { "ok" } else { "MISMATCH" }
    );
    let got: Mixed = g.call_roundtrip_mixed(&mut *st, &mixed)?;
    println!(
        "call_roundtrip_mixed = {}",
        if got == mixed { "ok" } else { "MISMATCH" }
    );
    let got: Nested = g.call_roundtrip_nested(&mut *st, &nested)?;
    println!(
        "call_roundtrip_nested = {}",
        if got == nested { "ok" } else { "MISMATCH" }
    );
    let shapes = vec![Shape::Nothing, Shape::Label("x".into()), Shape::At(p)];
    let got: Vec<Shape> = g.call_roundtrip_list_shapes(&mut *st, &shapes)?;
    println!(
        "call_roundtrip_list_shapes = {}",
        if got == shapes { "ok" } else { "MISMATCH" }
    );
    let strings = vec!["a".to_string(), "bb".to_string()];
    let got = g.call_roundtrip_result_nested(&mut *st, Err(&strings[..]))?;
    let ok = got == Err(strings.clone());
    println!(
        "call_roundtrip_result_nested = {}",
        if ok { "ok" } else { "MISMATCH" }
    );
    let got = g.call_roundtrip_result_both(&mut *st, Err(Color::Red))?;
    let ok = got == Err(Color::Red);
    println!(
        "call_roundtrip_result_both = {}",
        if ok { "ok" } else { "MISMATCH" }
    );
    println!("host calls = {:?}", st.data().calls);
    // world-level exports, compared with wasmtime-py by the test
    let mp = w.call_make_point(&mut *st, 4, -5)?;
    println!("make-point = {} {}", mp.x, mp.y);
    println!(
        "color-index = {}",
        w.call_color_index(&mut *st, Color::Blue)?
    );
    for which in 0..7 {
        println!(
            "make-shape {which} = {:?}",
            w.call_make_shape(&mut *st, which)?
        );
    }
    println!("sum-points = {}", w.call_sum_points(&mut *st, &[p, mp])?);
    println!(
        "parse-number 42 = {:?}",
        w.call_parse_number(&mut *st, "42")?
    );
    println!("parse-number x = {:?}", w.call_parse_number(&mut *st, "x")?);
    Ok(())
}
