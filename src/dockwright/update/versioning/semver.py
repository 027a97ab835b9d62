"""Semantic Versioning 2.0.0 as npm's ``semver`` reads a version (``valid``): ``1.2.3``,
``v1.2.3``, ``1.2.3-rc.1+build.5``; no ranges.

Order: major, minor, patch numerically; a release is greater than its prereleases;
prerelease identifiers compare one by one (numbers numerically and below words, words in
ASCII order), and a shorter list of equal identifiers is smaller. Build metadata does not
count. Stable: no prerelease. Any version is compatible with any other.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_NUM = r"0|[1-9]\d*"
_PRE_ID = r"(?:0|[1-9]\d*|\d*[a-zA-Z-][a-zA-Z0-9-]*)"
_SEMVER = re.compile(
    rf"v?({_NUM})\.({_NUM})\.({_NUM})"
    rf"(?:-({_PRE_ID}(?:\.{_PRE_ID})*))?"
    r"(?:\+([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?",
    re.ASCII,
)
_MAX_LENGTH = 256
_MAX_SAFE_INTEGER = 2**53 - 1


@dataclass(frozen=True)
class SemVer:
    major: int
    minor: int
    patch: int
    prerelease: tuple[str, ...] = ()
    build: str = ""


def parse(text: str) -> SemVer | None:
    value = text.strip()
    if len(value) > _MAX_LENGTH:
        return None
    m = _SEMVER.fullmatch(value)
    if m is None:
        return None
    major, minor, patch = (int(g) for g in m.group(1, 2, 3))
    if max(major, minor, patch) > _MAX_SAFE_INTEGER:
        return None
    pre = tuple(m.group(4).split(".")) if m.group(4) else ()
    return SemVer(major, minor, patch, pre, m.group(5) or "")


def _compare_identifiers(a: str, b: str) -> int:
    a_num, b_num = a.isdigit(), b.isdigit()
    if a_num and b_num:
        x, y = int(a), int(b)
        return (x > y) - (x < y)
    if a_num != b_num:
        return -1 if a_num else 1
    return (a > b) - (a < b)


def compare_parsed(a: SemVer, b: SemVer) -> int:
    for x, y in ((a.major, b.major), (a.minor, b.minor), (a.patch, b.patch)):
        if x != y:
            return -1 if x < y else 1
    if a.prerelease == b.prerelease:
        return 0
    if not a.prerelease:
        return 1
    if not b.prerelease:
        return -1
    for p, q in zip(a.prerelease, b.prerelease, strict=False):
        order = _compare_identifiers(p, q)
        if order:
            return order
    return (len(a.prerelease) > len(b.prerelease)) - (len(a.prerelease) < len(b.prerelease))


def _parsed(value: str) -> SemVer:
    parsed = parse(value)
    if parsed is None:
        raise ValueError(f"not a semantic version: {value!r}")
    return parsed


class Semver:
    name = "semver"

    def is_version(self, value: str) -> bool:
        return parse(value) is not None

    def is_stable(self, value: str) -> bool:
        parsed = parse(value)
        return parsed is not None and not parsed.prerelease

    def is_compatible(self, candidate: str, current: str) -> bool:
        return self.is_version(candidate)

    def compare(self, a: str, b: str) -> int:
        return compare_parsed(_parsed(a), _parsed(b))

    def major(self, value: str) -> int | None:
        parsed = parse(value)
        return parsed.major if parsed else None

    def minor(self, value: str) -> int | None:
        parsed = parse(value)
        return parsed.minor if parsed else None

    def patch(self, value: str) -> int | None:
        parsed = parse(value)
        return parsed.patch if parsed else None
