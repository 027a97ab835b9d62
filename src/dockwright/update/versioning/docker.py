"""Renovate's ``docker`` versioning: image tags such as ``3.19``, ``20-alpine``,
``3.12-slim-bookworm``, ``3.8.0b1``.

A tag parses as: an optional leading ``v``; up to the first ``-`` the version
(``\\d+(\\.\\d+)*`` then a letter tail, the *prerelease*: ``3.8.0b1``); after it the
*suffix* (``alpine``, ``slim-bookworm``, ``rc1``). Lower-case hex strings of 7 to 40
characters that are not all digits are git commit hashes, not versions.

- compatible: the same suffix and the same number of release parts (``3.18`` moves to
  ``3.19``, never to ``3.19.1``; ``-rc1`` is a suffix like any other);
- order: numeric part by part, and where one release is a prefix of the other the
  shorter is greater (``2.1`` > ``2.1.1``); stable > prerelease; prereleases and (reversed)
  suffixes as ``localeCompare`` orders them;
- stable: no prerelease.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from dockwright.update.versioning.collate import locale_compare

_VERSION = re.compile(r"(\d+(?:\.\d+)*)(\w*)", re.ASCII)
_COMMIT = re.compile(r"[a-f0-9]{7,40}")
_NUMERIC = re.compile(r"[0-9]+")


@dataclass(frozen=True)
class DockerVersion:
    release: tuple[int, ...]
    prerelease: str
    suffix: str


def parse(tag: str) -> DockerVersion | None:
    if not tag:
        return None
    if _COMMIT.fullmatch(tag) and not _NUMERIC.fullmatch(tag):
        return None
    text = tag[1:] if tag.startswith("v") else tag
    prefix, _, suffix = text.partition("-")
    m = _VERSION.fullmatch(prefix)
    if m is None:
        return None
    release = tuple(int(p) for p in m.group(1).split("."))
    return DockerVersion(release, m.group(2), suffix)


class Docker:
    name = "docker"

    def is_version(self, value: str) -> bool:
        return parse(value) is not None

    def is_stable(self, value: str) -> bool:
        parsed = parse(value)
        return parsed is not None and not parsed.prerelease

    def is_compatible(self, candidate: str, current: str) -> bool:
        a, b = parse(candidate), parse(current)
        return (
            a is not None
            and b is not None
            and a.suffix == b.suffix
            and len(a.release) == len(b.release)
        )

    def compare(self, a: str, b: str) -> int:
        pa, pb = parse(a), parse(b)
        if pa is None or pb is None:
            raise ValueError(f"not a docker version: {a if pa is None else b!r}")
        for x, y in zip(pa.release, pb.release, strict=False):
            if x != y:
                return -1 if x < y else 1
        if len(pa.release) != len(pb.release):
            # the shorter is greater: 2.1 > 2.1.1
            return 1 if len(pa.release) < len(pb.release) else -1
        if pa.prerelease != pb.prerelease:
            if not pa.prerelease:
                return 1
            if not pb.prerelease:
                return -1
            order = locale_compare(pa.prerelease, pb.prerelease)
            if order:
                return order
        return locale_compare(pb.suffix, pa.suffix)

    def _part(self, value: str, index: int) -> int | None:
        parsed = parse(value)
        if parsed is None or len(parsed.release) <= index:
            return None
        return parsed.release[index]

    def major(self, value: str) -> int | None:
        return self._part(value, 0)

    def minor(self, value: str) -> int | None:
        return self._part(value, 1)

    def patch(self, value: str) -> int | None:
        return self._part(value, 2)


def value_to_version(value: str) -> str:
    """The version a tag names without its suffix (``3.12-slim`` -> ``3.12``), as in
    commit messages."""
    return value.split("-", 1)[0] if value else value
