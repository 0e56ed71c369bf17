// The import side of the `compound` hosts, `include!`d by compound.rs, borrow_compound.rs,
// borrow_dup_compound.rs and with_compound.rs: `api` as identity, recording each call.
// The includer brings `api`, `types` and the owned WIT types (`Point`, `Mixed`, ...) into
// scope; the import side is owned whatever the ownership mode.
#[derive(Default)]
struct Host {
    calls: Vec<&'static str>,
}

impl types::Host for Host {}

macro_rules! identity {
    ($($name:ident: $ty:ty;)*) => {
        $(fn $name(&mut self, x: $ty) -> $ty { self.calls.push(stringify!($name)); x })*
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
        self.calls.push("many_params");
        Many {
            a,
            b,
            c,
            d,
            e,
            f,
            g,
            h,
            i,
            j,
            k,
            l,
            m,
            n,
            o,
            p,
            q,
            r,
        }
    }
    fn split3(&mut self, s: String) -> (String, String, String) {
        self.calls.push("split3");
        let mut it = s.splitn(3, ',').map(String::from);
        (
            it.next().unwrap_or_default(),
            it.next().unwrap_or_default(),
            it.next().unwrap_or_default(),
        )
    }
}
