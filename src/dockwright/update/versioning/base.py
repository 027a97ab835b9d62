"""What every versioning scheme answers, as Renovate's ``VersioningApi`` asks it.

A scheme parses version strings, orders them (``compare``: negative, zero, positive), says
which are stable, which candidates may replace a current value (``is_compatible``), and how a
new version is written in place of the current value (``new_value``).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from typing import Protocol


class Versioning(Protocol):
    name: str

    def is_version(self, value: str) -> bool: ...

    def is_stable(self, value: str) -> bool: ...

    def is_compatible(self, candidate: str, current: str) -> bool: ...

    def compare(self, a: str, b: str) -> int: ...

    def major(self, value: str) -> int | None: ...

    def minor(self, value: str) -> int | None: ...

    def patch(self, value: str) -> int | None: ...


def new_value(current_value: str, current_version: str, new_version: str) -> str:
    """Renovate's generic ``getNewValue``: a current value written without the ``v`` its
    release carries (``ARG X_VERSION=2.12.0`` for the release ``v2.12.0``) stays without it."""
    if current_version == f"v{current_value}" and new_version.startswith("v"):
        return new_version[1:]
    return new_version


def sort_versions(scheme: Versioning, values: Iterable[str]) -> list[str]:
    """``values`` in ascending order (stable: equal versions keep their order)."""
    return sorted(values, key=functools.cmp_to_key(scheme.compare))


def sign(n: int) -> int:
    return (n > 0) - (n < 0)
