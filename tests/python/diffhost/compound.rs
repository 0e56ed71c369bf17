// Scenarios of the `compound` guest: every compound kind through the host's identity `api`
// (guest -> host -> guest), results both ways, the world's own exports.
use crate::canon::{case, emit, flags, Canon};
use crate::canon_record;
use pd_compound::exports::witgen::compound::api as guest_api;
use pd_compound::witgen::compound::api;
use pd_compound::witgen::compound::types::{self, *};
use pd_compound::Compound;
use wasmtime::component::{Component, HasSelf, Linker};
use wasmtime::{Engine, Store};

struct Host;

impl types::Host for Host {}

macro_rules! identity {
    ($($name:ident: $ty:ty;)*) => {
        $(fn $name(&mut self, x: $ty) -> $ty { x })*
    };
}

impl api::Host for Host {
    identity! {
        roundtrip_point: Point;
        roundtrip_mixed: Mixed;
        roundtrip_nested: Nested;
        roundtrip_tuple: (u8, String, f64, Point);
        roundtrip_color: Color;
        roundtrip_small_flags: SmallFlags;
        roundtrip_medium_flags: MediumFlags;
        roundtrip_large_flags: LargeFlags;
        roundtrip_shape: Shape;
        roundtrip_signal: Signal;
        roundtrip_option: Option<u32>;
        roundtrip_option_string: Option<String>;
        roundtrip_nested_option: Option<Option<u32>>;
        roundtrip_option_point: Option<Point>;
        roundtrip_result_unit: Result<(), ()>;
        roundtrip_result_ok: Result<u32, ()>;
        roundtrip_result_err: Result<(), String>;
        roundtrip_result_both: Result<String, Color>;
        roundtrip_result_nested: Result<Option<Point>, Vec<String>>;
        roundtrip_list_u32: Vec<u32>;
        roundtrip_list_f64: Vec<f64>;
        roundtrip_list_points: Vec<Point>;
        roundtrip_list_strings: Vec<String>;
        roundtrip_list_lists: Vec<Vec<u32>>;
        roundtrip_list_shapes: Vec<Shape>;
        roundtrip_list_options: Vec<Option<String>>;
        roundtrip_many: Many;
    }
    #[allow(clippy::too_many_arguments)]
    fn many_params(
        &mut self,
        a: u8,
        b: i8,
        c: u16,
        d: i16,
        e: u32,
        f: i32,
        g: u64,
        h: i64,
        i: f32,
        j: f64,
        k: char,
        l: bool,
        m: String,
        n: Point,
        o: Option<u32>,
        p: Vec<String>,
        q: Color,
        r: SmallFlags,
    ) -> Many {
        Many { a, b, c, d, e, f, g, h, i, j, k, l, m, n, o, p, q, r }
    }
    fn split3(&mut self, s: String) -> (String, String, String) {
        let v: Vec<&str> = s.split(',').collect();
        (v[0].into(), v[1].into(), v[2].into())
    }
}

canon_record!(Point { x, y });
canon_record!(Mixed { a, b, c, d, e, f, g, h });
canon_record!(Nested { label, origin, path, extra });
canon_record!(Many { a, b, c, d, e, f, g, h, i, j, k, l, m, n, o, p, q, r });

impl Canon for Color {
    fn canon(&self) -> String {
        match self {
            Color::Red => "red",
            Color::Green => "green",
            Color::Blue => "blue",
        }
        .to_string()
    }
}

impl Canon for SmallFlags {
    fn canon(&self) -> String {
        let f = [("a", Self::A), ("b", Self::B), ("c", Self::C)];
        flags(&f.map(|(n, x)| (n, self.contains(x))))
    }
}

