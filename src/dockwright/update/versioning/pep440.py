"""PEP 440 versions (Python packages): ``1.8.3``, ``2!1.0``, ``1.0rc1``, ``1.0.post2``,
``1.0.dev3``, ``1.0+local.7``, spelled any way PEP 440 normalises (``1.0-RC.1``, ``v1.0``).

Order (PEP 440, "Summary of permitted suffixes and relative ordering"): epoch, then the
release with trailing zeros ignored (``1.0 == 1.0.0``), then ``.devN`` < ``aN`` < ``bN`` <
``rcN`` < the release < ``.postN``; a dev release of a pre or post release sorts before it;
local versions sort after the public version they label. Stable: neither a pre nor a dev
release (post releases are stable). Any version is compatible with any other.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# PEP 440, Appendix B: the canonical expression.
_PEP440 = re.compile(
    r"""
    \s*v?
    (?:(?P<epoch>[0-9]+)!)?
    (?P<release>[0-9]+(?:\.[0-9]+)*)
    (?P<pre>[-_.]?(?P<pre_l>alpha|a|beta|b|preview|pre|c|rc)[-_.]?(?P<pre_n>[0-9]+)?)?
    (?P<post>(?:-(?P<post_n1>[0-9]+))|(?:[-_.]?(?P<post_l>post|rev|r)[-_.]?(?P<post_n2>[0-9]+)?))?
    (?P<dev>[-_.]?(?P<dev_l>dev)[-_.]?(?P<dev_n>[0-9]+)?)?
    (?:\+(?P<local>[a-z0-9]+(?:[-_.][a-z0-9]+)*))?
    \s*
    """,
    re.VERBOSE | re.IGNORECASE | re.ASCII,
)
_PRE = {"a": 0, "alpha": 0, "b": 1, "beta": 1, "c": 2, "rc": 2, "pre": 2, "preview": 2}
_PRE_NAMES = ("a", "b", "rc")


@dataclass(frozen=True)
class Pep440Version:
    epoch: int
    release: tuple[int, ...]
    pre: tuple[int, int] | None  # (0 a | 1 b | 2 rc, number)
    post: int | None
    dev: int | None
    local: tuple[str | int, ...] | None

    def __str__(self) -> str:
        """The normalised spelling (``1.0-RC.1`` -> ``1.0rc1``)."""
        out = f"{self.epoch}!" if self.epoch else ""
        out += ".".join(str(p) for p in self.release)
        if self.pre is not None:
            out += f"{_PRE_NAMES[self.pre[0]]}{self.pre[1]}"
        if self.post is not None:
            out += f".post{self.post}"
        if self.dev is not None:
            out += f".dev{self.dev}"
        if self.local is not None:
            out += "+" + ".".join(str(p) for p in self.local)
        return out

    def key(self) -> tuple[object, ...]:
        """The sort key: equal keys are equal versions."""
        release = list(self.release)
        while len(release) > 1 and release[-1] == 0:
            release.pop()
        # A bare dev release (1.0.dev1) sorts before any pre release of 1.0.
        if self.pre is None and self.post is None and self.dev is not None:
            pre: tuple[int, int, int] = (0, 0, 0)
        elif self.pre is None:
            pre = (2, 0, 0)
        else:
            pre = (1, *self.pre)
        post = (0, 0) if self.post is None else (1, self.post)
        dev = (2, 0) if self.dev is None else (1, self.dev)
        if self.local is None:
            local: tuple[object, ...] = (0, ())
        else:
            local = (
                1,
                tuple((1, p, "") if isinstance(p, int) else (0, 0, p) for p in self.local),
            )
        return (self.epoch, tuple(release), pre, post, dev, local)


def parse(text: str) -> Pep440Version | None:
    m = _PEP440.fullmatch(text)
    if m is None:
        return None
    pre = None
    if m.group("pre_l"):
        pre = (_PRE[m.group("pre_l").lower()], int(m.group("pre_n") or 0))
    post = None
    if m.group("post") is not None:
        post = int(m.group("post_n1") or m.group("post_n2") or 0)
    dev = int(m.group("dev_n") or 0) if m.group("dev") is not None else None
    local = None
    if m.group("local"):
        local = tuple(
            int(p) if p.isdigit() else p.lower() for p in re.split(r"[-_.]", m.group("local"))
        )
    return Pep440Version(
        int(m.group("epoch") or 0),
        tuple(int(p) for p in m.group("release").split(".")),
        pre,
        post,
        dev,
        local,
    )


def _parsed(value: str) -> Pep440Version:
    parsed = parse(value)
    if parsed is None:
        raise ValueError(f"not a PEP 440 version: {value!r}")
    return parsed


class Pep440:
    name = "pep440"

    def is_version(self, value: str) -> bool:
        return parse(value) is not None

    def is_stable(self, value: str) -> bool:
        parsed = parse(value)
        return parsed is not None and parsed.pre is None and parsed.dev is None

    def is_compatible(self, candidate: str, current: str) -> bool:
        return self.is_version(candidate)

    def compare(self, a: str, b: str) -> int:
        ka, kb = _parsed(a).key(), _parsed(b).key()
        return (ka > kb) - (ka < kb)

    def _part(self, value: str, index: int) -> int | None:
        parsed = parse(value)
        if parsed is None:
            return None
        return parsed.release[index] if index < len(parsed.release) else 0

    def major(self, value: str) -> int | None:
        return self._part(value, 0)

    def minor(self, value: str) -> int | None:
        return self._part(value, 1)

    def patch(self, value: str) -> int | None:
        return self._part(value, 2)
