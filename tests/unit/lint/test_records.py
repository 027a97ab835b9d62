"""Every Record subclass declares each field three times (``__slots__``, a class annotation,
an ``__init__`` parameter): the three lists must name the same fields. A private slot
(``_stages``: a cache the class fills itself) is annotated but no parameter."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import pytest

import dockwright
from dockwright.record import Record


def _subclasses(cls: type) -> list[type]:
    out = []
    for sub in cls.__subclasses__():
        out += [sub, *_subclasses(sub)]
    return out


def _all_records() -> list[type[Record]]:
    for info in pkgutil.walk_packages(dockwright.__path__, "dockwright."):
        if info.name != "dockwright.__main__":  # runs the CLI
            importlib.import_module(info.name)
    found = [c for c in _subclasses(Record) if c.__module__.startswith("dockwright.")]
    return sorted(set(found), key=lambda c: f"{c.__module__}.{c.__qualname__}")


RECORDS = _all_records()


def _fields(cls: type) -> tuple[list[str], list[str], list[str]]:
    slots: list[str] = []
    annotated: list[str] = []
    for klass in reversed(cls.__mro__):
        if not (isinstance(klass, type) and issubclass(klass, Record)) or klass is Record:
            continue
        slots += list(klass.__dict__.get("__slots__", ()))
        for name, kind in inspect.get_annotations(klass).items():
            if not str(kind).startswith("ClassVar"):
                annotated.append(name)
    params = [p for p in inspect.signature(cls.__init__).parameters if p != "self"]
    return slots, annotated, params


def test_records_are_found() -> None:
    names = {c.__qualname__ for c in RECORDS}
    assert {"Finding", "LintConfig", "Instruction", "Result", "ScComment"} <= names


@pytest.mark.parametrize("cls", RECORDS, ids=[f"{c.__module__}.{c.__qualname__}" for c in RECORDS])
def test_slots_annotations_and_init_agree(cls: type[Record]) -> None:
    slots, annotated, params = _fields(cls)
    assert sorted(slots) == sorted(annotated), (slots, annotated)
    public = [name for name in slots if not name.startswith("_")]
    assert sorted(public) == sorted(params), (slots, params)
    assert len(set(slots)) == len(slots)