impl Canon for MediumFlags {
    fn canon(&self) -> String {
        let f = [("m0", Self::M0), ("m1", Self::M1), ("m2", Self::M2), ("m3", Self::M3), ("m4", Self::M4), ("m5", Self::M5), ("m6", Self::M6), ("m7", Self::M7), ("m8", Self::M8), ("m9", Self::M9), ("m10", Self::M10), ("m11", Self::M11), ("m12", Self::M12), ("m13", Self::M13), ("m14", Self::M14), ("m15", Self::M15)];
        flags(&f.map(|(n, x)| (n, self.contains(x))))
    }
}

impl Canon for LargeFlags {
    fn canon(&self) -> String {
        let f = [("l0", Self::L0), ("l1", Self::L1), ("l2", Self::L2), ("l3", Self::L3), ("l4", Self::L4), ("l5", Self::L5), ("l6", Self::L6), ("l7", Self::L7), ("l8", Self::L8), ("l9", Self::L9), ("l10", Self::L10), ("l11", Self::L11), ("l12", Self::L12), ("l13", Self::L13), ("l14", Self::L14), ("l15", Self::L15), ("l16", Self::L16), ("l17", Self::L17), ("l18", Self::L18), ("l19", Self::L19), ("l20", Self::L20), ("l21", Self::L21), ("l22", Self::L22), ("l23", Self::L23), ("l24", Self::L24), ("l25", Self::L25), ("l26", Self::L26), ("l27", Self::L27), ("l28", Self::L28), ("l29", Self::L29), ("l30", Self::L30), ("l31", Self::L31)];
        flags(&f.map(|(n, x)| (n, self.contains(x))))
    }
}

impl Canon for Shape {
    fn canon(&self) -> String {
        match self {
            Shape::Circle(r) => case("circle", Some(r.canon())),
            Shape::Rect(wh) => case("rect", Some(wh.canon())),
            Shape::At(p) => case("at", Some(p.canon())),
            Shape::Nothing => case("nothing", None),
            Shape::Label(s) => case("label", Some(s.canon())),
            Shape::Count(n) => case("count", Some(n.canon())),
            Shape::Color(c) => case("color", Some(c.canon())),
        }
    }
}

impl Canon for Signal {
    fn canon(&self) -> String {
        match self {
            Signal::Go => case("go", None),
            Signal::Stop => case("stop", None),
            Signal::Wait => case("wait", None),
        }
    }
}

