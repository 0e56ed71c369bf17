"""The Rust name-clash scan the generator fuzzing relies on finds each kind of clash rustc
rejects (and none in code rustc accepts), so a clean fuzz run means something."""

from __future__ import annotations

from pathlib import Path

from rust_names import rust_clashes

BAD = """pub type HostR = u32;
pub trait HostR {
    fn new(&mut self);
    fn new(&mut self);
}
pub struct Guest {
    method_a_b_c: u32,
    method_a_b_c: u32,
}
impl Guest {
    pub fn call_g(&self) {}
}
impl Guest {
    pub fn call_g(&self) {
        let x = 1;
    }
}
type TypedFuncF<'a> = u32;
pub use other::TypedFuncF as TypedFuncF;
"""

# the same names where Rust allows them: trait impls, other types' impls, nested bodies
GOOD = """pub type HostR_ = u32;
pub trait HostR {
    fn new(&mut self);
    fn new_(&mut self) {
        fn new() {}
    }
}
impl<_T: HostR + ?Sized> HostR for &mut _T {
    fn new(&mut self) {}
}
pub struct Guest {
    method_a_b_c: u32,
    method_a_b_c_: u32,
}
impl Guest {
    pub fn call_g(&self) {}
}
impl GuestR<'_> {
    pub fn call_g(&self) {}
}
"""


def test_scan_finds_each_kind_of_clash(tmp_path: Path) -> None:
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "bad.rs").write_text(BAD)
    (tmp_path / "src" / "good.rs").write_text(GOOD)
    assert rust_clashes(tmp_path) == [
        "src/bad.rs: item `HostR` twice",
        "src/bad.rs: trait HostR: `new` twice",
        "src/bad.rs: struct Guest: `method_a_b_c` twice",
        "src/bad.rs: impl Guest: `call_g` twice",
        "src/bad.rs: item `TypedFuncF` twice",
    ]
