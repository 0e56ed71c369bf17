// The import side of the `scalars` hosts: `Host` and its `numbers`/`ScalarsImports` impls,
// `include!`d by scalars.rs here and by tests/python/diffhost/scalars.rs (the python target's
// differential host), each with its own crate's `numbers` and `ScalarsImports` in scope.
#[derive(Default)]
struct Host {
    logs: Vec<String>,
}

impl numbers::Host for Host {
    fn roundtrip_bool(&mut self, x: bool) -> bool {
        x
    }
    fn roundtrip_u8(&mut self, x: u8) -> u8 {
        x
    }
    fn roundtrip_s8(&mut self, x: i8) -> i8 {
        x
    }
    fn roundtrip_u16(&mut self, x: u16) -> u16 {
        x
    }
    fn roundtrip_s16(&mut self, x: i16) -> i16 {
        x
    }
    fn roundtrip_u32(&mut self, x: u32) -> u32 {
        x
    }
    fn roundtrip_s32(&mut self, x: i32) -> i32 {
        x
    }
    fn roundtrip_u64(&mut self, x: u64) -> u64 {
        x
    }
    fn roundtrip_s64(&mut self, x: i64) -> i64 {
        x
    }
    fn roundtrip_f32(&mut self, x: f32) -> f32 {
        x
    }
    fn roundtrip_f64(&mut self, x: f64) -> f64 {
        x
    }
    fn roundtrip_char(&mut self, x: char) -> char {
        x
    }
    fn roundtrip_string(&mut self, x: String) -> String {
        x
    }
    #[allow(clippy::too_many_arguments)]
    fn all_scalars(
        &mut self,
        a: bool,
        b: u8,
        c: i8,
        d: u16,
        e: i16,
        f: u32,
        g: i32,
        h: u64,
        i: i64,
        j: f32,
        k: f64,
        l: char,
    ) -> (bool, u8, i8, u16, i16, u32, i32, u64, i64, f32, f64, char) {
        (a, b, c, d, e, f, g, h, i, j, k, l)
    }
}

impl ScalarsImports for Host {
    fn host_add(&mut self, a: u32, b: u32) -> u32 {
        a.wrapping_add(b)
    }
    fn log(&mut self, msg: String) {
        self.logs.push(msg);
    }
}
