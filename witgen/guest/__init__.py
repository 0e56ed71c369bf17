"""Guests: reading a core wasm module's interface (`reader`) and checking it against the core
contract of the world it implements (`check`), so a stale or wrong guest fails the build."""

from .check import check_guest, require_guest, require_guest_file
from .reader import Module, WasmFormatError, parse_module

__all__ = [
    "Module",
    "WasmFormatError",
    "check_guest",
    "parse_module",
    "require_guest",
    "require_guest_file",
]
