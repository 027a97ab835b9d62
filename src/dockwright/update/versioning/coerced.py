"""Renovate's ``semver-coerced`` versioning, the default for annotated ``ARG``/``ENV``
versions whose datasource names no versioning of its own (GitHub releases and tags).

A value is a version when it contains a number: npm's ``semver.coerce`` takes the first
``MAJOR[.MINOR[.PATCH]]`` found (``v2.12``, ``release-1.4`` -> ``2.12.0``, ``1.4.0``) and
drops the rest, so ordering sees only those three numbers. Stable: ``v?MAJOR[.MINOR[.PATCH]]``
padded with ``.0`` and followed by whatever came after is a valid semantic version without
a prerelease (``1.2`` and ``v2.12.0`` are stable, ``1.2.3-rc1`` is not).
"""

from __future__ import annotations

import re

from dockwright.update.versioning import semver

_COERCE = re.compile(
    r"(?:^|[^\d])(\d{1,16})(?:\.(\d{1,16}))?(?:\.(\d{1,16}))?(?:$|[^\d])", re.ASCII
)
_STABLE = re.compile(r"v?(\d+)(\.\d+)?(\.\d+)?(.+)?", re.ASCII)


def coerce(value: str) -> tuple[int, int, int] | None:
    m = _COERCE.search(value)
    if m is None:
        return None
    return int(m.group(1)), int(m.group(2) or 0), int(m.group(3) or 0)


def _coerced(value: str) -> tuple[int, int, int]:
    found = coerce(value)
    if found is None:
        raise ValueError(f"no version in {value!r}")
    return found


class Coerced:
    name = "semver-coerced"

    def is_version(self, value: str) -> bool:
        return coerce(value) is not None

    def is_stable(self, value: str) -> bool:
        m = _STABLE.match(value)
        if m is None:
            return False
        fixed = m.group(1) + (m.group(2) or ".0") + (m.group(3) or ".0") + (m.group(4) or "")
        parsed = semver.parse(fixed)
        return parsed is not None and not parsed.prerelease

    def is_compatible(self, candidate: str, current: str) -> bool:
        return self.is_version(candidate)

    def compare(self, a: str, b: str) -> int:
        x, y = _coerced(a), _coerced(b)
        return (x > y) - (x < y)

    def major(self, value: str) -> int | None:
        found = coerce(value)
        return found[0] if found else None

    def minor(self, value: str) -> int | None:
        found = coerce(value)
        return found[1] if found else None

    def patch(self, value: str) -> int | None:
        found = coerce(value)
        return found[2] if found else None
