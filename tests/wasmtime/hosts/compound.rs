// Host for the C guest `compound` on the generated crate `rt_compound` (generated with
// `additional_derives = ["PartialEq"]`). The host implements `api` as identity; every export of
// `api` goes guest -> host -> guest -> host, and must give back exactly what was sent.
use rt_compound::exports::witgen::compound::api as guest_api;
use rt_compound::witgen::compound::api;
use rt_compound::witgen::compound::types::{self, *};
use rt_compound::Compound;
use wasmtime::component::{Component, HasSelf, Linker};
use wasmtime::{Engine, Store};

include!("compound_import.rs");

macro_rules! check {
    ($st:expr, $g:expr, $call:ident, $v:expr) => {{
        let v = $v;
        let got = $g.$call(&mut *$st, v.clone())?;
        assert_eq!(got, v, stringify!($call));
        println!("{} = ok", stringify!($call));
    }};
}

macro_rules! check_ref {
    ($st:expr, $g:expr, $call:ident, $v:expr) => {{
        let v = $v;
        let got = $g.$call(&mut *$st, &v)?;
        assert_eq!(got, v, stringify!($call));
        println!("{} = ok", stringify!($call));
    }};
}

fn main() -> wasmtime::Result<()> {
    let path = std::env::args().nth(1).expect("usage: compound COMPONENT");
    let engine = Engine::default();
    let component = Component::from_file(&engine, &path)?;
    let mut linker = Linker::new(&engine);
    Compound::add_to_linker::<_, HasSelf<_>>(&mut linker, |h| h)?;
    let mut store = Store::new(&engine, Host::default());
    let w = Compound::instantiate(&mut store, &component, &linker)?;
    let st = &mut store;
    let g: &guest_api::Guest = w.witgen_compound_api();
    let p = Point { x: -3, y: 7 };
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
    check!(st, g, call_roundtrip_point, p);
    check_ref!(st, g, call_roundtrip_mixed, mixed.clone());
    check_ref!(st, g, call_roundtrip_nested, nested);
    let t = (9u8, "tuple".to_string(), 2.25f64, p);
    let got = g.call_roundtrip_tuple(&mut *st, (t.0, &t.1, t.2, t.3))?;
    assert_eq!(got, t);
    println!("call_roundtrip_tuple = ok");
    check!(st, g, call_roundtrip_color, Color::Blue);
    check!(
        st,
        g,
        call_roundtrip_small_flags,
        SmallFlags::A | SmallFlags::C
    );
    check!(
        st,
        g,
        call_roundtrip_medium_flags,
        MediumFlags::M0 | MediumFlags::M15
    );
    check!(
        st,
        g,
        call_roundtrip_large_flags,
        LargeFlags::L0 | LargeFlags::L31
    );
    for s in [
        Shape::Circle(1.5),
        Shape::Rect((1.0, -2.0)),
        Shape::At(p),
        Shape::Nothing,
        Shape::Label("lbl".into()),
        Shape::Count(u64::MAX),
        Shape::Color(Color::Green),
    ] {
        check_ref!(st, g, call_roundtrip_shape, s);
    }
    check!(st, g, call_roundtrip_signal, Signal::Wait);
    check!(st, g, call_roundtrip_option, Some(5));
    check!(st, g, call_roundtrip_option, None);
    let got = g.call_roundtrip_option_string(&mut *st, Some("s"))?;
    assert_eq!(got.as_deref(), Some("s"));
    println!("call_roundtrip_option_string = ok");
    check!(st, g, call_roundtrip_nested_option, Some(None));
    check!(st, g, call_roundtrip_nested_option, Some(Some(3)));
    check!(st, g, call_roundtrip_option_point, Some(p));
    check!(st, g, call_roundtrip_result_unit, Err(()));
    check!(st, g, call_roundtrip_result_ok, Ok(7));
    let got = g.call_roundtrip_result_err(&mut *st, Err("bad"))?;
    assert_eq!(got, Err("bad".to_string()));
    println!("call_roundtrip_result_err = ok");
    let got = g.call_roundtrip_result_both(&mut *st, Err(Color::Red))?;
    assert_eq!(got, Err(Color::Red));
    println!("call_roundtrip_result_both = ok");
    let strings = vec!["a".to_string(), "bb".to_string()];
    let got = g.call_roundtrip_result_nested(&mut *st, Err(&strings[..]))?;
    assert_eq!(got, Err(strings.clone()));
    println!("call_roundtrip_result_nested = ok");
    let got = g.call_roundtrip_list_u32(&mut *st, &[1, 2, 3])?;
    assert_eq!(got, vec![1, 2, 3]);
    let got = g.call_roundtrip_list_f64(&mut *st, &[1.5, -0.0])?;
    assert_eq!(got, vec![1.5, -0.0]);
    let got = g.call_roundtrip_list_points(&mut *st, &[p, p])?;
    assert_eq!(got, vec![p, p]);
    let got = g.call_roundtrip_list_strings(&mut *st, &strings)?;
    assert_eq!(got, strings);
    let lists = vec![vec![1u32], vec![], vec![2, 3]];
    let got = g.call_roundtrip_list_lists(&mut *st, &lists)?;
    assert_eq!(got, lists);
    let shapes = vec![Shape::Nothing, Shape::Label("x".into())];
    let got = g.call_roundtrip_list_shapes(&mut *st, &shapes)?;
    assert_eq!(got, shapes);
    let opts = vec![Some("o".to_string()), None];
    let got = g.call_roundtrip_list_options(&mut *st, &opts)?;
    assert_eq!(got, opts);
    println!("call_roundtrip_lists = ok");
    // 18 parameters: more than wasmtime's typed API takes (bindgen! does not compile here)
    assert!(g.call_many_params().is_err());
    println!("call_many_params = unsupported");
    let many = Many {
        a: 1,
        b: -2,
        c: 3,
        d: -4,
        e: 5,
        f: -6,
        g: 7,
        h: -8,
        i: 9.5,
        j: -10.5,
        k: 'k',
        l: true,
        m: "m".into(),
        n: p,
        o: Some(15),
        p: strings.clone(),
        q: Color::Green,
        r: SmallFlags::B,
    };
    check_ref!(st, g, call_roundtrip_many, many.clone());
    let got = g.call_split3(&mut *st, "x,y,z")?;
    assert_eq!(got, ("x".into(), "y".into(), "z".into()));
    println!("call_split3 = ok");
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
