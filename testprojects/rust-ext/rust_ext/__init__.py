"""rust-ext: runs components of world `greeter` (wit/greeter.wit) in wasmtime, from Rust.

`run` is implemented by the extension module `rust_ext._native` (src/lib.rs), a wasmtime host
built on the bindings crate witgen generates at build time.
"""

from rust_ext._native import run

__all__ = ["run"]
