"""The interface of a core wasm module: its function types, imports, memories and exports.

`parse_module(data)` reads just enough of the binary format to compare a guest with the core
contract of a world; code, data and custom section contents are skipped. Function types are
tuples of value type names (`"i32"`, `"i64"`, `"f32"`, `"f64"`, `"v128"`, `"funcref"`,
`"externref"`). Anything else, including a component binary, raises `WasmFormatError` with the
byte offset where reading stopped.
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

_SEC_CUSTOM, _SEC_TYPE, _SEC_IMPORT, _SEC_FUNC, _SEC_MEMORY, _SEC_EXPORT = 0, 1, 2, 3, 5, 7


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
        imported = [i.type for i in self.imports if i.kind == "func"]
        if index < len(imported):
            t = imported[index]
            assert t is not None
            return t
        defined = index - len(imported)
        if defined >= len(self.functions):
            raise WasmFormatError(f"function index {index} out of range")
        return self._type(self.functions[defined])

    def _type(self, index: int) -> FuncType:
        if index >= len(self.types):
            raise WasmFormatError(f"type index {index} out of range")
        return self.types[index]


class WasmFormatError(ValueError):
    """The bytes are not a core wasm module this reader understands."""


class _Reader:
    def __init__(self, data: bytes, pos: int = 0, end: int | None = None) -> None:
        self.data = data
        self.pos = pos
        self.end = len(data) if end is None else min(end, len(data))

    def fail(self, message: str) -> WasmFormatError:
        return WasmFormatError(f"{message} (at byte {self.pos})")

    def at_end(self) -> bool:
        return self.pos >= self.end

    def byte(self) -> int:
        if self.pos >= self.end:
            raise self.fail("unexpected end of data")
        b = self.data[self.pos]
        self.pos += 1
        return b

    def bytes(self, n: int) -> bytes:
        if self.pos + n > self.end:
            raise self.fail("unexpected end of data")
        out = self.data[self.pos : self.pos + n]
        self.pos += n
        return out

    def uleb(self, bits: int = 32) -> int:
        """An unsigned LEB128 of at most `bits` bits."""
        result = 0
        shift = 0
        while True:
            b = self.byte()
            result |= (b & 0x7F) << shift
            if not b & 0x80:
                return result
            shift += 7
            if shift >= bits + 7:
                raise self.fail("LEB128 too long")

    def name(self) -> str:
        raw = self.bytes(self.uleb())
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError:
            raise self.fail("name is not UTF-8") from None

    def valtype(self) -> str:
        b = self.byte()
        if b not in VALTYPES:
            raise self.fail(f"unsupported value type 0x{b:02x}")
        return VALTYPES[b]

    def limits(self) -> tuple[int, int | None]:
        flag = self.byte()
        bits = 64 if flag & 0x04 else 32  # memory64
        lo = self.uleb(bits)
        hi = self.uleb(bits) if flag & 0x01 else None
        if flag & 0x08:  # custom page size
            self.uleb()
        return (lo, hi)


def parse_module(data: bytes) -> Module:
    """Parse the interface-relevant sections of a core wasm module."""
    if data[:4] != b"\0asm":
        raise WasmFormatError("not a wasm binary (no `\\0asm` header)")
    if data[4:8] == b"\x0d\0\x01\0":
        raise WasmFormatError("a component, not a core module")
    if data[4:8] != b"\x01\0\0\0":
        raise WasmFormatError("not a core wasm module (version/layer is not 1/0)")
    mod = Module()
    r = _Reader(data, 8)
    while not r.at_end():
        sid = r.byte()
        size = r.uleb()
        sec = _Reader(data, r.pos, r.pos + size)
        if r.pos + size > len(data):
            raise r.fail(f"section {sid} runs past the end of the module")
        r.pos += size
        if sid == _SEC_CUSTOM:
            mod.custom_sections.append(sec.name())
        elif sid == _SEC_TYPE:
            _types(sec, mod)
        elif sid == _SEC_IMPORT:
            _imports(sec, mod)
        elif sid == _SEC_FUNC:
            mod.functions.extend(sec.uleb() for _ in range(sec.uleb()))
        elif sid == _SEC_MEMORY:
            mod.memories.extend(sec.limits() for _ in range(sec.uleb()))
        elif sid == _SEC_EXPORT:
            _exports(sec, mod)
    return mod


def _types(sec: _Reader, mod: Module) -> None:
    for _ in range(sec.uleb()):
        form = sec.byte()
        if form != 0x60:
            raise sec.fail(f"unsupported type form 0x{form:02x}")
        params = tuple(sec.valtype() for _ in range(sec.uleb()))
        results = tuple(sec.valtype() for _ in range(sec.uleb()))
        mod.types.append((params, results))


def _imports(sec: _Reader, mod: Module) -> None:
    for _ in range(sec.uleb()):
        module = sec.name()
        name = sec.name()
        kind = sec.byte()
        if kind == 0:
            mod.imports.append(Import(module, name, "func", mod._type(sec.uleb())))
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
        elif kind == 4:
            sec.byte()
            sec.uleb()
            mod.imports.append(Import(module, name, "tag"))
        else:
            raise sec.fail(f"unsupported import kind {kind}")


def _exports(sec: _Reader, mod: Module) -> None:
    for _ in range(sec.uleb()):
        name = sec.name()
        kind = sec.byte()
        index = sec.uleb()
        kind_name = EXTERN_KINDS.get(kind, f"kind-{kind}")
        ftype = mod.func_type(index) if kind_name == "func" else None
        mod.exports.append(Export(name, kind_name, index, ftype))