fn api_scenarios(st: &mut Store<Host>, g: &guest_api::Guest) {
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
    emit("point", g.call_roundtrip_point(&mut *st, p));
    emit("mixed", g.call_roundtrip_mixed(&mut *st, &mixed));
    emit("nested", g.call_roundtrip_nested(&mut *st, &nested));
    let bare = Nested { label: String::new(), origin: p, path: vec![], extra: None };
    emit("nested-bare", g.call_roundtrip_nested(&mut *st, &bare));
    emit("tuple", g.call_roundtrip_tuple(&mut *st, (9, "tuple", 2.25, p)));
    emit("color", g.call_roundtrip_color(&mut *st, Color::Blue));
    emit("small-flags", g.call_roundtrip_small_flags(&mut *st, SmallFlags::A | SmallFlags::C));
    emit("small-flags-none", g.call_roundtrip_small_flags(&mut *st, SmallFlags::empty()));
    let medium = MediumFlags::M0 | MediumFlags::M8 | MediumFlags::M15;
    emit("medium-flags", g.call_roundtrip_medium_flags(&mut *st, medium));
    let large = LargeFlags::L0 | LargeFlags::L16 | LargeFlags::L31;
    emit("large-flags", g.call_roundtrip_large_flags(&mut *st, large));
    let shapes = [
        Shape::Circle(1.5),
        Shape::Rect((1.0, -2.0)),
        Shape::At(p),
        Shape::Nothing,
        Shape::Label("lbl".into()),
        Shape::Count(u64::MAX),
        Shape::Color(Color::Green),
    ];
    for (i, s) in shapes.iter().enumerate() {
        emit(&format!("shape {i}"), g.call_roundtrip_shape(&mut *st, s));
    }
    emit("signal", g.call_roundtrip_signal(&mut *st, Signal::Wait));
    emit("option some", g.call_roundtrip_option(&mut *st, Some(5)));
    emit("option none", g.call_roundtrip_option(&mut *st, None));
    emit("option-string", g.call_roundtrip_option_string(&mut *st, Some("s")));
    emit("option-string empty", g.call_roundtrip_option_string(&mut *st, Some("")));
    emit("nested-option none", g.call_roundtrip_nested_option(&mut *st, None));
    emit("nested-option some-none", g.call_roundtrip_nested_option(&mut *st, Some(None)));
    emit("nested-option some-some", g.call_roundtrip_nested_option(&mut *st, Some(Some(3))));
    emit("option-point", g.call_roundtrip_option_point(&mut *st, Some(p)));
    emit("result-unit ok", g.call_roundtrip_result_unit(&mut *st, Ok(())));
    emit("result-unit err", g.call_roundtrip_result_unit(&mut *st, Err(())));
    emit("result-ok ok", g.call_roundtrip_result_ok(&mut *st, Ok(7)));
    emit("result-ok err", g.call_roundtrip_result_ok(&mut *st, Err(())));
    emit("result-err ok", g.call_roundtrip_result_err(&mut *st, Ok(())));
    emit("result-err err", g.call_roundtrip_result_err(&mut *st, Err("bad")));
    emit("result-both ok", g.call_roundtrip_result_both(&mut *st, Ok("fine")));
    emit("result-both err", g.call_roundtrip_result_both(&mut *st, Err(Color::Red)));
    emit("result-nested ok-none", g.call_roundtrip_result_nested(&mut *st, Ok(None)));
    emit("result-nested ok-some", g.call_roundtrip_result_nested(&mut *st, Ok(Some(p))));
    let strings = vec!["a".to_string(), "bb".to_string()];
    emit("result-nested err", g.call_roundtrip_result_nested(&mut *st, Err(&strings[..])));
    emit("list-u32", g.call_roundtrip_list_u32(&mut *st, &[1, 2, u32::MAX]));
    emit("list-f64", g.call_roundtrip_list_f64(&mut *st, &[1.5, -0.0, f64::MAX]));
    emit("list-points", g.call_roundtrip_list_points(&mut *st, &[p, p]));
    emit("list-strings", g.call_roundtrip_list_strings(&mut *st, &strings));
    let lists = vec![vec![1u32], vec![], vec![2, 3]];
    emit("list-lists", g.call_roundtrip_list_lists(&mut *st, &lists));
    emit("list-shapes", g.call_roundtrip_list_shapes(&mut *st, &shapes));
    let opts = vec![Some("o".to_string()), None];
    emit("list-options", g.call_roundtrip_list_options(&mut *st, &opts));
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
    emit("many", g.call_roundtrip_many(&mut *st, &many));
    emit("split3", g.call_split3(&mut *st, "x,y,z"));
}

pub fn run(engine: &Engine, component: &Component) -> wasmtime::Result<()> {
    let mut linker = Linker::new(engine);
    Compound::add_to_linker::<_, HasSelf<_>>(&mut linker, |h| h)?;
    let mut store = Store::new(engine, Host);
    let w = Compound::instantiate(&mut store, component, &linker)?;
    let st = &mut store;
    api_scenarios(st, w.witgen_compound_api());
    emit("make-point", w.call_make_point(&mut *st, 4, -5));
    emit("color-index", w.call_color_index(&mut *st, Color::Blue));
    for which in 0..8 {
        emit(&format!("make-shape {which}"), w.call_make_shape(&mut *st, which));
    }
    let ps = [Point { x: -3, y: 7 }, Point { x: i32::MAX, y: i32::MAX }];
    emit("sum-points", w.call_sum_points(&mut *st, &ps));
    emit("parse-number 42", w.call_parse_number(&mut *st, "42"));
    emit("parse-number x", w.call_parse_number(&mut *st, "x"));
    Ok(())
}
