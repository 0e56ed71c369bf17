"""`record`: the class decorator of the front end's data classes (the model and the syntax tree).

It gives what `dataclasses.dataclass` gives those classes, with type checkers treating it the
same way (`typing.dataclass_transform`): an `__init__` from the annotated fields (defaults,
`field(default_factory=..., init=False)`, then `__post_init__`), `__match_args__`, `__eq__`
over the compared fields, `__repr__`, slots, and frozen instances with a hash.

Why not `dataclasses` itself: a short-lived `witgen check` imports about seventy of these
classes, and the standard decorator costs a millisecond or more per class (it builds and
compiles several methods, inspects annotations, and imports `inspect`); this one compiles only
the `__init__` and shares the rest between classes, which takes the command's start-up down by
tens of milliseconds (bench/resolve_corpus.py).
"""

from __future__ import annotations

from collections.abc import Callable
from operator import attrgetter
from typing import Any, TypeVar, cast, dataclass_transform, overload

T = TypeVar("T")
C = TypeVar("C", bound=type)


class _Missing:
    def __repr__(self) -> str:
        return "MISSING"


_MISSING: Any = _Missing()


class Field:
    """What `field(...)` leaves in a class body, read by `record`."""

    __slots__ = ("default", "factory", "init", "repr", "compare")

    def __init__(self, default: object, factory: object, init: bool, repr: bool, compare: bool):
        self.default, self.factory = default, factory
        self.init, self.repr, self.compare = init, repr, compare


@overload
def field(*, default: T, init: bool = True, repr: bool = True, compare: bool = True) -> T: ...
@overload
def field(
    *, default_factory: Callable[[], T], init: bool = True, repr: bool = True, compare: bool = True
) -> T: ...
def field(
    *,
    default: Any = _MISSING,
    default_factory: Any = _MISSING,
    init: bool = True,
    repr: bool = True,
    compare: bool = True,
) -> Any:
    """A field's default (or factory for a fresh mutable default) and where it takes part."""
    return Field(default, default_factory, init, repr, compare)


class FrozenError(AttributeError):
    """Assigning to a field of a frozen record."""


@overload
def record(cls: C, /) -> C: ...
@overload
def record(*, frozen: bool = False, slots: bool = True) -> Callable[[C], C]: ...
@dataclass_transform(field_specifiers=(field, Field))
def record(cls: Any = None, /, *, frozen: bool = False, slots: bool = True) -> Any:
    """Make `cls` a record class (slotted unless `slots=False`; immutable when `frozen`)."""

    def wrap(c: type) -> type:
        return _build(c, frozen, slots)

    return wrap if cls is None else wrap(cls)


def _fields(cls: type) -> list[tuple[str, Field]]:
    own = cls.__dict__.get("__annotations__", {})
    out = []
    for name, annotation in own.items():
        if str(annotation).startswith(("ClassVar", "typing.ClassVar")):
            continue
        value = cls.__dict__.get(name, _MISSING)
        spec = value if isinstance(value, Field) else Field(value, _MISSING, True, True, True)
        out.append((name, spec))
    return out


def _build(cls: type, frozen: bool, slots: bool) -> type:
    fields = _fields(cls)
    names = tuple(name for name, _ in fields)
    ns = {k: v for k, v in cls.__dict__.items() if k not in ("__dict__", "__weakref__")}
    ns["__qualname__"] = cls.__qualname__
    for name, spec in fields:
        if slots or spec.default is _MISSING:  # a slot cannot have a class attribute
            ns.pop(name, None)
        else:  # the default stays a class attribute, as with dataclasses
            ns[name] = spec.default
    if slots:
        ns["__slots__"] = names
    compared = tuple(name for name, spec in fields if spec.compare)
    key = attrgetter(*compared) if compared else (lambda _: ())
    ns["__init__"] = _make_init(cls, fields, frozen)
    ns["__match_args__"] = tuple(name for name, spec in fields if spec.init)
    ns["__repr__"] = _make_repr([name for name, spec in fields if spec.repr])
    ns["__eq__"] = _make_eq(key)
    if frozen:
        ns["__hash__"] = lambda self: hash(key(self))
        ns["__setattr__"] = ns["__delattr__"] = _frozen_setattr
    elif ns.get("__hash__") is None:
        ns["__hash__"] = None
    return type(cls)(cls.__name__, cls.__bases__, ns)


def _make_init(cls: type, fields: list[tuple[str, Field]], frozen: bool) -> Callable[..., None]:
    """Compile the `__init__` (the one method whose speed matters: trees have many nodes)."""
    env: dict[str, object] = {"_MISSING": _MISSING, "_set": object.__setattr__}
    params, body, defaulted = ["self"], [], False
    for name, spec in fields:
        if spec.factory is not _MISSING:
            env[f"_f_{name}"] = spec.factory
        if spec.default is not _MISSING:
            env[f"_d_{name}"] = spec.default
        if not spec.init:
            if spec.factory is not _MISSING:
                body.append(_assign(name, f"_f_{name}()", frozen))
            elif spec.default is not _MISSING:
                body.append(_assign(name, f"_d_{name}", frozen))
            continue  # else set by __post_init__
        if spec.factory is not _MISSING:
            params.append(f"{name}=_MISSING")
            body.append(_assign(name, f"_f_{name}() if {name} is _MISSING else {name}", frozen))
            defaulted = True
            continue
        if spec.default is not _MISSING:
            params.append(f"{name}=_d_{name}")
            defaulted = True
        elif defaulted:
            raise TypeError(f"{cls.__name__}: field {name} without a default follows one with")
        else:
            params.append(name)
        body.append(_assign(name, name, frozen))
    if hasattr(cls, "__post_init__"):
        body.append("self.__post_init__()")
    source = f"def __init__({', '.join(params)}):\n    " + "\n    ".join(body or ["pass"])
    exec(source, env)
    init = cast("Callable[..., None]", env["__init__"])
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    return init


def _assign(name: str, value: str, frozen: bool) -> str:
    return f"_set(self, {name!r}, {value})" if frozen else f"self.{name} = {value}"


def _make_repr(shown: list[str]) -> Callable[[object], str]:
    def __repr__(self: object) -> str:
        inner = ", ".join(f"{name}={getattr(self, name)!r}" for name in shown)
        return f"{type(self).__qualname__}({inner})"

    return __repr__


def _make_eq(key: Callable[[object], object]) -> Callable[[object, object], bool]:
    def __eq__(self: object, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return bool(key(self) == key(other))

    return __eq__


def _frozen_setattr(self: object, name: str, value: object = None) -> None:
    raise FrozenError(f"cannot assign to field {name!r} of a frozen {type(self).__name__}")
