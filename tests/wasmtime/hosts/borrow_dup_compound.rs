// Host for the C guest `compound` on the generated crate `rt_borrow_dup_compound`, generated
// with `ownership = "borrowing-duplicate"` (bindgen!'s `Borrowing { duplicate_if_necessary:
// true }`) and `additional_derives = ["PartialEq"]`. A type with a string or list inside that is
// both passed to exports and returned gets two definitions: `MixedParam<'a>` (fields `&'a str`,
// `&'a [T]`, nested `NestedParam<'a>`...) for export parameters and `MixedResult` (owned) for
// results and the import side. The host implements `api` as identity, so each export goes
// host -> guest -> host -> guest -> host and must give back what was sent. Prints the same lines
// as hosts/compound.rs.
use rt_borrow_dup_compound::exports::witgen::compound::api as guest_api;
use rt_borrow_dup_compound::witgen::compound::api;
use rt_borrow_dup_compound::witgen::compound::types::{self, *};
// the import side's owned types, under the names compound_import.rs uses
use rt_borrow_dup_compound::witgen::compound::types::{
    ManyResult as Many, MixedResult as Mixed, NestedResult as Nested, ShapeResult as Shape,
};
use rt_borrow_dup_compound::Compound;
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
        .expect("usage: borrow_dup_compound COMPONENT");
    let engine = Engine::default();
    let component = Component::from_file(&engine, &path)?;
    let mut linker = Linker::new(&engine);
    Compound::add_to_linker::<_, HasSelf<_>>(&mut linker, |h| h)?;
    let mut store = Store::new(&engine, Host::default());
    let w = Compound::instantiate(&mut store, &component, &linker)?;
    let st = &mut store;
    let g: &guest_api::Guest = w.witgen_compound_api();
    let p = Point { x: -3, y: 7 };
    let path = [p, Point { x: 0, y: 0 }];
    // what is sent: borrowed views, no String or Vec
    let mixed = MixedParam {
        a: 200,
        b: u64::MAX - 1,
        c: "mixed ✓",
        d: &[1, 2, 65535],
        e: Some(p),
        f: 1.5,
        g: true,
        h: 'ж',
    };
    let nested = NestedParam {
        label: "n",
        origin: p,
        path: &path,
        extra: Some(mixed.clone()),
    };
    // what comes back: the owned definitions
    let mixed_back = MixedResult {
        a: 200,
        b: u64::MAX - 1,
        c: "mixed ✓".to_string(),
        d: vec![1, 2, 65535],
        e: Some(p),
        f: 1.5,
        g: true,
        h: 'ж',
    };
    let nested_back = NestedResult {
        label: "n".into(),
        origin: p,
        path: path.to_vec(),
        extra: Some(mixed_back.clone()),
    };
    check!(st, g, call_roundtrip_point, p, p);
    check!(st, g, call_roundtrip_mixed, mixed, mixed_back);
    check!(st, g, call_roundtrip_nested, nested, nested_back);
    let t = (9u8, "tuple".to_string(), 2.25f64, p);
    check!(st, g, call_roundtrip_tuple, (9, "tuple", 2.25, p), t);
    check!(st, g, call_roundtrip_color, Color::Blue, Color::Blue);
    let sf = SmallFlags::A | SmallFlags::C;
    check!(st, g, call_roundtrip_small_flags, sf, sf);
    let mf = MediumFlags::M0 | MediumFlags::M15;
    check!(st, g, call_roundtrip_medium_flags, mf, mf);
    let lf = LargeFlags::L0 | LargeFlags::L31;
    check!(st, g, call_roundtrip_large_flags, lf, lf);
    let shapes = [
        (ShapeParam::Circle(1.5), ShapeResult::Circle(1.5)),
        (
            ShapeParam::Rect((1.0, -2.0)),
            ShapeResult::Rect((1.0, -2.0)),
        ),
        (ShapeParam::At(p), ShapeResult::At(p)),
        (ShapeParam::Nothing, ShapeResult::Nothing),
        (ShapeParam::Label("lbl"), ShapeResult::Label("lbl".into())),
        (ShapeParam::Count(u64::MAX), ShapeResult::Count(u64::MAX)),
        (
            ShapeParam::Color(Color::Green),
            ShapeResult::Color(Color::Green),
        ),
    ];
    for (sent, back) in shapes {
        check!(st, g, call_roundtrip_shape, sent, back);
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
    let got = g.call_roundtrip_list_strings(&mut *st, &["a", "bb"])?;
    assert_eq!(got, strings);
    let got = g.call_roundtrip_list_lists(&mut *st, &[&[1u32][..], &[], &[2, 3]])?;
    assert_eq!(got, vec![vec![1u32], vec![], vec![2, 3]]);
    let got =
        g.call_roundtrip_list_shapes(&mut *st, &[ShapeParam::Nothing, ShapeParam::Label("x")])?;
    assert_eq!(
        got,
        vec![ShapeResult::Nothing, ShapeResult::Label("x".into())]
    );
    let got = g.call_roundtrip_list_options(&mut *st, &[Some("o"), None])?;
    assert_eq!(got, vec![Some("o".to_string()), None]);
    println!("call_roundtrip_lists = ok");
    // 18 parameters: more than wasmtime's typed API takes
    assert!(g.call_many_params().is_err());
    println!("call_many_params = unsupported");
    let many = ManyParam {
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
        m: "m",
        n: p,
        o: Some(15),
        p: &["a", "bb"],
        q: Color::Green,
        r: SmallFlags::B,
    };
    let many_back = ManyResult {
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
    check!(st, g, call_roundtrip_many, many, many_back);
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
