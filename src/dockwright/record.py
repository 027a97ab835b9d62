"""Frozen value classes for the lint path, without importing ``dataclasses``.

``dataclasses`` imports ``inspect`` (and with it ``ast``, ``dis``, ``tokenize``) and
compiles each class's methods at import time: about a third of `dockwright lint`'s start-up
on one small file. A :class:`Record` subclass lists its fields in ``__slots__`` and passes
them by name to ``Record.__init__``; it then compares, hashes and prints like a frozen
dataclass, and refuses assignment.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, ClassVar, TypeVar

    R = TypeVar("R", bound="Record")


class Record:
    __slots__: ClassVar[tuple[str, ...]] = ()
    # fields that take part in ==, hash and repr (default: all of __slots__)
    _compared: ClassVar[tuple[str, ...] | None] = None

    def __init__(self, **values: object) -> None:
        for name, value in values.items():
            object.__setattr__(self, name, value)

    @classmethod
    def _fields(cls) -> tuple[str, ...]:
        return cls.__slots__ if cls._compared is None else cls._compared

    def _key(self) -> tuple[object, ...]:
        return tuple(getattr(self, name) for name in self._fields())

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return self._key() == other._key()

    def __hash__(self) -> int:
        return hash((self.__class__.__name__, *self._key()))

    def __repr__(self) -> str:
        inner = ", ".join(f"{name}={getattr(self, name)!r}" for name in self._fields())
        return f"{self.__class__.__qualname__}({inner})"

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"cannot assign to field {name!r}: {type(self).__name__} is frozen")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"cannot delete field {name!r}: {type(self).__name__} is frozen")

    def __reduce__(self) -> tuple[Any, ...]:
        # pickling (forked lint workers send findings back) without __getstate__ on slots
        return (_rebuild, (self.__class__, {n: getattr(self, n) for n in self.__slots__}))


def _rebuild(cls: type[R], values: dict[str, object]) -> R:
    obj = cls.__new__(cls)
    Record.__init__(obj, **values)
    return obj


def replace(obj: R, /, **changes: Any) -> R:
    """A copy of ``obj`` with some fields changed (as ``dataclasses.replace``); the class's
    ``__init__`` parameters must be named as its fields."""
    values = {name: getattr(obj, name) for name in obj.__slots__}
    values.update(changes)
    return obj.__class__(**values)
