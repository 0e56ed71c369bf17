// Host for the C guest `compound` on the generated crate `rt_borrow_compound`, generated with
// `ownership = "borrowing"` (bindgen!'s `Borrowing { duplicate_if_necessary: false }`) and
// `additional_derives = ["PartialEq"]`. Export parameters borrow deeply: `list<string>` is
// `&[&str]`, `list<list<u32>>` `&[&[u32]]`, `list<shape>` `&[&Shape]` (a type with a list
// inside stays one owned definition, passed by reference). The host implements `api` as
// identity, so each export goes host -> guest -> host -> guest -> host and must give back what
// was sent. Prints the same lines as hosts/compound.rs.
use rt_borrow_compound::exports::witgen::compound::api as guest_api;
use rt_borrow_compound::witgen::compound::api;
use rt_borrow_compound::witgen::compound::types::{self, *};
use rt_borrow_compound::Compound;
use wasmtime::component::{Component, HasSelf, Linker};
use wasmtime::{Engine, Store};

include!("compound_import.rs");

macro_rules! check {
    ($st:expr, $g:expr, $call:ident, $arg:expr, $want:expr) => {{
        let got = $g.$call(&mut *$st, $arg)?;
        assert_eq!(got, $want, stringify!($call));
        println!("{} = ok", stringify!($call));
    }};
}

fn main() -> wasmtime::Result<()> {
    let path = std::env::args()
        .nth(1)
        .expect("usage: borrow_compound COMPONENT");
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
    check!(st, g, call_roundtrip_point, p, p);
    check!(st, g, call_roundtrip_mixed, &mixed, mixed);
    check!(st, g, call_roundtrip_nested, &nested, nested);
    let t = (9u8, "tuple".to_string(), 2.25f64, p);
    check!(st, g, call_roundtrip_tuple, (9, "tuple", 2.25, p), t);
    check!(st, g, call_roundtrip_color, Color::Blue, Color::Blue);
    let sf = SmallFlags::A | SmallFlags::C;
    check!(st, g, call_roundtrip_small_flags, sf, sf);
    let mf = MediumFlags::M0 | MediumFlags::M15;
    check!(st, g, call_roundtrip_medium_flags, mf, mf);
    let lf = LargeFlags::L0 | LargeFlags::L31;
    check!(st, g, call_roundtrip_large_flags, lf, lf);
    for s in [
        Shape::Circle(1.5),
        Shape::Rect((1.0, -2.0)),
        Shape::At(p),
        Shape::Nothing,
        Shape::Label("lbl".into()),
        Shape::Count(u64::MAX),
        Shape::Color(Color::Green),
    ] {
        check!(st, g, call_roundtrip_shape, &s, s);
    }
    check!(st, g, call_roundtrip_signal, Signal::Wait, Signal::Wait);
    check!(st, g, call_roundtrip_option, Some(5), Some(5));
    check!(st, g, call_roundtrip_option, None, None);
    check!(
        st,
        g,
        call_roundtrip_option_string,
        Some("s"),
        Some("s".to_string())
    );
    check!(st, g, call_roundtrip_nested_option, Some(None), Some(None));
    check!(
        st,
        g,
        call_roundtrip_nested_option,
        Some(Some(3)),
        Some(Some(3))
    );
    check!(st, g, call_roundtrip_option_point, Some(p), Some(p));
    check!(st, g, call_roundtrip_result_unit, Err(()), Err(()));
    check!(st, g, call_roundtrip_result_ok, Ok(7), Ok(7));
    check!(
        st,
        g,
        call_roundtrip_result_err,
        Err("bad"),
        Err("bad".to_string())
    );
    check!(
        st,
        g,
        call_roundtrip_result_both,
        Err(Color::Red),
        Err(Color::Red)
    );
    let strings = vec!["a".to_string(), "bb".to_string()];
    check!(
        st,
        g,
        call_roundtrip_result_nested,
        Err(&["a", "bb"][..]),
        Err(strings.clone())
    );
    let got = g.call_roundtrip_list_u32(&mut *st, &[1, 2, 3])?;
    assert_eq!(got, vec![1, 2, 3]);
    let got = g.call_roundtrip_list_f64(&mut *st, &[1.5, -0.0])?;
    assert_eq!(got, vec![1.5, -0.0]);
    let got = g.call_roundtrip_list_points(&mut *st, &[p, p])?;
    assert_eq!(got, vec![p, p]);
    // deep borrows: no owned String / Vec is built to call the guest
    let got = g.call_roundtrip_list_strings(&mut *st, &["a", "bb"])?;
    assert_eq!(got, strings);
    let got = g.call_roundtrip_list_lists(&mut *st, &[&[1u32][..], &[], &[2, 3]])?;
    assert_eq!(got, vec![vec![1u32], vec![], vec![2, 3]]);
    let shapes = [Shape::Nothing, Shape::Label("x".into())];
    let got = g.call_roundtrip_list_shapes(&mut *st, &[&shapes[0], &shapes[1]])?;
    assert_eq!(got, shapes.to_vec());
    let got = g.call_roundtrip_list_options(&mut *st, &[Some("o"), None])?;
    assert_eq!(got, vec![Some("o".to_string()), None]);
    println!("call_roundtrip_lists = ok");
    // 18 parameters: more than wasmtime's typed API takes
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
    check!(st, g, call_roundtrip_many, &many, many);
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
