"""A small reader for core wasm binaries: types, imports, functions, memories and exports.

Just enough of the binary format to compare a module's interface with an expected one; custom
sections, code and data are skipped. Function types are rendered as tuples of value type names
(`"i32"`, `"i64"`, `"f32"`, `"f64"`, ...).
"""

from __future__ import annotations

from dataclasses import dataclass, field

VALTYPES = {
    0x7F: "i32",
    0x7E: "i64",
    0x7D: "f32",
    0x7C: "f64",
    0x7B: "v128",
    0x70: "funcref",
    0x6F: "externref",
}

EXTERN_KINDS = {0: "func", 1: "table", 2: "memory", 3: "global", 4: "tag"}

FuncType = tuple[tuple[str, ...], tuple[str, ...]]


@dataclass(frozen=True)
class Import:
    module: str
    name: str
    kind: str
    #: the function type for "func" imports
    type: FuncType | None = None


@dataclass(frozen=True)
class Export:
    name: str
    kind: str
    index: int
    #: the function type for "func" exports
    type: FuncType | None = None


@dataclass
class Module:
    types: list[FuncType] = field(default_factory=list)
    imports: list[Import] = field(default_factory=list)
    #: type index of each function defined in the module
    functions: list[int] = field(default_factory=list)
    #: (min, max) pages of each defined memory
    memories: list[tuple[int, int | None]] = field(default_factory=list)
    exports: list[Export] = field(default_factory=list)
    custom_sections: list[str] = field(default_factory=list)

    def func_type(self, index: int) -> FuncType:
        """Type of the function at `index` in the function index space (imports first)."""
        imported = [i for i in self.imports if i.kind == "func"]
        if index < len(imported):
            t = imported[index].type
            assert t is not None
            return t
        return self.types[self.functions[index - len(imported)]]


class WasmFormatError(ValueError):
    pass


class _Reader:
    def __init__(self, data: bytes, pos: int = 0, end: int | None = None) -> None:
        self.data = data
        self.pos = pos
        self.end = len(data) if end is None else end

    def at_end(self) -> bool:
        return self.pos >= self.end

    def byte(self) -> int:
        if self.pos >= self.end:
            raise WasmFormatError("unexpected end of data")
        b = self.data[self.pos]
        self.pos += 1
        return b

    def bytes(self, n: int) -> bytes:
        if self.pos + n > self.end:
            raise WasmFormatError("unexpected end of data")
        out = self.data[self.pos : self.pos + n]
        self.pos += n
        return out

    def u32(self) -> int:
        """Unsigned LEB128 (at most 5 bytes for a u32)."""
        result = 0
        shift = 0
        while True:
            b = self.byte()
            result |= (b & 0x7F) << shift
            if not b & 0x80:
                return result
            shift += 7
            if shift > 35:
                raise WasmFormatError("LEB128 too long")

    def name(self) -> str:
        return self.bytes(self.u32()).decode("utf-8")

    def valtype(self) -> str:
        b = self.byte()
        if b not in VALTYPES:
            raise WasmFormatError(f"unsupported value type 0x{b:02x}")
        return VALTYPES[b]

    def limits(self) -> tuple[int, int | None]:
        flag = self.byte()
        lo = self.u32()
        hi = self.u32() if flag & 1 else None
        return (lo, hi)


def read_uleb128(data: bytes, pos: int = 0) -> tuple[int, int]:
    """Decode one unsigned LEB128 at `pos`: (value, position after it)."""
    r = _Reader(data, pos)
    value = r.u32()
    return value, r.pos


def parse_module(data: bytes) -> Module:
    """Parse the interface-relevant sections of a core wasm module."""
    if data[:4] != b"\0asm":
        raise WasmFormatError("not a wasm binary")
    if data[4:8] != b"\x01\0\0\0":
        raise WasmFormatError("not a core module (version/layer is not 1/0)")
    mod = Module()
    r = _Reader(data, 8)
    while not r.at_end():
        sid = r.byte()
        size = r.u32()
        sec = _Reader(data, r.pos, r.pos + size)
        r.pos += size
        if sid == 0:
            mod.custom_sections.append(sec.name())
        elif sid == 1:
            _types(sec, mod)
        elif sid == 2:
            _imports(sec, mod)
        elif sid == 3:
            mod.functions.extend(sec.u32() for _ in range(sec.u32()))
        elif sid == 5:
            mod.memories.extend(sec.limits() for _ in range(sec.u32()))
        elif sid == 7:
            _exports(sec, mod)
    return mod


def _types(sec: _Reader, mod: Module) -> None:
    for _ in range(sec.u32()):
        form = sec.byte()
        if form != 0x60:
            raise WasmFormatError(f"unsupported type form 0x{form:02x}")
        params = tuple(sec.valtype() for _ in range(sec.u32()))
        results = tuple(sec.valtype() for _ in range(sec.u32()))
        mod.types.append((params, results))


def _imports(sec: _Reader, mod: Module) -> None:
    for _ in range(sec.u32()):
        module = sec.name()
        name = sec.name()
        kind = sec.byte()
        if kind == 0:
            mod.imports.append(Import(module, name, "func", mod.types[sec.u32()]))
        elif kind == 1:
            sec.valtype()
            sec.limits()
            mod.imports.append(Import(module, name, "table"))
        elif kind == 2:
            sec.limits()
            mod.imports.append(Import(module, name, "memory"))
        elif kind == 3:
            sec.valtype()
            sec.byte()
            mod.imports.append(Import(module, name, "global"))
        else:
            raise WasmFormatError(f"unsupported import kind {kind}")


def _exports(sec: _Reader, mod: Module) -> None:
    for _ in range(sec.u32()):
        name = sec.name()
        kind = sec.byte()
        index = sec.u32()
        kind_name = EXTERN_KINDS.get(kind, f"kind-{kind}")
        ftype = mod.func_type(index) if kind_name == "func" else None
        mod.exports.append(Export(name, kind_name, index, ftype))
