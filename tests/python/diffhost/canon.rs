// The canonical rendering of WIT values (the same as tests/python/canon.py): integers in
// decimal, floats as `f:` and the 16 hex digits of their bits as f64, strings and chars quoted
// with `\u{..}` for anything outside printable ASCII, `[..]` lists, `(..)` tuples,
// `{name: value, ..}` records, `case(payload)` variants, `some(..)`/`none`, `ok(..)`/`err(..)`,
// `flags(a, c)`. A failed call is `error: ` and the root cause wasmtime gives.

pub trait Canon {
    fn canon(&self) -> String;
}

pub fn quote(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        if (' '..='~').contains(&c) && c != '"' && c != '\\' {
            out.push(c);
        } else {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        }
    }
    out.push('"');
    out
}

pub fn record(fields: &[(&str, String)]) -> String {
    let inner: Vec<String> = fields.iter().map(|(n, v)| format!("{n}: {v}")).collect();
    format!("{{{}}}", inner.join(", "))
}

pub fn case(name: &str, payload: Option<String>) -> String {
    match payload {
        Some(p) => format!("{name}({p})"),
        None => name.to_string(),
    }
}

pub fn flags(names: &[(&str, bool)]) -> String {
    let on: Vec<&str> = names.iter().filter(|(_, b)| *b).map(|(n, _)| *n).collect();
    format!("flags({})", on.join(", "))
}

/// `name = value` for a call's outcome.
pub fn emit<T: Canon>(name: &str, r: wasmtime::Result<T>) {
    match r {
        Ok(v) => println!("{name} = {}", v.canon()),
        Err(e) => println!("{name} = error: {}", e.root_cause().to_string().replace('\n', " ")),
    }
}

impl Canon for bool {
    fn canon(&self) -> String {
        self.to_string()
    }
}

macro_rules! ints {
    ($($t:ident)*) => {$(
        impl Canon for $t {
            fn canon(&self) -> String {
                self.to_string()
            }
        }
    )*};
}
ints!(u8 u16 u32 u64 i8 i16 i32 i64);

impl Canon for f64 {
    fn canon(&self) -> String {
        format!("f:{:016x}", self.to_bits())
    }
}

impl Canon for f32 {
    fn canon(&self) -> String {
        (*self as f64).canon()
    }
}

impl Canon for char {
    fn canon(&self) -> String {
        quote(&self.to_string())
    }
}

impl Canon for String {
    fn canon(&self) -> String {
        quote(self)
    }
}

impl Canon for () {
    fn canon(&self) -> String {
        String::new()
    }
}

impl<T: Canon> Canon for Vec<T> {
    fn canon(&self) -> String {
        let items: Vec<String> = self.iter().map(|x| x.canon()).collect();
        format!("[{}]", items.join(", "))
    }
}

impl<T: Canon> Canon for Option<T> {
    fn canon(&self) -> String {
        match self {
            Some(x) => format!("some({})", x.canon()),
            None => "none".to_string(),
        }
    }
}

impl<T: Canon, E: Canon> Canon for Result<T, E> {
    fn canon(&self) -> String {
        match self {
            Ok(x) => format!("ok({})", x.canon()),
            Err(e) => format!("err({})", e.canon()),
        }
    }
}

macro_rules! tuples {
    ($(($($n:tt $t:ident),+))*) => {$(
        impl<$($t: Canon),+> Canon for ($($t,)+) {
            fn canon(&self) -> String {
                let items: Vec<String> = vec![$(self.$n.canon()),+];
                format!("({})", items.join(", "))
            }
        }
    )*};
}
tuples! {
    (0 A, 1 B)
    (0 A, 1 B, 2 C)
    (0 A, 1 B, 2 C, 3 D)
    (0 A, 1 B, 2 C, 3 D, 4 E, 5 F, 6 G, 7 H, 8 I, 9 J, 10 K, 11 L)
}

/// `Canon` for a record type: its fields by WIT name.
#[macro_export]
macro_rules! canon_record {
    ($t:ty { $($f:ident),* }) => {
        impl $crate::canon::Canon for $t {
            fn canon(&self) -> String {
                $crate::canon::record(&[$((stringify!($f), self.$f.canon())),*])
            }
        }
    };
}
