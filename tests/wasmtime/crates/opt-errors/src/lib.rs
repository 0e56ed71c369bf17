//! A host error type for the `trappable_error_type` option test.

/// Either a WIT `error` for the guest, or a trap.
#[derive(Debug)]
pub enum MyError {
    /// Becomes the WIT error code `closed`.
    Closed,
    /// Traps the guest.
    Fatal(String),
}

impl std::fmt::Display for MyError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{self:?}")
    }
}

impl std::error::Error for MyError {}
