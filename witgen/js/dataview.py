"""DataView accessors of the primitives (`getUint32`/`setUint32`, ...) and their byte sizes."""

from __future__ import annotations

from witgen.model import Prim

DV = {
    Prim.BOOL: ("Uint8", 1),
    Prim.U8: ("Uint8", 1),
    Prim.S8: ("Int8", 1),
    Prim.U16: ("Uint16", 2),
    Prim.S16: ("Int16", 2),
    Prim.U32: ("Uint32", 4),
    Prim.S32: ("Int32", 4),
    Prim.U64: ("BigUint64", 8),
    Prim.S64: ("BigInt64", 8),
    Prim.F32: ("Float32", 4),
    Prim.F64: ("Float64", 8),
    Prim.CHAR: ("Uint32", 4),
}


def le(size: int) -> str:
    """The little-endian argument of a DataView access of `size` bytes."""
    return ", true" if size > 1 else ""
